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
 * <p>The static methods need the runtime ({@code hopseal-core}) on the class or module path, and a context that
 * runtime made; they throw {@link IllegalStateException} without the runtime and {@link IllegalArgumentException}
 * for another context. Stored identities live as vault records: their names, histories and channel keys'
 * public parts are not secret.
 *
 * <h2>Errors</h2>
 * Failures are {@link HopsealException}s: {@link IdentityException} for identities ({@code INVALID} for a bad name or
 * a malformed or corrupt history, {@code NOT_FOUND}, {@code ALREADY_EXISTS}, {@code UNTRUSTED} for a history that
 * forks from or falls behind one this node knows), {@link org.hopseal.api.error.VaultException} from the vault
 * (for example {@code UNSUPPORTED} for a key type it does not have, {@code UNAVAILABLE} for a token that went away),
 * {@link org.hopseal.api.error.CredentialException} for credentials and tickets, and, when opening channels,
 * {@link org.hopseal.api.error.HandshakeException}, {@link org.hopseal.api.error.RoutingException} and
 * {@link org.hopseal.api.error.HopsealTimeoutException}.
 *
 * <p>Thread safety: thread safe.
 *
 * @since 0.1
 */
public interface Entity {
    /**
     * Creates a new, unnamed identity on the node's vault: the one configured for the node or, when none is, an
     * in-memory software vault created for the node (which the log says). Its identity key is Ed25519 where the vault
     * has it, else ECDSA P-256. Where the vault keeps records, it can be loaded again by its identifier.
     *
     * @param ctx a context of the node whose vault holds the keys and whose workers run the channels
     * @return the new identity
     * @throws HopsealException a {@code VaultException} if the node's vault cannot be opened or refuses the keys
     */
    static Entity create(Context ctx) throws HopsealException {
        return RuntimeServices.get(EntityFactory.class).create(ctx, null);
    }

    /**
     * Creates a new, unnamed identity whose keys live in {@code vaults}, as {@link #create(Context)} does.
     *
     * @param ctx a context of the node whose workers run the channels
     * @param vaults where the keys live; {@code null} for the node's vault
     * @return the new identity
     * @throws HopsealException a {@code VaultException} if the vault refuses the keys
     */
    static Entity create(Context ctx, Vaults vaults) throws HopsealException {
        return RuntimeServices.get(EntityFactory.class).create(ctx, vaults);
    }

    /**
     * Creates a new identity named {@code name} in {@code vaults} (see {@link StoredEntity} for what a name may be),
     * with an Ed25519 identity key where the vault has one, else ECDSA P-256. Fails with
     * {@link ErrorKind#ALREADY_EXISTS} if the vault holds an identity of that name.
     *
     * @param ctx a context of the node whose workers run the channels
     * @param vaults where the keys and the identity's record live; {@code null} for the node's vault
     * @param name the identity's name within the vault
     * @return the new identity
     * @throws HopsealException an {@code IdentityException}: {@code INVALID} for a name outside the rules,
     *     {@code ALREADY_EXISTS} for a name in use; a {@code VaultException}, {@code UNSUPPORTED} from a vault that
     *     keeps no records (a named identity needs one)
     */
    static Entity create(Context ctx, Vaults vaults, String name) throws HopsealException {
        return RuntimeServices.get(EntityFactory.class).create(ctx, vaults, StoredEntity.checkName(name), null);
    }

    /**
     * Creates a new identity named {@code name} in {@code vaults} with an identity key of {@code keyType}, as
     * {@link #create(Context, Vaults, String)} does.
     *
     * @param ctx a context of the node whose workers run the channels
     * @param vaults where the keys and the identity's record live; {@code null} for the node's vault
     * @param name the identity's name within the vault
     * @param keyType {@link KeyType#ED25519} or {@link KeyType#ECDSA_P256}
     * @return the new identity
     * @throws HopsealException as {@link #create(Context, Vaults, String)} does; also an {@code IdentityException}
     *     {@code UNSUPPORTED} if {@code keyType} is not a signing type, a {@code VaultException}
     *     {@code UNSUPPORTED} if the vault does not have it
     */
    static Entity create(Context ctx, Vaults vaults, String name, KeyType keyType) throws HopsealException {
        return RuntimeServices.get(EntityFactory.class).create(ctx, vaults, StoredEntity.checkName(name), Objects.requireNonNull(keyType, "keyType"));
    }

    /**
     * Loads the identity stored in the node's vault under {@code nameOrIdentifier}; fails with
     * {@link ErrorKind#NOT_FOUND} if there is none. Its stored history is verified again; its channel key is found
     * by its public part, or made anew if it is gone.
     *
     * @param ctx a context of the node whose vault holds the identity
     * @param nameOrIdentifier the identity's name, or its identifier's text form
     * @return the identity
     * @throws HopsealException an {@code IdentityException}: {@code NOT_FOUND} if nothing is stored under that name
     *     or identifier, or if the identity key is not in the vault; {@code INVALID} if the stored record is corrupt
     *     or of another identity, or its history does not verify
     */
    static Entity load(Context ctx, String nameOrIdentifier) throws HopsealException {
        return RuntimeServices.get(EntityFactory.class).load(ctx, null, nameOrIdentifier);
    }

    /**
     * Loads the identity stored in {@code vaults} under {@code nameOrIdentifier}, as {@link #load(Context, String)}
     * does.
     *
     * @param ctx a context of the node whose workers run the channels
     * @param vaults where the identity is stored
     * @param nameOrIdentifier the identity's name, or its identifier's text form
     * @return the identity
     * @throws HopsealException as {@link #load(Context, String)} does
     */
    static Entity load(Context ctx, Vaults vaults, String nameOrIdentifier) throws HopsealException {
        return RuntimeServices.get(EntityFactory.class).load(ctx, Objects.requireNonNull(vaults, "vaults"), nameOrIdentifier);
    }

    /**
     * Loads the identity named {@code name} from the node's vault, creating it there first if there is none: the
     * usual start of a long-lived node.
     *
     * @param ctx a context of the node whose vault holds the identity
     * @param name the identity's name within the vault
     * @return the identity, loaded or new
     * @throws HopsealException an {@code IdentityException} {@code INVALID} for a name outside the rules, or a
     *     failure of {@link #load(Context, String)} other than {@code NOT_FOUND}, or of
     *     {@link #create(Context, Vaults, String)}
     */
    static Entity createOrLoad(Context ctx, String name) throws HopsealException {
        return createOrLoad(RuntimeServices.get(EntityFactory.class), ctx, null, name);
    }

    /**
     * Loads the identity named {@code name} from {@code vaults}, creating it there first if there is none.
     *
     * @param ctx a context of the node whose workers run the channels
     * @param vaults where the identity is stored, or is to be
     * @param name the identity's name within the vault
     * @return the identity, loaded or new
     * @throws HopsealException as {@link #createOrLoad(Context, String)} does
     */
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

    /**
     * The identities stored in {@code vaults}, with their names.
     *
     * @param vaults the vaults to look in
     * @return the stored identities, ordered by name (unnamed ones first), then by identifier
     * @throws HopsealException an {@code IdentityException} {@code INVALID} if a stored record is corrupt, or a
     *     {@code VaultException} if the vault cannot be read
     */
    static List<StoredEntity> list(Vaults vaults) throws HopsealException {
        return RuntimeServices.get(EntityFactory.class).list(vaults);
    }

    /**
     * Deletes the identity stored in {@code vaults} under {@code nameOrIdentifier}: its record and its keys. Peers
     * that know it keep knowing it; a channel can no longer be opened as it. The record goes first, so that a
     * failure part way leaves at worst unused keys.
     *
     * @param vaults where the identity is stored
     * @param nameOrIdentifier the identity's name, or its identifier's text form
     * @return what was deleted
     * @throws HopsealException an {@code IdentityException} {@code NOT_FOUND} if nothing is stored under that name or
     *     identifier, {@code INVALID} if its record is corrupt; or a {@code VaultException}
     */
    static StoredEntity delete(Vaults vaults, String nameOrIdentifier) throws HopsealException {
        return RuntimeServices.get(EntityFactory.class).delete(vaults, nameOrIdentifier);
    }

    /** {@return who this identity is; it stays the same across key rotations} */
    Identifier identifier();

    /**
     * Accepts channels at {@code address}, trusting every authenticated peer, with the
     * {@linkplain SecureChannelOptions#defaults() default options}. A listener can be reached from any connection or
     * channel; it admits nothing until a handshake has authenticated its peer.
     *
     * @param address the listener's local address, e.g. {@code "secure"}
     * @throws HopsealException a {@code RoutingException} {@code ALREADY_EXISTS} if the address is in use,
     *     {@code SHUTDOWN} if the node has stopped
     */
    default void createSecureChannelListener(String address) throws HopsealException {
        createSecureChannelListener(address, SecureChannelOptions.defaults());
    }

    /**
     * Accepts channels at {@code address} from the peers {@code trustPolicy} accepts, with the default options
     * otherwise.
     *
     * @param address the listener's local address
     * @param trustPolicy decides on each authenticated peer
     * @throws HopsealException as {@link #createSecureChannelListener(String)} does
     */
    default void createSecureChannelListener(String address, TrustPolicy trustPolicy) throws HopsealException {
        createSecureChannelListener(address, SecureChannelOptions.defaults().withTrustPolicy(trustPolicy));
    }

    /**
     * Accepts channels at {@code address} as {@code options} say: every key agreement they list, their trust policy,
     * authorities, credentials, post-quantum policy and timeouts.
     *
     * @param address the listener's local address
     * @param options how to accept channels
     * @throws HopsealException as {@link #createSecureChannelListener(String)} does; a {@code HandshakeException}
     *     {@code UNSUPPORTED} if the options require post-quantum channels that cannot be had (with X3DH, or a vault
     *     without ML-KEM-768)
     */
    void createSecureChannelListener(String address, SecureChannelOptions options) throws HopsealException;

    /**
     * Opens a channel to the listener at the end of {@code to}, trusting every authenticated peer, with the default
     * options.
     *
     * @param to the route to the listener, one address in text form (e.g. {@code "secure"} on this node)
     * @return the address of this side's channel end
     * @throws HopsealException as {@link #createSecureChannel(Route, SecureChannelOptions)} does
     */
    default Address createSecureChannel(String to) throws HopsealException {
        return createSecureChannel(Route.of(to), SecureChannelOptions.defaults());
    }

    /**
     * Opens a channel to the listener at {@code to}, trusting every authenticated peer, with the default options.
     *
     * @param to the listener's address
     * @return the address of this side's channel end
     * @throws HopsealException as {@link #createSecureChannel(Route, SecureChannelOptions)} does
     */
    default Address createSecureChannel(Address to) throws HopsealException {
        return createSecureChannel(Route.of(to), SecureChannelOptions.defaults());
    }

    /**
     * Opens a channel to the listener at the end of {@code to}, trusting every authenticated peer, with the default
     * options.
     *
     * @param to the route to the listener, e.g. {@code [1#host:port, secure]}
     * @return the address of this side's channel end
     * @throws HopsealException as {@link #createSecureChannel(Route, SecureChannelOptions)} does
     */
    default Address createSecureChannel(Route to) throws HopsealException {
        return createSecureChannel(to, SecureChannelOptions.defaults());
    }

    /**
     * Opens a channel to the listener at {@code to} if {@code trustPolicy} accepts its peer, with the default options
     * otherwise.
     *
     * @param to the route to the listener, one address in text form
     * @param trustPolicy decides on the authenticated peer
     * @return the address of this side's channel end
     * @throws HopsealException as {@link #createSecureChannel(Route, SecureChannelOptions)} does
     */
    default Address createSecureChannel(String to, TrustPolicy trustPolicy) throws HopsealException {
        return createSecureChannel(Route.of(to), SecureChannelOptions.defaults().withTrustPolicy(trustPolicy));
    }

    /**
     * Opens a channel to the listener at the end of {@code to} if {@code trustPolicy} accepts its peer, with the
     * default options otherwise.
     *
     * @param to the route to the listener
     * @param trustPolicy decides on the authenticated peer
     * @return the address of this side's channel end
     * @throws HopsealException as {@link #createSecureChannel(Route, SecureChannelOptions)} does
     */
    default Address createSecureChannel(Route to, TrustPolicy trustPolicy) throws HopsealException {
        return createSecureChannel(to, SecureChannelOptions.defaults().withTrustPolicy(trustPolicy));
    }

    /**
     * Opens a channel to the listener at the end of {@code to} and returns the address of this side's channel end;
     * it returns once both sides have authenticated each other and their trust policies accepted. Send along
     * {@code [channel, ...rest]} to reach {@code rest} on the peer's node.
     *
     * @param to the route to the listener, e.g. {@code [1#host:port, secure]}
     * @param options whom to trust, which key agreement, timeouts, credentials, post-quantum policy
     * @return the address of this side's channel end (its encryptor)
     * @throws HopsealException a {@link org.hopseal.api.error.HopsealTimeoutException} if the handshake takes longer
     *     than {@link SecureChannelOptions#handshakeTimeout()}; an {@code IdentityException} {@code UNTRUSTED} if
     *     this side's trust policy refuses the peer; a {@code HandshakeException} if the peer refuses
     *     ({@code UNTRUSTED}) or breaks the handshake ({@code PROTOCOL}, {@code AUTHENTICATION}), or if the
     *     post-quantum policy cannot be kept ({@code UNSUPPORTED}); a {@code RoutingException} if the route cannot
     *     be reached. No channel remains on either side.
     */
    Address createSecureChannel(Route to, SecureChannelOptions options) throws HopsealException;

    /**
     * Replaces the identity key with a new one of the same type, signed over by the old one; the identifier stays
     * the same. The new history is stored in the vault. Peers learn of it in the next handshake; a credential names
     * the history head it was issued for, so one issued before the rotation needs renewing.
     *
     * @throws HopsealException a {@code VaultException} if the vault cannot make the key or store the history
     */
    void rotateKey() throws HopsealException;

    /**
     * Signs, as an authority, a credential that {@code subject} has {@code attributes} for {@code ttl} from now (at most
     * 366 days). The credential names the subject's current history head: the one this node knows (an imported
     * contact, or a peer seen in a handshake), else the identifier's own, which is right for an identity that never
     * rotated its key; a subject that rotated since needs a new credential. Attribute names and values follow
     * {@link Credential#checkAttribute}.
     *
     * @param subject who the credential is about
     * @param attributes attribute names to values, at most {@value Credential#MAX_ATTRIBUTES}
     * @param ttl how long from now the credential is valid: at least a second (the encoding keeps whole seconds) and
     *     at most 366 days
     * @return the signed credential
     * @throws HopsealException a {@code CredentialException} {@code INVALID} for a {@code ttl} out of range or an
     *     attribute outside the rules; a {@code VaultException} if signing fails
     * @since 0.3
     */
    Credential issueCredential(Identifier subject, Map<String, String> attributes, Duration ttl) throws HopsealException;

    /**
     * Signs, as an authority, an enrollment ticket: whoever presents it to this identity's
     * {@link org.hopseal.api.credential.Authority} service (reached along {@code toListener}, the route to a secure
     * channel listener of its node) is enrolled with {@code attributes}, up to {@code uses} times (1 to 1,000), until
     * {@code ttl} from now (at most 30 days). The ticket is a secret.
     *
     * @param toListener the route from members to a secure-channel listener of this node, e.g.
     *     {@code [1#authority.example:4000, secure]}; 1 to {@value Route#MAX_LENGTH} addresses
     * @param attributes what an enrolled member is vouched for, as {@link Credential#checkAttribute} allows
     * @param ttl how long from now the ticket can be used, more than zero and at most 30 days
     * @param uses how many enrollments it allows, 1 to {@value EnrollmentTicket#MAX_USES}
     * @return the signed ticket
     * @throws HopsealException a {@code CredentialException} {@code INVALID} for an argument out of range or an
     *     attribute outside the rules; a {@code VaultException} if signing fails
     * @since 0.3
     */
    EnrollmentTicket issueEnrollmentTicket(Route toListener, Map<String, String> attributes, Duration ttl, int uses)
            throws HopsealException;

    /** {@return the verifiable history of this identity's keys, up to the key in force now} */
    ChangeHistory changeHistory();

    /** {@return this identity as a contact others can import: its public change history} */
    default ChangeHistory exportContact() {
        return changeHistory();
    }

    /**
     * Verifies an exported contact and remembers it: in {@link #contacts()}, and as this node's known history of that
     * identity, so that after importing a rotated history the keys it rotated away are refused.
     *
     * @param encodedChangeHistory the contact's {@link ChangeHistory#encoded()}
     * @return the verified peer, without attributes
     * @throws HopsealException an {@code IdentityException}: {@code INVALID} for a malformed or broken history,
     *     {@code AUTHENTICATION} for a bad signature in it, {@code UNTRUSTED} for a history that forks from the one
     *     this node knows or ends at a key rotated away since
     */
    PeerIdentity importContact(byte[] encodedChangeHistory) throws HopsealException;

    /**
     * Verifies a peer met outside a secure channel (a statement read from a shared log, say): its change history, as
     * {@link #importContact} does (a history that ends at a key the peer rotated away is refused), then the
     * credentials it presents, against {@code authorities} as a channel does ({@code docs/credentials.md}). The peer
     * returned carries the attributes those credentials prove, none if none came from a trusted authority. Unlike
     * {@link #importContact}, the peer is not added to {@link #contacts()}.
     *
     * @param encodedChangeHistory the peer's {@link ChangeHistory#encoded()}
     * @param presented the credentials the peer presents
     * @param authorities the authorities whose credentials count; none ignores every credential
     * @return the verified peer, with the attributes its valid credentials prove
     * @throws HopsealException if the history does not verify, or a credential from a trusted authority does not
     *     ({@link org.hopseal.api.error.CredentialException})
     */
    PeerIdentity verifyPeer(byte[] encodedChangeHistory, List<Credential> presented, Set<Identifier> authorities)
            throws HopsealException;

    /**
     * {@return the contacts this entity object imported so far, one per identifier (the latest import); they are
     * kept in memory only, not in the vault}
     */
    List<PeerIdentity> contacts();
}
