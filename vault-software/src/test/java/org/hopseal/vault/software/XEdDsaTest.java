package org.hopseal.vault.software;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.junit.jupiter.api.Test;

/**
 * XEdDSA signing is constant time by construction (see {@link XEdDsa}): no test can measure that reliably, so these
 * tests pin down what can be checked. The signing code holds no BigInteger (whose arithmetic branches on the secret
 * scalar and nonce), and it computes exactly what it did before: the independent Python vectors byte for byte, the
 * old BigInteger implementation ({@link XEdDsaReference}) on hundreds of random keys, messages and Z, and every
 * scalar helper against BigInteger on random and edge values.
 */
class XEdDsaTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final BigInteger Q = BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));
    private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));

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
    void eachSignatureTakesFreshRandomnessSoNoNonceRepeats() {
        byte[] k = new byte[32];
        X25519.generatePrivateKey(new SecureRandom(), k);
        byte[] u = new byte[32];
        X25519.scalarMultBase(k, 0, u, 0);
        byte[] msg = "the same message".getBytes();
        byte[] first = XEdDsa.sign(k, msg);
        byte[] second = XEdDsa.sign(k, msg);
        assertThat(Arrays.copyOf(second, 32)).as("R differs: Z was random").isNotEqualTo(Arrays.copyOf(first, 32));
        assertThat(XEdDsa.verify(u, msg, first)).isTrue();
        assertThat(XEdDsa.verify(u, msg, second)).isTrue();
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

    /** Finding 4 of issue 16: the old signing code was a BigInteger double-and-add over the key and the nonce. */
    @Test
    void theSigningCodeUsesNoBigInteger() throws IOException {
        for (Class<?> c : XEdDsa.class.getNestMembers()) {
            String name = c.getName().substring(c.getName().lastIndexOf('.') + 1) + ".class";
            try (InputStream in = c.getResourceAsStream(name)) {
                assertThat(in).as(name).isNotNull();
                String bytes = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                assertThat(bytes).as(name + " refers to BigInteger").doesNotContain("java/math/BigInteger");
            }
        }
    }

    @Test
    void signsTheIndependentVectorsByteForByte() throws IOException {
        List<String> lines;
        try (InputStream in = XEdDsaTest.class.getResourceAsStream("xeddsa-vectors.txt")) {
            assertThat(in).isNotNull();
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        }
        assertThat(lines).hasSize(26);
        int negated = 0;
        for (String line : lines) {
            String[] f = line.split(" ");
            byte[] k = HEX.parseHex(f[0]);
            byte[] msg = f[1].equals("-") ? new byte[0] : HEX.parseHex(f[1]);
            byte[] z = HEX.parseHex(f[2]);
            assertThat(HEX.formatHex(XEdDsa.sign(k, msg, z))).as(line).isEqualTo(f[3]);
            byte[] u = new byte[32];
            X25519.scalarMultBase(k, 0, u, 0);
            assertThat(XEdDsa.verify(u, msg, HEX.parseHex(f[3]))).as(line).isTrue();
            negated += Integer.parseInt(f[4]);
        }
        assertThat(negated).as("both branches of calculate_key_pair are covered").isBetween(1, lines.size() - 1);
    }

    @Test
    void signsExactlyAsTheBigIntegerImplementationDid() {
        Random random = new Random(20261202);
        for (int i = 0; i < 300; i++) {
            byte[] k = new byte[32];
            random.nextBytes(k);
            byte[] msg = new byte[random.nextInt(3) == 0 ? 0 : random.nextInt(300)];
            random.nextBytes(msg);
            byte[] z = new byte[64];
            random.nextBytes(z);
            assertThat(HEX.formatHex(XEdDsa.sign(k, msg, z))).as("key %s", HEX.formatHex(k))
                    .isEqualTo(HEX.formatHex(XEdDsaReference.sign(k, msg, z)));
        }
        // Keys whose clamped value is small or all ones, and Z of zeros or ones.
        for (byte[] k : List.of(new byte[32], filled(32, 0xFF), filled(32, 0x01), filled(32, 0x80))) {
            for (byte[] z : List.of(new byte[64], filled(64, 0xFF))) {
                assertThat(XEdDsa.sign(k, new byte[0], z)).isEqualTo(XEdDsaReference.sign(k, new byte[0], z));
            }
        }
    }

    @Test
    void convertsMontgomeryToEdwardsAsTheBigIntegerImplementationDid() {
        Random random = new Random(7);
        List<BigInteger> edges = List.of(BigInteger.ZERO, BigInteger.ONE, BigInteger.TWO, BigInteger.valueOf(9),
                P.subtract(BigInteger.TWO), P.subtract(BigInteger.ONE), P, P.add(BigInteger.ONE),
                BigInteger.TWO.pow(255).subtract(BigInteger.ONE), BigInteger.TWO.pow(255), BigInteger.TWO.pow(256).subtract(BigInteger.ONE));
        for (BigInteger e : edges) {
            byte[] u = littleEndian(e);
            assertThat(XEdDsa.edwardsFromMontgomery(u)).as("u = %s", e).isEqualTo(XEdDsaReference.edwardsFromMontgomery(u));
        }
        for (int i = 0; i < 2000; i++) {
            byte[] u = new byte[32];
            random.nextBytes(u);
            if (i % 2 == 0) {
                u[31] &= 0x7F;
            }
            assertThat(XEdDsa.edwardsFromMontgomery(u)).as("u = %s", HEX.formatHex(u))
                    .isEqualTo(XEdDsaReference.edwardsFromMontgomery(u));
        }
    }

    @Test
    void scalarArithmeticMatchesBigInteger() {
        Random random = new Random(11);
        List<BigInteger> edges = List.of(BigInteger.ZERO, BigInteger.ONE, Q.subtract(BigInteger.ONE), Q, Q.add(BigInteger.ONE),
                Q.shiftLeft(1), Q.multiply(Q), Q.multiply(Q).subtract(BigInteger.ONE), BigInteger.TWO.pow(252),
                BigInteger.TWO.pow(253).subtract(BigInteger.ONE), BigInteger.TWO.pow(256).subtract(BigInteger.ONE),
                BigInteger.TWO.pow(512).subtract(BigInteger.ONE));
        for (BigInteger e : edges) {
            assertThat(value(XEdDsa.reduce(words(e, 16)))).as("%s mod q", e).isEqualTo(e.mod(Q));
        }
        for (int i = 0; i < 2000; i++) {
            BigInteger x = new BigInteger(512, random);
            assertThat(value(XEdDsa.reduce(words(x, 16)))).isEqualTo(x.mod(Q));
            BigInteger k = new BigInteger(256, random);
            assertThat(value(XEdDsa.reduce(words(k, 8)))).isEqualTo(k.mod(Q));
            BigInteger a = new BigInteger(256, random);
            BigInteger b = new BigInteger(256, random);
            BigInteger c = new BigInteger(256, random);
            assertThat(value(XEdDsa.mulAdd(words(a, 8), words(b, 8), words(c, 8)))).isEqualTo(a.multiply(b).add(c));
        }
        BigInteger max = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);
        assertThat(value(XEdDsa.mulAdd(words(max, 8), words(max, 8), words(max, 8)))).isEqualTo(max.multiply(max).add(max));
    }

    @Test
    void baseMultiplicationMatchesX25519() {
        // The Edwards y of n·B maps to X25519's u = (1 + y) / (1 - y) of the same multiple.
        Random random = new Random(3);
        for (int i = 0; i < 50; i++) {
            byte[] k = new byte[32];
            random.nextBytes(k);
            k[0] &= (byte) 248;
            k[31] &= 127;
            k[31] |= 64;
            byte[] edwards = XEdDsa.encode(XEdDsa.multiplyBase(XEdDsa.words(k)));
            edwards[31] &= 0x7F;
            BigInteger y = new BigInteger(1, reverse(edwards));
            BigInteger u = BigInteger.ONE.add(y).multiply(BigInteger.ONE.subtract(y).modInverse(P)).mod(P);
            byte[] x25519 = new byte[32];
            X25519.scalarMultBase(k, 0, x25519, 0);
            assertThat(littleEndian(u)).isEqualTo(x25519);
        }
        byte[] one = new byte[32];
        one[0] = 1;
        assertThat(HEX.formatHex(XEdDsa.encode(XEdDsa.multiplyBase(XEdDsa.words(one)))))
                .isEqualTo("58" + "66".repeat(31));
        assertThat(HEX.formatHex(XEdDsa.encode(XEdDsa.multiplyBase(new int[8])))).isEqualTo("01" + "00".repeat(31));
    }

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private static int[] words(BigInteger v, int n) {
        byte[] le = new byte[4 * n];
        byte[] be = v.toByteArray();
        for (int i = 0; i < Math.min(le.length, be.length); i++) {
            le[i] = be[be.length - 1 - i];
        }
        return XEdDsa.words(le);
    }

    private static BigInteger value(int[] words) {
        BigInteger v = BigInteger.ZERO;
        for (int i = words.length - 1; i >= 0; i--) {
            v = v.shiftLeft(32).or(BigInteger.valueOf(words[i] & 0xFFFFFFFFL));
        }
        return v;
    }

    private static byte[] littleEndian(BigInteger v) {
        byte[] be = v.toByteArray();
        byte[] out = new byte[32];
        for (int i = 0; i < Math.min(32, be.length); i++) {
            out[i] = be[be.length - 1 - i];
        }
        return out;
    }

    private static byte[] reverse(byte[] b) {
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = b[b.length - 1 - i];
        }
        return r;
    }
}
