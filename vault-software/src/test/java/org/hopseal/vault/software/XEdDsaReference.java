package org.hopseal.vault.software;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Test only: the BigInteger XEdDSA that {@link XEdDsa} replaced (its double-and-add branches on the secret scalar),
 * kept as a reference the constant-time code must match byte for byte.
 */
final class XEdDsaReference {
    private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
    private static final BigInteger Q = BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));
    private static final BigInteger D = BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);
    private static final BigInteger BY = BigInteger.valueOf(4).multiply(BigInteger.valueOf(5).modInverse(P)).mod(P);
    private static final BigInteger[] B = point(BY, false);
    private static final SecureRandom RANDOM = new SecureRandom();

    private XEdDsaReference() {
    }

    /** xeddsa_sign(k, M, Z) with Z 64 fresh random bytes. */
    static byte[] sign(byte[] x25519Private, byte[] message) {
        byte[] z = new byte[64];
        RANDOM.nextBytes(z);
        return sign(x25519Private, message, z);
    }

    static byte[] sign(byte[] x25519Private, byte[] message, byte[] z) {
        BigInteger k = littleEndian(clamp(x25519Private)).mod(Q);
        BigInteger[] e = multiply(k, B);
        byte[] a = encode(e);
        boolean sign = (a[31] & 0x80) != 0;
        a[31] &= 0x7F; // A.s = 0
        BigInteger scalar = sign ? Q.subtract(k).mod(Q) : k;
        byte[] aBytes = toLittleEndian(scalar);
        byte[] prefix = new byte[32];
        Arrays.fill(prefix, (byte) 0xFF);
        prefix[0] = (byte) 0xFE; // 2^256 - 2, little endian: hash_1
        BigInteger r = littleEndian(sha512(prefix, aBytes, message, z)).mod(Q);
        byte[] rEncoded = encode(multiply(r, B));
        BigInteger h = littleEndian(sha512(rEncoded, a, message)).mod(Q);
        BigInteger s = r.add(h.multiply(scalar)).mod(Q);
        byte[] sig = new byte[64];
        System.arraycopy(rEncoded, 0, sig, 0, 32);
        System.arraycopy(toLittleEndian(s), 0, sig, 32, 32);
        Arrays.fill(aBytes, (byte) 0);
        return sig;
    }

    /** xeddsa_verify(u, M, sig). */
    static boolean verify(byte[] u, byte[] message, byte[] signature) {
        if (u.length != 32 || signature.length != 64) {
            return false;
        }
        BigInteger uu = littleEndian(u);
        if (uu.compareTo(P) >= 0) {
            return false;
        }
        BigInteger denominator = uu.add(BigInteger.ONE).mod(P);
        if (denominator.signum() == 0) {
            return false;
        }
        BigInteger y = uu.subtract(BigInteger.ONE).multiply(denominator.modInverse(P)).mod(P);
        byte[] a = toLittleEndian(y);
        return Ed25519.verify(signature, 0, a, 0, message, 0, message.length);
    }

    /** The old verify's conversion: y = (u - 1) / (u + 1), or null where it returned false before verifying. */
    static byte[] edwardsFromMontgomery(byte[] u) {
        BigInteger uu = littleEndian(u);
        if (uu.compareTo(P) >= 0) {
            return null;
        }
        BigInteger denominator = uu.add(BigInteger.ONE).mod(P);
        if (denominator.signum() == 0) {
            return null;
        }
        return toLittleEndian(uu.subtract(BigInteger.ONE).multiply(denominator.modInverse(P)).mod(P));
    }

    private static byte[] clamp(byte[] k) {
        byte[] c = k.clone();
        c[0] &= (byte) 248;
        c[31] &= 127;
        c[31] |= 64;
        return c;
    }

    // ---- Edwards25519 in extended coordinates (X, Y, Z, T) -------------------------------------------------------

    private static BigInteger[] point(BigInteger y, boolean odd) {
        BigInteger y2 = y.multiply(y).mod(P);
        BigInteger x2 = y2.subtract(BigInteger.ONE).multiply(D.multiply(y2).add(BigInteger.ONE).modInverse(P)).mod(P);
        BigInteger x = x2.modPow(P.add(BigInteger.valueOf(3)).shiftRight(3), P);
        if (!x.multiply(x).subtract(x2).mod(P).equals(BigInteger.ZERO)) {
            x = x.multiply(BigInteger.TWO.modPow(P.subtract(BigInteger.ONE).shiftRight(2), P)).mod(P);
        }
        if (x.testBit(0) != odd) {
            x = P.subtract(x);
        }
        return new BigInteger[] {x, y, BigInteger.ONE, x.multiply(y).mod(P)};
    }

    private static BigInteger[] add(BigInteger[] p, BigInteger[] q) {
        BigInteger a = p[1].subtract(p[0]).multiply(q[1].subtract(q[0])).mod(P);
        BigInteger b = p[1].add(p[0]).multiply(q[1].add(q[0])).mod(P);
        BigInteger c = p[3].multiply(BigInteger.TWO).multiply(D).multiply(q[3]).mod(P);
        BigInteger d = p[2].multiply(BigInteger.TWO).multiply(q[2]).mod(P);
        BigInteger e = b.subtract(a);
        BigInteger f = d.subtract(c);
        BigInteger g = d.add(c);
        BigInteger h = b.add(a);
        return new BigInteger[] {e.multiply(f).mod(P), g.multiply(h).mod(P), f.multiply(g).mod(P), e.multiply(h).mod(P)};
    }

    private static BigInteger[] multiply(BigInteger s, BigInteger[] p) {
        BigInteger[] r = {BigInteger.ZERO, BigInteger.ONE, BigInteger.ONE, BigInteger.ZERO};
        for (int i = s.bitLength() - 1; i >= 0; i--) {
            r = add(r, r);
            if (s.testBit(i)) {
                r = add(r, p);
            }
        }
        return r;
    }

    private static byte[] encode(BigInteger[] p) {
        BigInteger zInv = p[2].modInverse(P);
        BigInteger x = p[0].multiply(zInv).mod(P);
        BigInteger y = p[1].multiply(zInv).mod(P);
        byte[] out = toLittleEndian(y);
        if (x.testBit(0)) {
            out[31] |= (byte) 0x80;
        }
        return out;
    }

    private static BigInteger littleEndian(byte[] b) {
        byte[] be = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            be[i] = b[b.length - 1 - i];
        }
        return new BigInteger(1, be);
    }

    private static byte[] toLittleEndian(BigInteger v) {
        byte[] be = v.toByteArray();
        byte[] out = new byte[32];
        for (int i = 0; i < Math.min(32, be.length); i++) {
            out[i] = be[be.length - 1 - i];
        }
        return out;
    }

    private static byte[] sha512(byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-512");
            for (byte[] p : parts) {
                md.update(p);
            }
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
