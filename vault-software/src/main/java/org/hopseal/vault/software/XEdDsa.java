package org.hopseal.vault.software;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.math.ec.rfc7748.X25519Field;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.hopseal.api.vault.HashAlgorithm;

/**
 * XEdDSA over Curve25519 (Signal's XEdDSA and VXEdDSA specification, section 2): Ed25519-compatible signatures made
 * with an X25519 private key; verification converts the Montgomery public key to Edwards form and verifies with
 * BouncyCastle's Ed25519.
 *
 * <h2>Constant time</h2>
 * Signing handles the long-term X25519 private key and the per-signature nonce r, so no branch and no memory index
 * depends on either. BouncyCastle has no public Edwards scalar multiplication for a caller's scalar, so this class
 * builds one from BouncyCastle's constant-time field arithmetic ({@link X25519Field}, GF(2^255-19) in ten limbs):
 * <ul>
 *   <li>points in extended coordinates (X:Y:Z:T) with the complete addition law of Hisil, Wong, Carter and Dawson
 *       (a = -1), which also doubles, so every step runs the same code;</li>
 *   <li>scalar multiplication by a Montgomery ladder over all 256 bits, whatever the scalar, with
 *       {@link X25519Field#cswap} (masks, not branches) choosing the operands;</li>
 *   <li>encoding with {@link X25519Field#inv} (a fixed addition chain) and {@link X25519Field#normalize};</li>
 *   <li>scalars mod q on fixed arrays of eight 32-bit words: reduction bit by bit over the whole input with a masked
 *       conditional subtraction, and s = r + h·a by schoolbook multiplication, all with loop bounds fixed by the
 *       input lengths only;</li>
 *   <li>the sign bit of kB picks k or q - k by a mask.</li>
 * </ul>
 * No {@code java.math.BigInteger} is used anywhere in this class (its arithmetic branches on values and its length on
 * leading zeros). Verification handles public data only; it uses the same field arithmetic. SHA-512 comes from
 * {@link Digests}' pool.
 *
 * <p>Thread safety: thread safe (no state but constants, a {@code SecureRandom} and the digests' pool).
 */
final class XEdDsa {
    private static final long M32 = 0xFFFFFFFFL;
    /** The group order q = 2^252 + 27742317777372353535851937790883648493, little-endian 32-bit words. */
    private static final int[] Q = {0x5CF5D3ED, 0x5812631A, 0xA2F79CD6, 0x14DEF9DE, 0, 0, 0, 0x10000000};
    /** 2d, d = -121665/121666, the Edwards25519 constant. */
    private static final int[] D2 = fieldElement("59f1b226949bd6eb56b183829a14e00030d1f3eef2808e19e7fcdf56dcd90624");
    /** The base point B (y = 4/5, x even). */
    private static final int[] B_X = fieldElement("1ad5258f602d56c9b2a7259560c72c695cdcd6fd31e2a4c0fe536ecdd3366921");
    private static final int[] B_Y = fieldElement("5866666666666666666666666666666666666666666666666666666666666666");
    /** hash_1's prefix: 2^256 - 2, little-endian. */
    private static final byte[] HASH1_PREFIX;
    private static final SecureRandom RANDOM = new SecureRandom();

    static {
        HASH1_PREFIX = new byte[32];
        Arrays.fill(HASH1_PREFIX, (byte) 0xFF);
        HASH1_PREFIX[0] = (byte) 0xFE;
    }

    private XEdDsa() {
    }

    /** xeddsa_sign(k, M, Z) with Z 64 fresh random bytes. */
    static byte[] sign(byte[] x25519Private, byte[] message) {
        byte[] z = new byte[64];
        RANDOM.nextBytes(z);
        try {
            return sign(x25519Private, message, z);
        } finally {
            Scrub.bytes(z);
        }
    }

    /** xeddsa_sign(k, M, Z): calculate_key_pair(k), then Ed25519's signing equation with r = hash_1(a || M || Z). */
    static byte[] sign(byte[] x25519Private, byte[] message, byte[] z) {
        if (x25519Private.length != 32 || z.length != 64) {
            throw new IllegalArgumentException("XEdDSA needs a 32-byte private key and a 64-byte Z");
        }
        byte[] k = clamp(x25519Private);
        int[] kWords = words(k);
        int[] kq = reduce(kWords);
        int[][] e = multiplyBase(kq);
        byte[] publicA = encode(e);
        Scrub.ints(e);
        // calculate_key_pair: A.s = 0, and a = -k mod q when E's sign bit was 1, chosen by a mask.
        int negative = (publicA[31] >>> 7) & 1;
        publicA[31] &= 0x7F;
        int[] minusK = negateModQ(kq);
        int[] a = select(negative, minusK, kq);
        byte[] aBytes = scalarBytes(a);
        byte[] rHash = sha512(HASH1_PREFIX, aBytes, message, z);
        int[] rWords = words(rHash);
        int[] r = reduce(rWords);
        int[][] rPoint = multiplyBase(r);
        byte[] rEncoded = encode(rPoint);
        Scrub.ints(rPoint);
        int[] h = reduce(words(sha512(rEncoded, publicA, message)));
        int[] product = mulAdd(h, a, r);
        int[] s = reduce(product);
        byte[] sig = new byte[64];
        System.arraycopy(rEncoded, 0, sig, 0, 32);
        System.arraycopy(scalarBytes(s), 0, sig, 32, 32);
        Scrub.bytes(k, aBytes, rHash);
        Scrub.ints(kWords, rWords, kq, minusK, a, r, product);
        return sig;
    }

    /** xeddsa_verify(u, M, sig). */
    static boolean verify(byte[] u, byte[] message, byte[] signature) {
        if (u.length != 32 || signature.length != 64) {
            return false;
        }
        byte[] a = edwardsFromMontgomery(u);
        return a != null && Ed25519.verify(signature, 0, a, 0, message, 0, message.length);
    }

    /**
     * The Edwards public key (sign bit 0) with y = (u - 1) / (u + 1) for the Montgomery u, or null when u is not a
     * canonical field element (u &ge; p) or is p - 1 (u + 1 has no inverse). Public data only.
     */
    static byte[] edwardsFromMontgomery(byte[] u) {
        int[] uu = X25519Field.create();
        X25519Field.decode(u, 0, uu); // drops bit 255; the canonical check below catches it
        int[] t = X25519Field.create();
        X25519Field.copy(uu, 0, t, 0);
        X25519Field.normalize(t);
        byte[] canonical = new byte[32];
        X25519Field.encode(t, canonical, 0);
        if (!Arrays.equals(canonical, u)) {
            return null;
        }
        int[] denominator = X25519Field.create();
        X25519Field.copy(uu, 0, denominator, 0);
        X25519Field.addOne(denominator);
        X25519Field.normalize(denominator);
        if (X25519Field.isZeroVar(denominator)) {
            return null;
        }
        int[] numerator = X25519Field.create();
        X25519Field.copy(uu, 0, numerator, 0);
        X25519Field.subOne(numerator);
        X25519Field.inv(denominator, denominator);
        int[] y = X25519Field.create();
        X25519Field.mul(numerator, denominator, y);
        X25519Field.normalize(y);
        byte[] out = new byte[32];
        X25519Field.encode(y, out, 0);
        return out;
    }

    private static byte[] clamp(byte[] k) {
        byte[] c = k.clone();
        c[0] &= (byte) 248;
        c[31] &= 127;
        c[31] |= 64;
        return c;
    }

    // ---- Edwards25519: points are {X, Y, Z, T} with x = X/Z, y = Y/Z, xy = T/Z ----------------------------------

    /** n·B for a 256-bit n (eight little-endian words): a Montgomery ladder over every bit, swapping by masks. */
    static int[][] multiplyBase(int[] n) {
        int[][] r0 = {X25519Field.create(), X25519Field.create(), X25519Field.create(), X25519Field.create()};
        X25519Field.one(r0[1]);
        X25519Field.one(r0[2]);
        int[][] r1 = {X25519Field.create(), X25519Field.create(), X25519Field.create(), X25519Field.create()};
        X25519Field.copy(B_X, 0, r1[0], 0);
        X25519Field.copy(B_Y, 0, r1[1], 0);
        X25519Field.one(r1[2]);
        X25519Field.mul(B_X, B_Y, r1[3]);
        for (int i = 255; i >= 0; i--) {
            int bit = (n[i >>> 5] >>> (i & 31)) & 1;
            cswap(bit, r0, r1);
            add(r0, r1, r1); // r1 = r0 + r1
            add(r0, r0, r0); // r0 = 2·r0
            cswap(bit, r0, r1);
        }
        Scrub.ints(r1);
        return r0;
    }

    private static void cswap(int swap, int[][] p, int[][] q) {
        for (int i = 0; i < 4; i++) {
            X25519Field.cswap(swap, p[i], q[i]);
        }
    }

    /**
     * r = p + q by the complete unified law for a = -1 ("add-2008-hwcd-3"): correct for doubling and for the
     * neutral element too, so the ladder never needs a special case. r may be p or q.
     */
    private static void add(int[][] p, int[][] q, int[][] r) {
        int[] a = X25519Field.create();
        int[] b = X25519Field.create();
        int[] c = X25519Field.create();
        int[] d = X25519Field.create();
        int[] e = X25519Field.create();
        int[] f = X25519Field.create();
        int[] g = X25519Field.create();
        int[] h = X25519Field.create();
        int[] qSum = X25519Field.create();
        int[] qDiff = X25519Field.create();
        X25519Field.apm(p[1], p[0], b, a); // b = Y1 + X1, a = Y1 - X1
        X25519Field.apm(q[1], q[0], qSum, qDiff);
        X25519Field.mul(a, qDiff, a); // A = (Y1 - X1)(Y2 - X2)
        X25519Field.mul(b, qSum, b); // B = (Y1 + X1)(Y2 + X2)
        X25519Field.mul(p[3], q[3], c);
        X25519Field.mul(c, D2, c); // C = T1·2d·T2
        X25519Field.mul(p[2], q[2], d);
        X25519Field.add(d, d, d); // D = 2·Z1·Z2
        X25519Field.apm(b, a, h, e); // H = B + A, E = B - A
        X25519Field.apm(d, c, g, f); // G = D + C, F = D - C
        X25519Field.carry(e);
        X25519Field.carry(f);
        X25519Field.carry(g);
        X25519Field.carry(h);
        X25519Field.mul(e, f, r[0]); // X3 = E·F
        X25519Field.mul(g, h, r[1]); // Y3 = G·H
        X25519Field.mul(f, g, r[2]); // Z3 = F·G
        X25519Field.mul(e, h, r[3]); // T3 = E·H
        Scrub.ints(a, b, c, d, e, f, g, h, qSum, qDiff);
    }

    /** The 32-byte encoding: y, with x's low bit as bit 255. */
    static byte[] encode(int[][] p) {
        int[] zInv = X25519Field.create();
        int[] x = X25519Field.create();
        int[] y = X25519Field.create();
        X25519Field.inv(p[2], zInv);
        X25519Field.mul(p[0], zInv, x);
        X25519Field.mul(p[1], zInv, y);
        X25519Field.normalize(x);
        X25519Field.normalize(y);
        byte[] out = new byte[32];
        X25519Field.encode(y, out, 0);
        out[31] |= (byte) ((x[0] & 1) << 7);
        Scrub.ints(zInv, x, y);
        return out;
    }

    private static int[] fieldElement(String littleEndianHex) {
        int[] f = X25519Field.create();
        X25519Field.decode(HexFormat.of().parseHex(littleEndianHex), 0, f);
        return f;
    }

    // ---- scalars mod q: little-endian arrays of 32-bit words --------------------------------------------------

    /** Little-endian bytes (a multiple of 4 long) as 32-bit words. */
    static int[] words(byte[] b) {
        int[] w = new int[b.length / 4];
        for (int i = 0; i < w.length; i++) {
            w[i] = (b[4 * i] & 0xFF) | (b[4 * i + 1] & 0xFF) << 8 | (b[4 * i + 2] & 0xFF) << 16 | (b[4 * i + 3] & 0xFF) << 24;
        }
        return w;
    }

    /** A scalar below 2^256 (eight words) as 32 little-endian bytes. */
    static byte[] scalarBytes(int[] s) {
        byte[] b = new byte[32];
        for (int i = 0; i < 8; i++) {
            b[4 * i] = (byte) s[i];
            b[4 * i + 1] = (byte) (s[i] >>> 8);
            b[4 * i + 2] = (byte) (s[i] >>> 16);
            b[4 * i + 3] = (byte) (s[i] >>> 24);
        }
        return b;
    }

    /**
     * x mod q for x of any number of words, bit by bit from the top: r = 2r + bit, then r - q replaces r when it
     * does not borrow (chosen by a mask). Since r &lt; q &lt; 2^253 before each step, 2r + 1 fits in eight words.
     */
    static int[] reduce(int[] x) {
        int[] r = new int[8];
        int[] t = new int[8];
        for (int i = x.length * 32 - 1; i >= 0; i--) {
            int bit = (x[i >>> 5] >>> (i & 31)) & 1;
            for (int j = 7; j > 0; j--) {
                r[j] = (r[j] << 1) | (r[j - 1] >>> 31);
            }
            r[0] = (r[0] << 1) | bit;
            subtractQIfNotBelow(r, t);
        }
        Scrub.ints(t);
        return r;
    }

    /** r = r - q when r &ge; q, else r unchanged; no branch on r. */
    private static void subtractQIfNotBelow(int[] r, int[] t) {
        long borrow = 0;
        for (int j = 0; j < 8; j++) {
            long diff = (r[j] & M32) - (Q[j] & M32) + borrow;
            t[j] = (int) diff;
            borrow = diff >> 32; // 0 or -1
        }
        int keep = (int) borrow; // -1: r < q, keep r; 0: take r - q
        for (int j = 0; j < 8; j++) {
            r[j] = (r[j] & keep) | (t[j] & ~keep);
        }
    }

    /** (q - x) mod q for x &lt; q. */
    private static int[] negateModQ(int[] x) {
        int[] n = new int[8];
        long borrow = 0;
        for (int j = 0; j < 8; j++) {
            long diff = (Q[j] & M32) - (x[j] & M32) + borrow;
            n[j] = (int) diff;
            borrow = diff >> 32;
        }
        int[] t = new int[8];
        subtractQIfNotBelow(n, t); // x = 0 gives q, which is 0 mod q
        Scrub.ints(t);
        return n;
    }

    /** {@code choose == 1 ? ifOne : ifZero}, by a mask. */
    private static int[] select(int choose, int[] ifOne, int[] ifZero) {
        int mask = -choose;
        int[] out = new int[ifZero.length];
        for (int j = 0; j < out.length; j++) {
            out[j] = (ifOne[j] & mask) | (ifZero[j] & ~mask);
        }
        return out;
    }

    /** x·y + z as sixteen words, for x, y, z below 2^256 (so the result is below 2^512). */
    static int[] mulAdd(int[] x, int[] y, int[] z) {
        int[] out = new int[16];
        for (int i = 0; i < 8; i++) {
            long xi = x[i] & M32;
            long carry = 0;
            for (int j = 0; j < 8; j++) {
                long t = xi * (y[j] & M32) + (out[i + j] & M32) + carry; // at most 2^64 - 1, unsigned
                out[i + j] = (int) t;
                carry = t >>> 32;
            }
            out[i + 8] = (int) carry;
        }
        long carry = 0;
        for (int j = 0; j < 16; j++) {
            long t = (out[j] & M32) + (j < 8 ? z[j] & M32 : 0) + carry;
            out[j] = (int) t;
            carry = t >>> 32;
        }
        return out;
    }

    private static byte[] sha512(byte[]... parts) {
        return Digests.hash(HashAlgorithm.SHA512, parts);
    }
}
