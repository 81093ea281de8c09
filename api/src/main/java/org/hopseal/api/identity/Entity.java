package org.hopseal.api.identity;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.hopseal.api.credential.Credential;
import org.hopseal.api.credential.EnrollmentTicket;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.IdentityException;
import org.hopseal.api.internal.RuntimeServices;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.worker.Context;

/**
 * Who is talking: an identity whose keys live in a vault, which opens and accepts mutually authenticated secure
 * channels.
 *
 * <p>A message sent along {@code [channel, ...rest]} is encrypted as it enters the channel and decrypted as it leaves
 * at the peer, which forwards it along {@code rest}; replies come back through the same channel. Messages that leave
 * a channel carry the peer's verified identifier ({@link org.hopseal.api.routing.Routed#peerIdentifier()}).
 *
 * <p>Thread safety: thread safe.
 *
 * @since 0.1
 */
public interface Entity {
    /**
     * Creates a new identity on the node's vault: the one configured for the node or, when none is, an in-memory
     * software vault created for the node (which the log says).
     */
    static Entity create(Context ctx) throws HopsealException {
        return RuntimeServices.get(EntityFactory.class).create(ctx, null);
    }

    /** Creates a new identity whose keys live in {@code vaults}. */
    static Entity create(Context ctx, Vaults vaults) throws HopsealException {
        return RuntimeServices.get(EntityFactory.class).create(ctx, vaults);
    }

    /**
     * Creates a new identity named {@code name} in {@code vaults} (see {@link StoredEntity} for what a name may be),
     * with an Ed25519 identity key where the vault has one, else ECDSA P-256. Fails with
     * {@link ErrorKind#ALREADY_EXISTS} if the vault holds an identity of that name.
     */
    static Entity create(Context ctx, Vaults vaults, String name) throws HopsealException {
        return RuntimeServices.get(EntityFactory.class).create(ctx, vaults, StoredEntity.checkName(name), null);
    }

    /** Creates a new identity named {@code name} in {@code vaults} with an identity key of {@code keyType}. */
    static Entity create(Context ctx, Vaults vaults, String name, KeyType keyType) throws HopsealException {
        return RuntimeServices.get(EntityFactory.class).create(ctx, vaults, StoredEntity.checkName(name), Objects.requireNonNull(keyType, "keyType"));
    }

    /**
     * Loads the identity stored in the node's vault under {@code nameOrIdentifier}; fails with
     * {@link ErrorKind#NOT_FOUND} if there is none.
     */
    static Entity load(Context ctx, String nameOrIdentifier) throws HopsealException {
        return RuntimeServices.get(EntityFactory.class).load(ctx, null, nameOrIdentifier);
    }

    /** Loads the identity stored in {@code vaults} under {@code nameOrIdentifier}. */
    static Entity load(Context ctx, Vaults vaults, String nameOrIdentifier) throws HopsealException {
        return RuntimeServices.get(EntityFactory.class).load(ctx, Objects.requireNonNull(vaults, "vaults"), nameOrIdentifier);
    }

    /** Loads the identity named {@code name} from the node's vault, creating it there first if there is none. */
    static Entity createOrLoad(Context ctx, String name) throws HopsealException {
        return createOrLoad(RuntimeServices.get(EntityFactory.class), ctx, null, name);
    }

    /** Loads the identity named {@code name} from {@code vaults}, creating it there first if there is none. */
    static Entity createOrLoad(Context ctx, Vaults vaults, String name) throws HopsealException {
        return createOrLoad(RuntimeServices.get(EntityFactory.class), ctx, Objects.requireNonNull(vaults, "vaults"), name);
    }

    private static Entity createOrLoad(EntityFactory factory, Context ctx, Vaults vaults, String name) throws HopsealException {
        StoredEntity.checkName(name);
        try {
            return factory.load(ctx, vaults, name);
        } catch (IdentityException e) {
            if (e.kind() != ErrorKind.NOT_FOUND) {
                throw e;
            }
            return factory.create(ctx, vaults, name, null);
        }
    }

    /** The identities stored in {@code vaults}, with their names. */
    static List<StoredEntity> list(Vaults vaults) throws HopsealException {
        return RuntimeServices.get(EntityFactory.class).list(vaults);
    }

    /**
     * Deletes the identity stored in {@code vaults} under {@code nameOrIdentifier}: its record and its keys. Peers
     * that know it keep knowing it; a channel can no longer be opened as it. Returns what was deleted.
     */
    static StoredEntity delete(Vaults vaults, String nameOrIdentifier) throws HopsealException {
        return RuntimeServices.get(EntityFactory.class).delete(vaults, nameOrIdentifier);
    }

    Identifier identifier();

    /** Accepts channels at {@code address}, trusting every authenticated peer. */
    default void createSecureChannelListener(String address) throws HopsealException {
        createSecureChannelListener(address, SecureChannelOptions.defaults());
    }

    default void createSecureChannelListener(String address, TrustPolicy trustPolicy) throws HopsealException {
        createSecureChannelListener(address, SecureChannelOptions.defaults().withTrustPolicy(trustPolicy));
    }

    void createSecureChannelListener(String address, SecureChannelOptions options) throws HopsealException;

    /** Opens a channel to the listener at the end of {@code to}, trusting every authenticated peer. */
    default Address createSecureChannel(String to) throws HopsealException {
        return createSecureChannel(Route.of(to), SecureChannelOptions.defaults());
    }

    default Address createSecureChannel(Address to) throws HopsealException {
        return createSecureChannel(Route.of(to), SecureChannelOptions.defaults());
    }

    default Address createSecureChannel(Route to) throws HopsealException {
        return createSecureChannel(to, SecureChannelOptions.defaults());
    }

    default Address createSecureChannel(String to, TrustPolicy trustPolicy) throws HopsealException {
        return createSecureChannel(Route.of(to), SecureChannelOptions.defaults().withTrustPolicy(trustPolicy));
    }

    default Address createSecureChannel(Route to, TrustPolicy trustPolicy) throws HopsealException {
        return createSecureChannel(to, SecureChannelOptions.defaults().withTrustPolicy(trustPolicy));
    }

    /**
     * Opens a channel to the listener at the end of {@code to} and returns the address of this side's channel end;
     * it returns once both sides have authenticated each other and their trust policies accepted.
     */
    Address createSecureChannel(Route to, SecureChannelOptions options) throws HopsealException;

    /** Replaces the identity key; the identifier stays the same. */
    void rotateKey() throws HopsealException;

    /**
     * Signs, as an authority, a credential that {@code subject} has {@code attributes} for {@code ttl} from now (at most
     * 366 days). The credential names the subject's current history head: the one this node knows (an imported
     * contact, or a peer seen in a handshake), else the identifier's own, which is right for an identity that never
     * rotated its key; a subject that rotated since needs a new credential. Attribute names and values follow
     * {@link Credential#checkAttribute}.
     *
     * @since 0.3
     */
    Credential issueCredential(Identifier subject, Map<String, String> attributes, Duration ttl) throws HopsealException;

    /**
     * Signs, as an authority, an enrollment ticket: whoever presents it to this identity's
     * {@link org.hopseal.api.credential.Authority} service (reached along {@code toListener}, the route to a secure
     * channel listener of its node) is enrolled with {@code attributes}, up to {@code uses} times (1 to 1,000), until
     * {@code ttl} from now (at most 30 days). The ticket is a secret.
     *
     * @since 0.3
     */
    EnrollmentTicket issueEnrollmentTicket(Route toListener, Map<String, String> attributes, Duration ttl, int uses)
            throws HopsealException;

    /** The verifiable history of this identity's keys. */
    ChangeHistory changeHistory();

    /** This identity as a contact others can import: its public change history. */
    default ChangeHistory exportContact() {
        return changeHistory();
    }

    /** Verifies an exported contact and remembers it; fails if its history does not verify. */
    PeerIdentity importContact(byte[] encodedChangeHistory) throws HopsealException;

    /**
     * Verifies a peer met outside a secure channel (a statement read from a shared log, say): its change history, as
     * {@link #importContact} does (a history that ends at a key the peer rotated away is refused), then the
     * credentials it presents, against {@code authorities} as a channel does ({@code docs/credentials.md}). The peer
     * returned carries the attributes those credentials prove, none if none came from a trusted authority. Unlike
     * {@link #importContact}, the peer is not added to {@link #contacts()}.
     *
     * @throws HopsealException if the history does not verify, or a credential from a trusted authority does not
     *     ({@link org.hopseal.api.error.CredentialException})
     */
    PeerIdentity verifyPeer(byte[] encodedChangeHistory, List<Credential> presented, Set<Identifier> authorities)
            throws HopsealException;

    /** The contacts imported so far. */
    List<PeerIdentity> contacts();
}
