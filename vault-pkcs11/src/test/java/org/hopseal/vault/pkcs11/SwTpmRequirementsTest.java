package org.hopseal.vault.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What {@link SwTpm} requires before it starts a TPM: every piece the walkthrough loads, each named when absent. */
class SwTpmRequirementsTest {
    @Test
    void onAMachineWithoutTheStackEveryPieceIsNamedTheTabrmdTctiToo() {
        assertThat(SwTpm.missing(path -> false)).containsExactly("libtpm2_pkcs11.so", SwTpm.TABRMD_TCTI, "swtpm", "tpm2-abrmd",
                "tpm2_ptool", "tpm2_getrandom", "dbus-daemon");
    }

    @Test
    void theTabrmdTctiAloneMissingIsNamed() {
        assertThat(SwTpm.missing(path -> !path.getFileName().toString().equals(SwTpm.TABRMD_TCTI))).containsExactly(SwTpm.TABRMD_TCTI);
    }
}
