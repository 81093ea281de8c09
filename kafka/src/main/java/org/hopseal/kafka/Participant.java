package org.hopseal.kafka;

import java.util.List;
import org.hopseal.api.credential.Credential;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.IdentityException;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.identity.PeerIdentity;
import org.hopseal.api.node.HopsealNode;
import org.hopseal.api.vault.SigningKeyHandle;
import org.hopseal.api.vault.Vaults;

/**
 * A producer's or consumer's Hopseal side: a node without transports, its vault and its identity, which signs and
 * verifies key-topic statements.
 */
final class Participant implements AutoCloseable {
    private final HopsealNode node;
    private final Entity entity;
    private final Vaults vaults;

    private Participant(HopsealNode node, Entity entity, Vaults vaults) {
        this.node = node;
        this.entity = entity;
        this.vaults = vaults;
    }

    /** Opens the vault and the identity the configuration names (an identity named but not found is created). */
    static Participant open(HopsealKafkaConfig config) throws HopsealException {
        HopsealNode node = HopsealNode.builder().vault(config.getString(HopsealKafkaConfig.VAULT)).start();
        try {
            String identity = config.getString(HopsealKafkaConfig.IDENTITY);
            Entity entity = identity.startsWith("I") && identity.length() == 65
                    ? Entity.load(node.context(), identity)
                    : Entity.createOrLoad(node.context(), identity);
            return new Participant(node, entity, node.vaults());
        } catch (HopsealException | RuntimeException e) {
            node.close();
            throw e;
        }
    }

    Identifier identifier() {
        return entity.identifier();
    }

    byte[] history() {
        return entity.changeHistory().encoded();
    }

    Vaults vaults() {
        return vaults;
    }

    HopsealNode node() {
        return node;
    }

    Entity entity() {
        return entity;
    }

    /** Signs a statement with this identity's key in force. */
    Statement sign(Statement.Kind kind, byte[] body) throws HopsealException {
        SigningKeyHandle key = vaults.identity().find(entity.changeHistory().currentKey()).orElseThrow(() -> new IdentityException(
                ErrorKind.NOT_FOUND, "the signing key of identity " + entity.identifier() + " is not in its vault"));
        return new Statement(kind, body, vaults.identity().sign(key, Statement.signedBytes(kind, body)));
    }

    /**
     * Verifies that {@code statement} is signed by the identity of {@code history} (accepted as {@link Entity#verifyPeer}
     * accepts it) and returns that identity with the attributes {@code credentials} prove.
     */
    PeerIdentity verify(Statement statement, byte[] history, List<Credential> credentials, HopsealKafkaConfig config)
            throws HopsealException {
        PeerIdentity signer = entity.verifyPeer(history, credentials, config.authorities());
        vaults.verifier().verify(signer.identityKey(), Statement.signedBytes(statement.kind(), statement.body()), statement.signature());
        return signer;
    }

    @Override
    public void close() {
        node.close();
    }
}
