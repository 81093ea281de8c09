package org.hopseal.vault.software;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.bouncycastle.crypto.digests.Blake2sDigest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.hopseal.api.vault.HashAlgorithm;

/**
 * Hashes (SHA-2 through the JDK, BLAKE2 through BouncyCastle) and HMAC over any of them. The JDK's
 * {@code MessageDigest} and {@code Mac} objects come from {@link EnginePool}s instead of a provider look-up per call;
 * a {@code Mac} goes back to its pool only after it was initialized again with a public key, so no pooled object
 * holds a caller's key (or the HMAC pads derived from it) once a call returns.
 *
 * <p>Thread safety: thread safe (stateless but for the pools).
 */
final class Digests {
    /** The key a pooled {@code Mac} is left with: public, the same length as the keys HKDF gives it. */
    private static final byte[] PUBLIC_KEY = new byte[64];
    static final EnginePool<MessageDigest> SHA256 = EnginePool.perProcessor(() -> MessageDigest.getInstance("SHA-256"));
    static final EnginePool<MessageDigest> SHA512 = EnginePool.perProcessor(() -> MessageDigest.getInstance("SHA-512"));
    static final EnginePool<Mac> HMAC_SHA256 = EnginePool.perProcessor(() -> Mac.getInstance("HmacSHA256"));
    static final EnginePool<Mac> HMAC_SHA512 = EnginePool.perProcessor(() -> Mac.getInstance("HmacSHA512"));

    private Digests() {
    }

    static byte[] hash(HashAlgorithm algorithm, byte[]... parts) {
        switch (algorithm) {
            case SHA256, SHA512 -> {
                EnginePool<MessageDigest> pool = algorithm == HashAlgorithm.SHA256 ? SHA256 : SHA512;
                MessageDigest md = take(pool);
                for (byte[] p : parts) {
                    md.update(p);
                }
                byte[] out = md.digest(); // digest() resets the object and wipes its buffer
                pool.give(md);
                return out;
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
        Hmac mac = Hmac.init(algorithm, key);
        try {
            return mac.of(parts);
        } finally {
            mac.release();
        }
    }

    /** RFC 5869 HKDF: extract then expand into {@code length} bytes. */
    static byte[] hkdf(HashAlgorithm algorithm, byte[] salt, byte[] ikm, byte[] info, int length) {
        int hashLen = algorithm.hashLength();
        byte[] prk = hmac(algorithm, salt, ikm);
        Hmac expand = Hmac.init(algorithm, prk);
        try {
            byte[] out = new byte[length];
            byte[] t = new byte[0];
            int pos = 0;
            for (int i = 1; pos < length; i++) {
                byte[] next = expand.of(t, info, new byte[] {(byte) i});
                Scrub.bytes(t);
                t = next;
                int n = Math.min(hashLen, length - pos);
                System.arraycopy(t, 0, out, pos, n);
                pos += n;
            }
            Scrub.bytes(t);
            return out;
        } finally {
            expand.release();
            Scrub.bytes(prk);
        }
    }

    private static <T> T take(EnginePool<T> pool) {
        try {
            return pool.take();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-2 is missing from this JDK", e);
        }
    }

    /**
     * HMAC under one key, for as many messages as the caller needs: the JDK's (which uses the SHA-2 intrinsics) for
     * SHA-2 and a non-empty key, BouncyCastle's otherwise (the JDK refuses empty keys). {@link #release} wipes the
     * key state and gives a JDK object back to its pool.
     */
    private static final class Hmac {
        private final Mac jdk;
        private final EnginePool<Mac> pool;
        private final HMac bc;

        private Hmac(Mac jdk, EnginePool<Mac> pool, HMac bc) {
            this.jdk = jdk;
            this.pool = pool;
            this.bc = bc;
        }

        static Hmac init(HashAlgorithm algorithm, byte[] key) {
            if (key.length > 0 && (algorithm == HashAlgorithm.SHA256 || algorithm == HashAlgorithm.SHA512)) {
                EnginePool<Mac> pool = algorithm == HashAlgorithm.SHA256 ? HMAC_SHA256 : HMAC_SHA512;
                Mac mac = take(pool);
                try {
                    mac.init(new WipeableKey(key, mac.getAlgorithm()));
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
                return new Hmac(mac, pool, null);
            }
            HMac mac = new HMac(digest(algorithm));
            mac.init(new KeyParameter(key));
            return new Hmac(null, null, mac);
        }

        /** The HMAC of the concatenated parts; the key stays for the next message. */
        byte[] of(byte[]... parts) {
            if (jdk != null) {
                for (byte[] p : parts) {
                    jdk.update(p);
                }
                return jdk.doFinal();
            }
            for (byte[] p : parts) {
                bc.update(p, 0, p.length);
            }
            byte[] out = new byte[bc.getMacSize()];
            bc.doFinal(out, 0);
            return out;
        }

        /** Overwrites the key state with a public key's, then gives the JDK object back to its pool. */
        void release() {
            if (jdk == null) {
                return;
            }
            try {
                jdk.init(new WipeableKey(PUBLIC_KEY, jdk.getAlgorithm()));
            } catch (GeneralSecurityException e) {
                return; // not wiped: not pooled either
            }
            pool.give(jdk);
        }
    }
}
