package org.hopseal.kafka;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
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
    /** Open participants by vault spec and identity: a key and a value serializer of one producer share one. */
    private static final Map<String, Participant> OPEN = new HashMap<>();
    private static final ReentrantLock OPEN_LOCK = new ReentrantLock();

    private final String name;
    private final HopsealNode node;
    private final Entity entity;
    private final Vaults vaults;
    /** Serializers and deserializers using this participant; guarded by {@link #OPEN_LOCK}. */
    private int users;

    private Participant(String name, HopsealNode node, Entity entity, Vaults vaults) {
        this.name = name;
        this.node = node;
        this.entity = entity;
        this.vaults = vaults;
    }

    /**
     * The vault and identity the configuration names (an identity named but not found is created), shared with the
     * other serializers and deserializers of this process that name the same: a file vault admits one opener, and
     * one identity is one producer or consumer. Each {@code open} needs its own {@link #close}.
     */
    static Participant open(HopsealKafkaConfig config) throws HopsealException {
        String vault = config.getString(HopsealKafkaConfig.VAULT);
        String identity = config.getString(HopsealKafkaConfig.IDENTITY);
        String name = vault + "\n" + identity;
        OPEN_LOCK.lock();
        try {
            Participant p = OPEN.get(name);
            if (p == null) {
                p = start(name, vault, identity);
                OPEN.put(name, p);
            }
            p.users++;
            return p;
        } finally {
            OPEN_LOCK.unlock();
        }
    }

    private static Participant start(String name, String vault, String identity) throws HopsealException {
        HopsealNode node = HopsealNode.builder().vault(vault).start();
        try {
            Entity entity = identity.startsWith("I") && identity.length() == 65
                    ? Entity.load(node.context(), identity)
                    : Entity.createOrLoad(node.context(), identity);
            return new Participant(name, node, entity, node.vaults());
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

    /** Stops the node and closes the vault once the last user closes. */
    @Override
    public void close() {
        OPEN_LOCK.lock();
        try {
            if (--users > 0) {
                return;
            }
            OPEN.remove(name);
        } finally {
            OPEN_LOCK.unlock();
        }
        node.close();
    }
}
