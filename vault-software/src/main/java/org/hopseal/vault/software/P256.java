package org.hopseal.vault.software;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.KeyAgreement;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;

/**
 * P-256 through the JDK (ECDSA with raw r‖s signatures, ECDH); public points are decoded and checked on the curve
 * with BouncyCastle. Public keys are 65-byte uncompressed points, private keys 32-byte big-endian scalars.
 *
 * <p>Other vault modules (a token that derives P-256 secrets) use its public methods to check peers' points and
 * scalars they are given; what signs or agrees with a raw private key stays inside this module.
 *
 * @since 0.1
 */
public final class P256 {
    private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256r1");
    private static final ECParameterSpec SPEC;
    private static final BigInteger HALF_ORDER = CURVE.getN().shiftRight(1);

    static {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            SPEC = ((ECPublicKey) g.generateKeyPair().getPublic()).getParams();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private P256() {
    }

    /**
     * A private scalar drawn uniformly from [1, n-1]: 32 random bytes, drawn again while out of range (FIPS 186-5,
     * A.2.2, rejection sampling).
     */
    static byte[] generatePrivate(SecureRandom random) {
        byte[] priv = new byte[32];
        do {
            random.nextBytes(priv);
        } while (!validPrivate(priv));
        return priv;
    }

    /** The uncompressed public point of a private scalar (which must be {@linkplain #validPrivate valid}). */
    public static byte[] publicFromPrivate(byte[] priv) {
        var q = CURVE.getG().multiply(new BigInteger(1, priv)).normalize();
        return q.getEncoded(false);
    }

    static byte[] sign(byte[] priv, byte[] data) throws GeneralSecurityException {
        Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
        s.initSign(privateKey(priv));
        s.update(data);
        return lowS(s.sign());
    }

    /**
     * A raw {@code r‖s} signature in low-S form: {@code s} replaced by {@code n − s} when it is above {@code n/2}. The
     * signature stays valid; Hopseal accepts only this form, so a signature has exactly one encoding (no
     * {@code (r, n−s)} variants for free).
     */
    public static byte[] lowS(byte[] sig) {
        if (sig.length != 64 || isLowS(sig)) {
            return sig;
        }
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
        byte[] out = sig.clone();
        System.arraycopy(fixed(CURVE.getN().subtract(s)), 0, out, 32, 32);
        return out;
    }

    /** Whether the {@code s} of a raw {@code r‖s} signature is at most {@code n/2}. */
    public static boolean isLowS(byte[] sig) {
        return new BigInteger(1, Arrays.copyOfRange(sig, 32, 64)).compareTo(HALF_ORDER) <= 0;
    }

    /** Verifies a raw {@code r‖s} signature; one in high-S form is refused (see {@link #lowS}). */
    static boolean verify(byte[] pub, byte[] data, byte[] sig) throws GeneralSecurityException {
        if (!isLowS(sig)) {
            return false;
        }
        Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
        s.initVerify(publicKey(pub));
        s.update(data);
        try {
            return s.verify(sig);
        } catch (SignatureException e) {
            return false;
        }
    }

    static byte[] agree(byte[] priv, byte[] peer) throws GeneralSecurityException {
        KeyAgreement ka = KeyAgreement.getInstance("ECDH");
        ka.init(privateKey(priv));
        ka.doPhase(publicKey(peer), true);
        return ka.generateSecret();
    }

    /** Decodes and validates an uncompressed point; throws {@link IllegalArgumentException} when it is not one. */
    static PublicKey publicKey(byte[] point) throws GeneralSecurityException {
        if (point.length != 65 || point[0] != 4) {
            throw new IllegalArgumentException("a P-256 public key is a 65-byte uncompressed point");
        }
        var p = CURVE.getCurve().decodePoint(point);
        if (p.isInfinity() || !p.isValid()) {
            throw new IllegalArgumentException("point is not on P-256");
        }
        p = p.normalize();
        ECPoint w = new ECPoint(p.getAffineXCoord().toBigInteger(), p.getAffineYCoord().toBigInteger());
        return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, SPEC));
    }

    /** Whether {@code priv} is a 32-byte scalar in [1, n-1]. */
    public static boolean validPrivate(byte[] priv) {
        BigInteger s = new BigInteger(1, priv);
        return priv.length == 32 && s.signum() > 0 && s.compareTo(CURVE.getN()) < 0;
    }

    /** Whether {@code point} is a 65-byte uncompressed point on P-256 (not the point at infinity). */
    public static boolean isValidPoint(byte[] point) {
        try {
            publicKey(point);
            return true;
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return false;
        }
    }

    private static PrivateKey privateKey(byte[] priv) throws GeneralSecurityException {
        return KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(new BigInteger(1, priv), SPEC));
    }

    private static byte[] fixed(BigInteger v) {
        byte[] b = v.toByteArray();
        byte[] out = new byte[32];
        int n = Math.min(b.length, 32);
        System.arraycopy(b, b.length - n, out, 32 - n, n);
        return out;
    }
}
