package org.hopseal.vault.software;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.bouncycastle.crypto.digests.Blake2sDigest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.hopseal.api.vault.HashAlgorithm;

/** Hashes (SHA-2 through the JDK, BLAKE2 through BouncyCastle) and HMAC over any of them. */
final class Digests {
    private Digests() {
    }

    static byte[] hash(HashAlgorithm algorithm, byte[]... parts) {
        switch (algorithm) {
            case SHA256, SHA512 -> {
                try {
                    MessageDigest md = MessageDigest.getInstance(algorithm == HashAlgorithm.SHA256 ? "SHA-256" : "SHA-512");
                    for (byte[] p : parts) {
                        md.update(p);
                    }
                    return md.digest();
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            }
            default -> {
                Digest d = digest(algorithm);
                for (byte[] p : parts) {
                    d.update(p, 0, p.length);
                }
                byte[] out = new byte[d.getDigestSize()];
                d.doFinal(out, 0);
                return out;
            }
        }
    }

    static Digest digest(HashAlgorithm algorithm) {
        return switch (algorithm) {
            case SHA256 -> new SHA256Digest();
            case SHA512 -> new SHA512Digest();
            case BLAKE2S -> new Blake2sDigest();
            case BLAKE2B -> new Blake2bDigest();
        };
    }

    static byte[] hmac(HashAlgorithm algorithm, byte[] key, byte[]... parts) {
        if (key.length > 0 && (algorithm == HashAlgorithm.SHA256 || algorithm == HashAlgorithm.SHA512)) {
            // The JDK's HMAC uses the SHA-2 intrinsics; it refuses empty keys, which BouncyCastle's takes below.
            try {
                Mac mac = Mac.getInstance(algorithm == HashAlgorithm.SHA256 ? "HmacSHA256" : "HmacSHA512");
                mac.init(new SecretKeySpec(key, mac.getAlgorithm()));
                for (byte[] p : parts) {
                    mac.update(p);
                }
                return mac.doFinal();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        HMac mac = new HMac(digest(algorithm));
        mac.init(new KeyParameter(key));
        for (byte[] p : parts) {
            mac.update(p, 0, p.length);
        }
        byte[] out = new byte[mac.getMacSize()];
        mac.doFinal(out, 0);
        return out;
    }

    /** RFC 5869 HKDF: extract then expand into {@code length} bytes. */
    static byte[] hkdf(HashAlgorithm algorithm, byte[] salt, byte[] ikm, byte[] info, int length) {
        int hashLen = algorithm.hashLength();
        byte[] prk = hmac(algorithm, salt, ikm);
        try {
            byte[] out = new byte[length];
            byte[] t = new byte[0];
            int pos = 0;
            for (int i = 1; pos < length; i++) {
                byte[] next = hmac(algorithm, prk, t, info, new byte[] {(byte) i});
                Scrub.bytes(t);
                t = next;
                int n = Math.min(hashLen, length - pos);
                System.arraycopy(t, 0, out, pos, n);
                pos += n;
            }
            Scrub.bytes(t);
            return out;
        } finally {
            Scrub.bytes(prk);
        }
    }
}
