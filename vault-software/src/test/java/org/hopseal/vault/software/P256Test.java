package org.hopseal.vault.software;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** P-256 private scalars lie in [1, n-1], and generation draws again until one does. */
class P256Test {
    /** The order n of P-256's base point (FIPS 186-5 / SEC 2). */
    private static final BigInteger N = new BigInteger("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", 16);

    private static byte[] bytes32(BigInteger v) {
        return HexFormat.of().parseHex(String.format("%064x", v));
    }

    /** A random source that hands out the given draws in order. */
    private static SecureRandom drawing(byte[]... draws) {
        Deque<byte[]> queue = new ArrayDeque<>(List.of(draws));
        return new SecureRandom() {
            @Override
            public void nextBytes(byte[] out) {
                byte[] next = queue.removeFirst();
                System.arraycopy(next, 0, out, 0, out.length);
            }
        };
    }

    @Test
    void validScalarsAreThoseFromOneToOrderMinusOneIn32Bytes() {
        assertThat(P256.validPrivate(bytes32(BigInteger.ZERO))).isFalse();
        assertThat(P256.validPrivate(bytes32(BigInteger.ONE))).isTrue();
        assertThat(P256.validPrivate(bytes32(N.subtract(BigInteger.ONE)))).isTrue();
        assertThat(P256.validPrivate(bytes32(N))).isFalse();
        assertThat(P256.validPrivate(bytes32(N.add(BigInteger.ONE)))).isFalse();
        assertThat(P256.validPrivate(new byte[31])).isFalse();
        byte[] one33 = new byte[33];
        one33[32] = 1;
        assertThat(P256.validPrivate(one33)).as("33 bytes, though its value is 1").isFalse();
    }

    @Test
    void generationDrawsAgainWhileTheDrawIsZeroOrNotBelowTheOrder() {
        byte[] good = bytes32(N.subtract(BigInteger.TWO));
        SecureRandom random = drawing(bytes32(BigInteger.ZERO), bytes32(N), new byte[] {
                -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1}, good);
        assertThat(P256.generatePrivate(random)).isEqualTo(good);
    }

    @Test
    void generatedScalarsAreValidAndDiffer() {
        SecureRandom random = new SecureRandom();
        byte[] a = P256.generatePrivate(random);
        byte[] b = P256.generatePrivate(random);
        assertThat(P256.validPrivate(a)).isTrue();
        assertThat(a).hasSize(32).isNotEqualTo(b);
    }
}
