package org.hopseal.core.channel;

import org.hopseal.api.error.AuthenticationFailedException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HandshakeException;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.VaultException;
import org.hopseal.core.channel.noise.CipherState;

/**
 * The receiving keys of a channel across rekeys. The sender rekeys (Noise {@code REKEY}) every
 * {@value #REKEY_INTERVAL} messages, so a nonce's key epoch is {@code nonce / REKEY_INTERVAL}. The current epoch's
 * key and the previous one are kept, so that late messages within the nonce window still decrypt. A newer epoch is
 * derived on trial and kept only if the message decrypts, so forged nonces cannot move the keys.
 *
 * <p>Thread safety: not thread safe; owned by one decryptor.
 */
final class ReceiveKeys {
    static final long REKEY_INTERVAL = 1024;
    private static final byte[] NO_AD = new byte[0];
    /** How many epochs ahead a message may be (lost messages in between). */
    static final int MAX_EPOCH_JUMP = 4;

    private CipherState current;
    private CipherState previous;
    private long epoch;

    ReceiveKeys(CipherState first) {
        this.current = first;
    }

    /** Decrypts the {@code length} bytes of ciphertext at {@code offset} of {@code frame}, sent with {@code nonce}. */
    byte[] decrypt(long nonce, byte[] frame, int offset, int length) throws HopsealException {
        long e = nonce / REKEY_INTERVAL;
        if (e == epoch) {
            return decryptWith(current, nonce, frame, offset, length);
        }
        if (e == epoch - 1 && previous != null) {
            return decryptWith(previous, nonce, frame, offset, length);
        }
        if (e < epoch || e - epoch > MAX_EPOCH_JUMP) {
            throw new HandshakeException(ErrorKind.PROTOCOL, "nonce outside the key epochs kept");
        }
        CipherState[] chain = new CipherState[(int) (e - epoch)];
        CipherState c = current;
        for (int i = 0; i < chain.length; i++) {
            c = c.successor();
            chain[i] = c;
        }
        try {
            byte[] plaintext = decryptWith(c, nonce, frame, offset, length);
            CipherState oldPrevious = previous;
            previous = chain.length == 1 ? current : chain[chain.length - 2];
            if (chain.length > 1) {
                current.destroy();
            }
            for (int i = 0; i < chain.length - 2; i++) {
                chain[i].destroy();
            }
            if (oldPrevious != null) {
                oldPrevious.destroy();
            }
            current = c;
            epoch = e;
            return plaintext;
        } catch (HopsealException ex) {
            for (CipherState s : chain) {
                s.destroy();
            }
            throw ex;
        }
    }

    private static byte[] decryptWith(CipherState c, long nonce, byte[] frame, int offset, int length)
            throws HandshakeException, VaultException, AuthenticationFailedException {
        c.setNonce(nonce);
        return c.decryptWithAd(NO_AD, frame, offset, length);
    }

    void destroy() throws VaultException {
        current.destroy();
        if (previous != null) {
            previous.destroy();
        }
    }
}
