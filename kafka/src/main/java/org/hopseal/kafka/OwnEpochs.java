package org.hopseal.kafka;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.HashAlgorithm;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The epochs a producer made, kept in its vault: the record {@code kafka/epochs/<identifier>} holds up to
 * {@link #MAX} entries of {@code epoch id (16) | SHA-256 of the epoch key's body (32)}, the oldest dropped first. After
 * a key rotation the producer re-signs exactly these with its new key, so that consumers who know the rotation still
 * read the records of earlier epochs, and never re-signs an epoch key someone else filed under its name (one signed
 * with a stolen, rotated-away key, say).
 */
final class OwnEpochs {
    private static final Logger LOG = LoggerFactory.getLogger(OwnEpochs.class);
    /** Epochs remembered at most: 1,024 hourly epochs are six weeks of a topic's records. */
    static final int MAX = 1024;
    private static final int ENTRY = EpochKey.EPOCH_ID_LENGTH + 32;

    private final Participant me;
    private final String record;
    private boolean unsupported;

    OwnEpochs(Participant me) {
        this.me = me;
        this.record = "kafka/epochs/" + me.identifier();
    }

    /** Remembers that this producer made epoch {@code epochId} with this body (replacing what it remembered of it). */
    void made(byte[] epochId, byte[] body) throws HopsealException {
        if (unsupported) {
            return;
        }
        byte[] entries = entries();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int keep = Math.max(0, entries.length / ENTRY - (MAX - 1));
        for (int i = keep; i < entries.length / ENTRY; i++) {
            if (!Arrays.equals(entries, i * ENTRY, i * ENTRY + EpochKey.EPOCH_ID_LENGTH, epochId, 0, EpochKey.EPOCH_ID_LENGTH)) {
                out.write(entries, i * ENTRY, ENTRY);
            }
        }
        out.writeBytes(epochId);
        out.writeBytes(digest(body));
        try {
            me.vaults().identity().putRecord(record, out.toByteArray());
        } catch (VaultException e) {
            if (e.kind() != ErrorKind.UNSUPPORTED) {
                throw e;
            }
            unsupported = true;
            LOG.warn("this vault keeps no records: after a key rotation, records of earlier epochs are not re-signed");
        }
    }

    /** Whether this producer made epoch {@code epochId} with exactly this body. */
    boolean isMine(byte[] epochId, byte[] body) throws HopsealException {
        byte[] entries = entries();
        byte[] digest = digest(body);
        for (int i = 0; i < entries.length / ENTRY; i++) {
            int at = i * ENTRY;
            if (Arrays.equals(entries, at, at + EpochKey.EPOCH_ID_LENGTH, epochId, 0, EpochKey.EPOCH_ID_LENGTH)
                    && Arrays.equals(entries, at + EpochKey.EPOCH_ID_LENGTH, at + ENTRY, digest, 0, digest.length)) {
                return true;
            }
        }
        return false;
    }

    private byte[] entries() throws HopsealException {
        return me.vaults().identity().record(record).orElse(new byte[0]);
    }

    private byte[] digest(byte[] body) throws HopsealException {
        return me.vaults().verifier().hash(HashAlgorithm.SHA256, body);
    }
}
