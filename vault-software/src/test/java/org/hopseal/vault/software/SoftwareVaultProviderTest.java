package org.hopseal.vault.software;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.Vaults;
import org.junit.jupiter.api.Test;

class SoftwareVaultProviderTest {
    @Test
    void foundByNameThroughServiceLoader() throws Exception {
        try (Vaults v = Vaults.open("software")) {
            assertThat(v.identity()).isInstanceOf(SoftwareVault.class);
        }
    }

    @Test
    void unknownNameListsWhatWasFound() {
        assertThatThrownBy(() -> Vaults.open("hsm-that-does-not-exist:x"))
                .isInstanceOf(VaultException.class)
                .hasMessageContaining("hsm-that-does-not-exist")
                .hasMessageContaining("software (org.hopseal.vault.software.SoftwareVaultProvider)");
    }

    @Test
    void softwareTakesNoArguments() {
        assertThatThrownBy(() -> Vaults.open("software:/tmp/x")).isInstanceOf(VaultException.class);
    }

    @Test
    void toStringRevealsNoSecret() throws Exception {
        SoftwareVault v = new SoftwareVault();
        v.importSecret(new byte[] {0x5e, 0x5e, 0x5e});
        assertThat(v.toString()).doesNotContain("5e").isEqualTo("SoftwareVault{1 keys}");
        v.close();
    }
}
