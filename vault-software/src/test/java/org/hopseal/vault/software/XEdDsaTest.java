package org.hopseal.vault.software;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.junit.jupiter.api.Test;

class XEdDsaTest {
    @Test
    void signaturesVerifyWithTheMontgomeryPublicKeyAndNothingElse() {
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < 20; i++) {
            byte[] k = new byte[32];
            X25519.generatePrivateKey(random, k);
            byte[] u = new byte[32];
            X25519.scalarMultBase(k, 0, u, 0);
            byte[] msg = ("message " + i).getBytes();
            byte[] sig = XEdDsa.sign(k, msg);
            assertThat(XEdDsa.verify(u, msg, sig)).isTrue();
            assertThat(XEdDsa.verify(u, ("other " + i).getBytes(), sig)).isFalse();
            byte[] bad = sig.clone();
            bad[i % 64] ^= 4;
            assertThat(XEdDsa.verify(u, msg, bad)).isFalse();
            byte[] otherKey = u.clone();
            otherKey[3] ^= 1;
            assertThat(XEdDsa.verify(otherKey, msg, sig)).isFalse();
        }
    }

    @Test
    void edgeCasePublicKeysAreRejected() {
        byte[] sig = new byte[64];
        byte[] minusOne = new byte[32];
        java.util.Arrays.fill(minusOne, (byte) 0xFF);
        minusOne[0] = (byte) 0xEC;
        minusOne[31] = 0x7F; // p - 1: u + 1 = 0 has no inverse
        assertThat(XEdDsa.verify(minusOne, new byte[0], sig)).isFalse();
        byte[] tooBig = new byte[32];
        java.util.Arrays.fill(tooBig, (byte) 0xFF);
        assertThat(XEdDsa.verify(tooBig, new byte[0], sig)).isFalse();
    }
}
