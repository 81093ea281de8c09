package org.hopseal.vault.software;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.spec.AlgorithmParameterSpec;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.AeadAlgorithm;

/**
 * The JDK cipher objects behind one AEAD algorithm's keys, pooled ({@link EnginePool}) so that a new key (a handshake
 * makes several) or a REKEY does not pay {@code Cipher.getInstance} and the provider look-up of a first
 * {@code init}. A cipher comes back to the pool only {@linkplain #give wiped}: initialized for encryption under a
 * public key and a nonce no cipher was given before, which overwrites the copies of the last key the JDK keeps and
 * leaves its nonce-reuse guard comparing against the public key. So no pooled cipher holds a key of the vault, and
 * a cipher taken from the pool can do nothing before it is initialized with its new key.
 *
 * <p>Thread safety: thread safe; a cipher belongs to the thread that took it until it is given back.
 */
final class AeadCiphers {
    private static final Map<AeadAlgorithm, AeadCiphers> BY_ALGORITHM = new EnumMap<>(AeadAlgorithm.class);
    /** Numbers the wiping nonces, so that a cipher is never wiped twice under the same key and nonce. */
    private static final AtomicLong WIPES = new AtomicLong();

    static {
        for (AeadAlgorithm a : AeadAlgorithm.values()) {
            BY_ALGORITHM.put(a, new AeadCiphers(a));
        }
    }

    private final AeadAlgorithm algorithm;
    private final String keyAlgorithm;
    private final EnginePool<Cipher> pool;
    private final WipeableKey publicKey;

    private AeadCiphers(AeadAlgorithm algorithm) {
        this.algorithm = algorithm;
        boolean chacha = algorithm == AeadAlgorithm.CHACHA20_POLY1305;
        this.keyAlgorithm = chacha ? "ChaCha20" : "AES";
        String transformation = chacha ? "ChaCha20-Poly1305" : "AES/GCM/NoPadding";
        this.pool = EnginePool.perProcessor(() -> Cipher.getInstance(transformation));
        this.publicKey = new WipeableKey(new byte[algorithm.keyLength()], keyAlgorithm);
    }

    static AeadCiphers of(AeadAlgorithm algorithm) {
        return BY_ALGORITHM.get(algorithm);
    }

    /** The JDK's name of this algorithm's keys: "AES" or "ChaCha20". */
    String keyAlgorithm() {
        return keyAlgorithm;
    }

    /** A cipher for the calling thread alone, to be initialized with its key before use. */
    Cipher take() throws VaultException {
        try {
            return pool.take();
        } catch (GeneralSecurityException e) {
            throw new VaultException(ErrorKind.UNSUPPORTED, algorithm + " is not available in this JDK");
        }
    }

    /** Wipes {@code cipher} (see the class comment) and keeps it for the next key; one that cannot be wiped is dropped. */
    void give(Cipher cipher) {
        byte[] nonce = ByteBuffer.allocate(AeadAlgorithm.NONCE_LENGTH).putLong(4, WIPES.incrementAndGet()).array();
        try {
            cipher.init(Cipher.ENCRYPT_MODE, publicKey, params(nonce));
        } catch (GeneralSecurityException e) {
            return;
        }
        pool.give(cipher);
    }

    /** The number of ciphers kept. */
    int kept() {
        return pool.kept();
    }

    /** The JDK's parameters for one message under {@code nonce}. */
    AlgorithmParameterSpec params(byte[] nonce) {
        return algorithm == AeadAlgorithm.CHACHA20_POLY1305 ? new IvParameterSpec(nonce) : new GCMParameterSpec(128, nonce);
    }
}
