package org.hopseal.kafka;

import java.util.Arrays;
import java.util.Optional;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Persistence;
import org.hopseal.api.vault.Vaults;

/**
 * A consumer identity's persistent X25519 reader key: made on first use in the vault's channel vault, found again by
 * the public part kept in the record {@code kafka/reader/<identifier>}.
 */
final class ReaderKey {
    private ReaderKey() {
    }

    static AgreementKeyHandle loadOrCreate(Vaults vaults, Identifier reader) throws HopsealException {
        String record = "kafka/reader/" + reader;
        Optional<byte[]> stored = vaults.identity().record(record);
        if (stored.isPresent()) {
            for (AgreementKeyHandle h : vaults.channel().agreementKeys()) {
                if (h.type() == KeyType.X25519 && Arrays.equals(vaults.channel().publicKey(h).bytes(), stored.get())) {
                    return h;
                }
            }
            throw new VaultException(ErrorKind.NOT_FOUND, "the Kafka reader key of " + reader
                    + " is recorded in this vault but the key itself is gone; records wrapped to it cannot be read");
        }
        AgreementKeyHandle created = vaults.channel().generateAgreementKey(KeyType.X25519, Persistence.PERSISTENT);
        vaults.identity().putRecord(record, vaults.channel().publicKey(created).bytes());
        return created;
    }
}
