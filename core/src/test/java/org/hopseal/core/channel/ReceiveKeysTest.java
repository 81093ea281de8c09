package org.hopseal.core.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.hopseal.api.error.AuthenticationFailedException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HandshakeException;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.vault.AeadAlgorithm;
import org.hopseal.api.vault.SecretHandle;
import org.hopseal.core.channel.noise.CipherState;
import org.hopseal.vault.software.SoftwareVault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The receive keys across rekeys: a sender rekeys every 1024 nonces, the receiver derives newer epochs on trial and
 * keeps one only when a frame authenticates under it.
 */
class ReceiveKeysTest {
    private static final byte[] NO_AD = new byte[0];
    private static final long INTERVAL = 1024;

    private final SoftwareVault vault = new SoftwareVault();
    /** The sender's key of each epoch, {@code epochKeys[e]} being {@code REKEY^e(k)}. */
    private final CipherState[] epochKeys = new CipherState[8];
    private final Map<Long, byte[]> sent = new HashMap<>();
    private ReceiveKeys keys;

    @BeforeEach
    void agreeOnAKey() throws Exception {
        byte[] shared = new byte[32];
        shared[0] = 42;
        SecretHandle secret = vault.importSecret(shared);
        epochKeys[0] = CipherState.withKey(vault, AeadAlgorithm.AES_256_GCM, vault.toAeadKey(secret, AeadAlgorithm.AES_256_GCM));
        for (int e = 1; e < epochKeys.length; e++) {
            epochKeys[e] = epochKeys[e - 1].successor();
        }
        keys = new ReceiveKeys(CipherState.withKey(vault, AeadAlgorithm.AES_256_GCM, vault.toAeadKey(secret, AeadAlgorithm.AES_256_GCM)));
        vault.delete(secret);
    }

    /** Receive keys of an unrelated channel, for tests that destroyed theirs. */
    private ReceiveKeys unrelatedKeys() throws HopsealException {
        SecretHandle secret = vault.importSecret(new byte[32]);
        ReceiveKeys k = new ReceiveKeys(CipherState.withKey(vault, AeadAlgorithm.AES_256_GCM, vault.toAeadKey(secret, AeadAlgorithm.AES_256_GCM)));
        vault.delete(secret);
        return k;
    }

    @AfterEach
    void close() throws Exception {
        for (CipherState c : epochKeys) {
            c.destroy();
        }
        keys.destroy();
        assertThat(vault.size()).as("every key is deleted").isZero();
        vault.close();
    }

    /** A genuine frame body (ciphertext and tag) as the sender makes it for {@code nonce}. */
    private byte[] genuine(long nonce) throws HopsealException {
        // Made once per nonce: the vault refuses to encrypt twice under one key and nonce.
        byte[] frame = sent.get(nonce);
        if (frame == null) {
            CipherState c = epochKeys[(int) (nonce / INTERVAL)];
            c.setNonce(nonce);
            frame = c.encryptWithAd(NO_AD, text(nonce));
            sent.put(nonce, frame);
        }
        return frame.clone();
    }

    /** A frame for {@code nonce} that no sender made: a genuine one with its tag broken. */
    private byte[] forged(long nonce) throws HopsealException {
        byte[] frame = genuine(nonce);
        frame[frame.length - 1] ^= 1;
        return frame;
    }

    private static byte[] text(long nonce) {
        return ("frame " + nonce).getBytes(StandardCharsets.US_ASCII);
    }

    private byte[] decrypt(long nonce, byte[] body) throws HopsealException {
        return keys.decrypt(nonce, body, 0, body.length);
    }

    /** Decrypts a body placed after a header, as frames arrive. */
    private byte[] decryptInFrame(long nonce, byte[] body) throws HopsealException {
        byte[] frame = new byte[ChannelFrame.DATA_HEADER + body.length];
        System.arraycopy(body, 0, frame, ChannelFrame.DATA_HEADER, body.length);
        return keys.decrypt(nonce, frame, ChannelFrame.DATA_HEADER, body.length);
    }

    @Test
    void framesOfTheFirstEpochDecryptAtAnyNonceOfIt() throws Exception {
        assertThat(decrypt(0, genuine(0))).isEqualTo(text(0));
        assertThat(decrypt(1023, genuine(1023))).isEqualTo(text(1023));
        assertThat(decrypt(5, genuine(5))).isEqualTo(text(5));
        assertThat(decryptInFrame(6, genuine(6))).isEqualTo(text(6));
    }

    @Test
    void aFrameOfTheNextEpochMovesTheKeysAndTheLastEpochStaysReadable() throws Exception {
        assertThat(decrypt(1023, genuine(1023))).isEqualTo(text(1023));
        assertThat(decrypt(1024, genuine(1024))).isEqualTo(text(1024));
        // Late frames of the previous epoch still decrypt; the new epoch keeps working.
        assertThat(decrypt(1000, genuine(1000))).isEqualTo(text(1000));
        assertThat(decrypt(1500, genuine(1500))).isEqualTo(text(1500));
        assertThat(decrypt(1022, genuine(1022))).isEqualTo(text(1022));
    }

    @Test
    void twoEpochsBackIsRefused() throws Exception {
        assertThat(decrypt(2 * INTERVAL, genuine(2 * INTERVAL))).isEqualTo(text(2 * INTERVAL));
        assertThat(decrypt(INTERVAL + 3, genuine(INTERVAL + 3))).as("the previous epoch").isEqualTo(text(INTERVAL + 3));
        assertHopsealError(ErrorKind.PROTOCOL, () -> decrypt(INTERVAL - 1, genuine(INTERVAL - 1)))
                .isInstanceOf(HandshakeException.class).hasMessageContaining("outside the key epochs kept");
    }

    @Test
    void aJumpOfUpToFourEpochsIsFollowedAndFiveIsRefused() throws Exception {
        assertThat(ReceiveKeys.MAX_EPOCH_JUMP).isEqualTo(4);
        assertThatThrownBy(() -> decrypt(5 * INTERVAL, genuine(5 * INTERVAL)))
                .isInstanceOf(HandshakeException.class).hasMessageContaining("outside the key epochs kept");
        assertThat(decrypt(4 * INTERVAL + 7, genuine(4 * INTERVAL + 7))).isEqualTo(text(4 * INTERVAL + 7));
        // Epoch 4 now; 3 is the previous one, and its key is the sender's epoch-3 key, not a skipped-over one.
        assertThat(decrypt(3 * INTERVAL + 9, genuine(3 * INTERVAL + 9))).isEqualTo(text(3 * INTERVAL + 9));
        assertThatThrownBy(() -> decrypt(2 * INTERVAL + 9, genuine(2 * INTERVAL + 9))).isInstanceOf(HandshakeException.class);
        assertThat(decrypt(4 * INTERVAL + 8, genuine(4 * INTERVAL + 8))).isEqualTo(text(4 * INTERVAL + 8));
    }

    @Test
    void aJumpOfTwoEpochsKeepsTheSkippedEpochAsThePreviousOne() throws Exception {
        assertThat(decrypt(2 * INTERVAL, genuine(2 * INTERVAL))).isEqualTo(text(2 * INTERVAL));
        assertThat(decrypt(INTERVAL + 1, genuine(INTERVAL + 1))).isEqualTo(text(INTERVAL + 1));
        assertThat(decrypt(3 * INTERVAL, genuine(3 * INTERVAL))).isEqualTo(text(3 * INTERVAL));
        assertThat(decrypt(2 * INTERVAL + 1, genuine(2 * INTERVAL + 1))).isEqualTo(text(2 * INTERVAL + 1));
        assertThat(decrypt(3 * INTERVAL + 1, genuine(3 * INTERVAL + 1))).isEqualTo(text(3 * INTERVAL + 1));
    }

    @Test
    void aForgedFrameAtAnEpochBoundaryDoesNotMoveTheKeys() throws Exception {
        assertThat(decrypt(1020, genuine(1020))).isEqualTo(text(1020));
        // Forged frames claiming each of the next epochs: all refused.
        for (long e = 1; e <= ReceiveKeys.MAX_EPOCH_JUMP; e++) {
            long nonce = e * INTERVAL;
            assertThatThrownBy(() -> decrypt(nonce, forged(nonce))).as("forged frame at nonce %d", nonce)
                    .isInstanceOf(AuthenticationFailedException.class);
        }
        // The keys did not move: the sender's frames of the current epoch still decrypt ...
        assertThat(decrypt(1021, genuine(1021))).isEqualTo(text(1021));
        assertThat(decrypt(0, genuine(0))).isEqualTo(text(0));
        // ... and the real next epoch is still reached from the current one.
        assertThat(decrypt(INTERVAL, genuine(INTERVAL))).isEqualTo(text(INTERVAL));
        assertThat(decrypt(1022, genuine(1022))).isEqualTo(text(1022));
    }

    @Test
    void aForgedFrameTwoEpochsAheadLeavesTheCurrentEpochReadable() throws Exception {
        assertThatThrownBy(() -> decrypt(2 * INTERVAL, forged(2 * INTERVAL))).isInstanceOf(AuthenticationFailedException.class);
        assertThat(decrypt(3, genuine(3))).isEqualTo(text(3));
    }

    @Test
    void aForgedFrameInTheCurrentOrPreviousEpochIsRefusedAndChangesNothing() throws Exception {
        assertThat(decrypt(INTERVAL + 2, genuine(INTERVAL + 2))).isEqualTo(text(INTERVAL + 2));
        assertThatThrownBy(() -> decrypt(INTERVAL + 3, forged(INTERVAL + 3))).isInstanceOf(AuthenticationFailedException.class);
        assertThatThrownBy(() -> decrypt(7, forged(7))).isInstanceOf(AuthenticationFailedException.class);
        assertThat(decrypt(INTERVAL + 3, genuine(INTERVAL + 3))).isEqualTo(text(INTERVAL + 3));
        assertThat(decrypt(7, genuine(7))).isEqualTo(text(7));
    }

    @Test
    void aFrameUnderTheWrongEpochsKeyIsRefused() throws Exception {
        // Encrypted with epoch 0's key but claiming nonce 1024: the receiver uses epoch 1's key.
        epochKeys[0].setNonce(INTERVAL);
        byte[] wrongKey = epochKeys[0].encryptWithAd(NO_AD, text(INTERVAL));
        assertThatThrownBy(() -> decrypt(INTERVAL, wrongKey)).isInstanceOf(AuthenticationFailedException.class);
        assertThat(decrypt(1, genuine(1))).isEqualTo(text(1));
    }

    @Test
    void theNonceIsPartOfWhatAuthenticates() throws Exception {
        byte[] frame = genuine(10);
        assertThatThrownBy(() -> decrypt(11, frame)).isInstanceOf(AuthenticationFailedException.class);
        assertThat(decrypt(10, frame)).isEqualTo(text(10));
    }

    @Test
    void destroyDeletesBothKeptKeys() throws Exception {
        int before = vault.size();
        assertThat(decrypt(INTERVAL, genuine(INTERVAL))).isEqualTo(text(INTERVAL));
        assertThat(vault.size()).as("current and previous").isEqualTo(before + 1);
        assertThat(decrypt(3 * INTERVAL, genuine(3 * INTERVAL))).isEqualTo(text(3 * INTERVAL));
        assertThat(vault.size()).as("still current and previous; the skipped ones are deleted").isEqualTo(before + 1);
        assertThatThrownBy(() -> decrypt(5 * INTERVAL, forged(5 * INTERVAL))).isInstanceOf(AuthenticationFailedException.class);
        assertThat(vault.size()).as("keys derived for a forged frame are deleted").isEqualTo(before + 1);
        keys.destroy();
        assertThat(vault.size()).isEqualTo(before - 1);
        keys = unrelatedKeys();
    }
}
