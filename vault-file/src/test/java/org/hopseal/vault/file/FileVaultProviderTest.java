package org.hopseal.vault.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.VaultSpec;
import org.hopseal.api.vault.Vaults;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileVaultProviderTest {
    @TempDir
    Path dir;

    private static ErrorKind kindOf(String spec) {
        try {
            FileVaultProvider.open(VaultSpec.parse(spec), "pw".toCharArray()).close();
        } catch (VaultException e) {
            return e.kind();
        }
        throw new AssertionError("opened " + spec);
    }

    @Test
    void theProviderIsNamedFile() {
        assertThat(new FileVaultProvider().name()).isEqualTo("file");
    }

    @Test
    void withoutThePassphraseVariableOpeningIsAClearError() {
        Assumptions.assumeTrue(System.getenv(FileVaultProvider.PASSPHRASE_ENV) == null, "the variable is set here");
        assertThatThrownBy(() -> new FileVaultProvider().open(VaultSpec.parse("file:" + dir.resolve("v.vault"))))
                .isInstanceOf(VaultException.class).hasMessageContaining("needs a passphrase")
                .hasMessageContaining(FileVaultProvider.PASSPHRASE_ENV)
                .satisfies(e -> assertThat(((VaultException) e).kind()).isEqualTo(ErrorKind.INVALID));
        assertThat(dir.resolve("v.vault")).doesNotExist();
    }

    @Test
    void aParameterLeftOutTakesItsDefault() throws Exception {
        Path file = dir.resolve("v.vault");
        char[] passphrase = "pw".toCharArray();
        try (Vaults v = FileVaultProvider.open(VaultSpec.parse("file:" + file + "?kdf-iterations=4"), passphrase)) {
            assertThat(v.identity()).isSameAs(v.channel()).isInstanceOf(FileVault.class);
        }
        assertThat(passphrase).containsOnly('\0');
        assertThat(VaultFileReader.kdf(file)).isEqualTo(new KdfParameters(65536, 4, 4));
    }

    @Test
    void malformedParametersAreInvalid() {
        String file = "file:" + dir.resolve("v.vault");
        assertThatThrownBy(() -> FileVaultProvider.open(VaultSpec.parse(file + "?kdf-iterations"), "pw".toCharArray()))
                .hasMessageContaining("bad file vault parameter 'kdf-iterations'");
        assertThatThrownBy(() -> FileVaultProvider.open(VaultSpec.parse(file + "?=3"), "pw".toCharArray()))
                .hasMessageContaining("bad file vault parameter '=3'");
        assertThatThrownBy(() -> FileVaultProvider.open(VaultSpec.parse(file + "?kdf-iterations=many"), "pw".toCharArray()))
                .hasMessageContaining("bad file vault parameters");
        assertThat(kindOf(file + "?kdf-parallelism=0")).isEqualTo(ErrorKind.INVALID);
        assertThatThrownBy(() -> FileVaultProvider.open(VaultSpec.parse("file:?read-only"), "pw".toCharArray()))
                .hasMessage("the file vault needs a path: file:PATH");
        assertThat(dir.resolve("v.vault")).doesNotExist();
    }
}
