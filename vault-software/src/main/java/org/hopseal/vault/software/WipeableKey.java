package org.hopseal.vault.software;

import java.util.Arrays;
import javax.crypto.SecretKey;

/**
 * Key bytes as the JDK's engines take them ({@code Mac.init}, {@code Cipher.init}), without the copy a
 * {@code SecretKeySpec} makes and never wipes. It holds the caller's array itself: whoever owns that array wipes it,
 * through {@link #destroy} or directly. The engines read a copy ({@link #getEncoded}) and wipe or keep that copy as
 * they do for any key.
 *
 * <p>Thread safety: immutable until {@link #destroy}; wiping while an engine reads the key is the owner's error.
 */
final class WipeableKey implements SecretKey {
    private static final long serialVersionUID = 1L;

    private final byte[] bytes;
    private final String algorithm;
    private volatile boolean destroyed;

    /** A view of {@code bytes} (not a copy) as a key for {@code algorithm} ("AES", "ChaCha20", "HmacSHA256", ...). */
    WipeableKey(byte[] bytes, String algorithm) {
        this.bytes = bytes;
        this.algorithm = algorithm;
    }

    @Override
    public String getAlgorithm() {
        return algorithm;
    }

    @Override
    public String getFormat() {
        return "RAW";
    }

    /** A copy of the key bytes; the engine that asked owns it. */
    @Override
    public byte[] getEncoded() {
        return bytes.clone();
    }

    /** Zeroes the key bytes. */
    @Override
    public void destroy() {
        Arrays.fill(bytes, (byte) 0);
        destroyed = true;
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }
}
