package org.hopseal.vault.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EcKeysTest {
    @Test
    void aPointIsWrappedAsADerOctetString() {
        assertThat(EcKeys.octetString(new byte[] {7, 8, 9})).containsExactly(0x04, 3, 7, 8, 9);
        assertThat(EcKeys.octetString(new byte[65])).hasSize(67).startsWith(0x04, 65);
    }

    @Test
    void keyIdsAreSixteenRandomBytes() {
        byte[] a = EcKeys.newId();
        assertThat(a).hasSize(16);
        assertThat(EcKeys.newId()).isNotEqualTo(a);
    }
}
