package org.hopseal.core.identity;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.hopseal.api.credential.Credential;
import org.hopseal.api.credential.EnrollmentTicket;
import org.hopseal.api.error.AuthenticationFailedException;
import org.hopseal.api.error.CredentialException;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.IdentityException;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.identity.ChangeHistory;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.identity.PeerIdentity;
import org.hopseal.api.identity.SecureChannelOptions;
import org.hopseal.api.identity.StoredEntity;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Persistence;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.SigningKeyHandle;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.worker.Context;
import org.hopseal.core.channel.ChannelAuthenticator;
import org.hopseal.core.channel.ChannelInfo;
import org.hopseal.core.channel.PeerAttributes;
import org.hopseal.core.channel.SecureChannels;
import org.hopseal.core.channel.VerifiedPeer;
import org.hopseal.core.node.Node;

/**
 * An identity whose signing key lives in {@code vaults.identity()} and whose Noise static key lives in
 * {@code vaults.channel()}, attested by the identity key. It authenticates every channel inside the Noise XX
 * handshake and applies each side's trust policy.
 *
 * <p>Thread safety: thread safe; the identity's state is an immutable snapshot replaced under a lock on rotation.
 */
public final class CoreEntity implements Entity {
    /** How long an attestation of the channel key is valid; it is renewed a day before it expires. */
    static final Duration ATTESTATION_VALIDITY = Attestation.MAX_VALIDITY;
    private static final Duration RENEW_BEFORE = Duration.ofDays(1);

    private record State(List<IdentityChange> changes, ChangeHistory history, SigningKeyHandle key, Attestation attestation) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Context ctx;
    private final Vaults vaults;
    private final String name;
    private final InstantSource clock;
    private final AgreementKeyHandle staticKey;
    private final PublicKey staticPublic;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Identifier, PeerIdentity> contacts = new ConcurrentHashMap<>();
    private final Authenticator authenticator = new Authenticator();
    private volatile State state;

    /** An entity; its record is written unless it was loaded as stored ({@code staticKey} found again). */
    private CoreEntity(Context ctx, Vaults vaults, String name, InstantSource clock, List<IdentityChange> changes,
            SigningKeyHandle key, AgreementKeyHandle staticKey) throws HopsealException {
        this.ctx = ctx;
        this.vaults = vaults;
        this.name = name;
        this.clock = clock;
        this.staticKey = staticKey != null ? staticKey : vaults.channel().generateAgreementKey(KeyType.X25519, Persistence.PERSISTENT);
        this.staticPublic = vaults.channel().publicKey(this.staticKey);
        ChangeHistory history = IdentityHistory.verify(changes, vaults.verifier(), IdentityHistory.encode(changes));
        this.state = new State(changes, history, key, attest(history.identifier(), key));
        if (staticKey == null) {
            // A new identity, or a stored one whose channel key was made anew: its record changes. A load that
            // finds everything as stored writes nothing (read-only commands leave the vault untouched).
            save();
        }
    }

    /**
     * Loads the identity {@code id} stored in {@code vaults} by an earlier process: its change history (a vault
     * record), its identity key (found by public key) and its channel key (found, or made anew and attested).
     */
    public static CoreEntity load(Context ctx, Vaults vaults, Identifier id) throws HopsealException {
        StoredIdentity stored = stored(vaults, id);
        List<IdentityChange> changes = IdentityHistory.decode(stored.history());
        ChangeHistory history = IdentityHistory.verify(changes, vaults.verifier(), stored.history());
        if (!history.identifier().equals(id)) {
            throw new IdentityException(ErrorKind.INVALID, "the record stored for " + id + " is of another identity");
        }
        SigningKeyHandle key = vaults.identity().find(history.currentKey()).orElseThrow(() -> new IdentityException(ErrorKind.NOT_FOUND,
                "the identity key of " + id + " is not in this vault"));
        AgreementKeyHandle staticKey = null;
        for (AgreementKeyHandle h : vaults.channel().agreementKeys()) {
            if (Arrays.equals(vaults.channel().publicKey(h).bytes(), stored.staticPublicKey())) {
                staticKey = h;
            }
        }
        return new CoreEntity(ctx, vaults, stored.name(), InstantSource.system(), changes, key, staticKey);
    }

    /** Loads the identity stored in {@code vaults} under a name or an identifier. */
    public static CoreEntity load(Context ctx, Vaults vaults, String nameOrIdentifier) throws HopsealException {
        return load(ctx, vaults, find(vaults, nameOrIdentifier).identifier());
    }

    /** The identities stored in {@code vaults}, ordered by name (unnamed ones first), then by identifier. */
    public static List<StoredEntity> list(Vaults vaults) throws HopsealException {
        List<StoredEntity> out = new ArrayList<>();
        for (String record : vaults.identity().recordNames()) {
            if (record.startsWith(RECORD_PREFIX)) {
                Identifier id = new Identifier(record.substring(RECORD_PREFIX.length()));
                out.add(new StoredEntity(stored(vaults, id).name(), id));
            }
        }
        out.sort(Comparator.comparing(StoredEntity::name).thenComparing(e -> e.identifier().value()));
        return out;
    }

    /** The stored identity named or identified by {@code nameOrIdentifier}. */
    public static StoredEntity find(Vaults vaults, String nameOrIdentifier) throws HopsealException {
        if (StoredEntity.isIdentifier(nameOrIdentifier)) {
            Identifier id = new Identifier(nameOrIdentifier);
            return new StoredEntity(stored(vaults, id).name(), id);
        }
        for (StoredEntity e : list(vaults)) {
            if (e.name().equals(nameOrIdentifier)) {
                return e;
            }
        }
        throw new IdentityException(ErrorKind.NOT_FOUND, "no identity named '" + nameOrIdentifier + "' in this vault");
    }

    /**
     * Deletes the identity named or identified by {@code nameOrIdentifier}: first its record (so that a failure part
     * way leaves at worst unused keys, never a record whose keys are gone), then every key of its history and its
     * channel key.
     */
    public static StoredEntity delete(Vaults vaults, String nameOrIdentifier) throws HopsealException {
        StoredEntity entity = find(vaults, nameOrIdentifier);
        StoredIdentity stored = stored(vaults, entity.identifier());
        ChangeHistory history = IdentityHistory.verify(IdentityHistory.decode(stored.history()), vaults.verifier(), stored.history());
        vaults.identity().deleteRecord(RECORD_PREFIX + entity.identifier());
        for (PublicKey key : history.keys()) {
            Optional<SigningKeyHandle> handle = vaults.identity().find(key);
            if (handle.isPresent()) {
                vaults.identity().delete(handle.get());
            }
        }
        for (AgreementKeyHandle h : vaults.channel().agreementKeys()) {
            if (Arrays.equals(vaults.channel().publicKey(h).bytes(), stored.staticPublicKey())) {
                vaults.channel().delete(h);
            }
        }
        return entity;
    }

    private static StoredIdentity stored(Vaults vaults, Identifier id) throws HopsealException {
        byte[] record = vaults.identity().record(RECORD_PREFIX + id).orElseThrow(() -> new IdentityException(ErrorKind.NOT_FOUND,
                "identity " + id + " is not in this vault"));
        try {
            return StoredIdentity.decode(record);
        } catch (DecodeException e) {
            throw new IdentityException(ErrorKind.INVALID, "the stored record of identity " + id + " is corrupt: " + e.getMessage(), e);
        }
    }

    /** The vault record name prefix of stored identities. */
    static final String RECORD_PREFIX = "identity/";

    /** Stores the history and the channel key's public part, where the vault keeps records. */
    private void save() throws HopsealException {
        State s = state;
        byte[] record = new StoredIdentity(name, s.history().encoded(), staticPublic.bytes()).encode();
        try {
            vaults.identity().putRecord(RECORD_PREFIX + s.history().identifier(), record);
        } catch (VaultException e) {
            if (e.kind() != ErrorKind.UNSUPPORTED || !name.isEmpty()) {
                throw e;
            }
        }
    }

    /** Creates a new unnamed identity: an Ed25519 key where the vault has one, else ECDSA P-256. */
    public static CoreEntity create(Context ctx, Vaults vaults) throws HopsealException {
        return create(ctx, vaults, "", preferredKeyType(vaults), InstantSource.system());
    }

    /** Creates a new unnamed identity with a root key of {@code type}. */
    public static CoreEntity create(Context ctx, Vaults vaults, KeyType type, InstantSource clock) throws HopsealException {
        return create(ctx, vaults, "", type, clock);
    }

    /**
     * Creates a new identity named {@code name} (empty: unnamed) with a root key of {@code type}, or the vault's
     * preferred type when {@code type} is {@code null}. A name must be free in the vault, and a named identity needs
     * a vault that keeps records.
     */
    public static CoreEntity create(Context ctx, Vaults vaults, String name, KeyType type, InstantSource clock) throws HopsealException {
        KeyType keyType = type != null ? type : preferredKeyType(vaults);
        if (keyType != KeyType.ED25519 && keyType != KeyType.ECDSA_P256) {
            throw new IdentityException(ErrorKind.UNSUPPORTED, "identity keys are Ed25519 or ECDSA P-256, not " + keyType);
        }
        if (!name.isEmpty()) {
            StoredEntity.checkName(name);
            for (StoredEntity e : list(vaults)) {
                if (e.name().equals(name)) {
                    throw new IdentityException(ErrorKind.ALREADY_EXISTS, "this vault holds an identity named '" + name + "' already ("
                            + e.identifier() + ")");
                }
            }
        }
        SigningKeyHandle key = vaults.identity().generateSigningKey(keyType);
        return new CoreEntity(ctx, vaults, name, clock, IdentityHistory.create(vaults.identity(), key), key, null);
    }

    private static KeyType preferredKeyType(Vaults vaults) {
        return vaults.identity().signingKeyTypes().contains(KeyType.ED25519) ? KeyType.ED25519 : KeyType.ECDSA_P256;
    }

    private Attestation attest(Identifier id, SigningKeyHandle key) throws HopsealException {
        return Attestation.create(vaults.identity(), key, id, staticPublic, clock.instant().plus(ATTESTATION_VALIDITY));
    }

    @Override
    public Identifier identifier() {
        return state.history().identifier();
    }

    /** This identity's name in its vault, or the empty string for an unnamed one. */
    public String name() {
        return name;
    }

    @Override
    public ChangeHistory changeHistory() {
        return state.history();
    }

    /** The identity key in force. */
    public SigningKeyHandle identityKey() {
        return state.key();
    }

    @Override
    public void rotateKey() throws HopsealException {
        lock.lock();
        try {
            State s = state;
            SigningKeyHandle next = vaults.identity().generateSigningKey(s.key().type());
            List<IdentityChange> changes = IdentityHistory.rotate(s.changes(), vaults.verifier(), vaults.identity(), s.key(), next);
            ChangeHistory history = IdentityHistory.verify(changes, vaults.verifier(), IdentityHistory.encode(changes));
            state = new State(changes, history, next, attest(history.identifier(), next));
            save();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Verifies an exported history and remembers it as a contact and as this node's known history of that identity
     * ({@link KnownIdentities}): after importing a rotated history, the keys it rotated away are refused.
     */
    @Override
    public PeerIdentity importContact(byte[] encodedChangeHistory) throws HopsealException {
        ChangeHistory h = KnownIdentities.of(Node.of(ctx)).accept(encodedChangeHistory, vaults.verifier(), vaults.identity(),
                IdentityChange.MAX_CHANGES);
        PeerIdentity peer = new PeerIdentity(h.identifier(), h.currentKey());
        contacts.put(peer.identifier(), peer);
        return peer;
    }

    @Override
    public PeerIdentity verifyPeer(byte[] encodedChangeHistory, List<Credential> presented, Set<Identifier> authorities)
            throws HopsealException {
        ChangeHistory h = KnownIdentities.of(Node.of(ctx)).accept(encodedChangeHistory, vaults.verifier(), vaults.identity(),
                IdentityChange.MAX_CHANGES);
        PeerIdentity peer = new PeerIdentity(h.identifier(), h.currentKey());
        if (presented.isEmpty() || authorities.isEmpty()) {
            return peer;
        }
        List<byte[]> encoded = presented.stream().map(Credential::encoded).toList();
        return peer.withAttributes(credentialVerifier(IdentityChange.MAX_CHANGES)
                .verify(encoded, h.identifier(), IdentityHistory.head(vaults.verifier(), h), authorities, clock.instant())
                .at(clock.instant()).values());
    }

    @Override
    public List<PeerIdentity> contacts() {
        return List.copyOf(contacts.values());
    }

    @Override
    public void createSecureChannelListener(String address, SecureChannelOptions options) throws HopsealException {
        SecureChannels.createListener(ctx, Address.of(address), vaults, authenticator, options);
    }

    @Override
    public Address createSecureChannel(Route to, SecureChannelOptions options) throws HopsealException {
        return SecureChannels.create(ctx, to, vaults, authenticator, options).encryptor();
    }

    /**
     * Opens a carrier channel as this identity ({@link SecureChannels#createCarrier}): what its peer sends reaches only
     * this node's listeners and what is exposed through the channel.
     */
    public ChannelInfo createCarrierChannel(Route to, SecureChannelOptions options) throws HopsealException {
        return SecureChannels.createCarrier(ctx, to, vaults, authenticator, options);
    }

    /** The state to present now, renewing the attestation when it is about to expire. */
    private State presentable() throws HopsealException {
        State s = state;
        if (clock.instant().plus(RENEW_BEFORE).isBefore(s.attestation().expires())) {
            return s;
        }
        lock.lock();
        try {
            s = state;
            if (!clock.instant().plus(RENEW_BEFORE).isBefore(s.attestation().expires())) {
                s = new State(s.changes(), s.history(), s.key(), attest(s.history().identifier(), s.key()));
                state = s;
            }
            return s;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "Entity{" + identifier() + "}";
    }

    /**
     * Attestations verified before, keyed by their bytes and the identity key that signed them, so that a peer seen
     * before costs one signature check per handshake (its proof). Bounded; verification results only, no secrets.
     */
    private final Map<ByteBuffer, Boolean> verifiedAttestations = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Boolean> eldest) {
            return size() > 1024;
        }
    };
    private final ReentrantLock cacheLock = new ReentrantLock();

    /** Checks the attestation's signature (once per distinct attestation) and its expiry (every time). */
    private void verifyAttestation(byte[] encoded, Attestation attestation, PublicKey identityKey) throws HopsealException {
        // Keyed by the attestation and the identity key it must be signed by: after a rotation an old attestation
        // is checked against the new key again (and fails).
        byte[] k = identityKey.bytes();
        ByteBuffer key = ByteBuffer.allocate(encoded.length + k.length).put(encoded).put(k).flip();
        boolean known;
        cacheLock.lock();
        try {
            known = verifiedAttestations.containsKey(key);
        } finally {
            cacheLock.unlock();
        }
        if (known) {
            attestation.checkExpiry(clock.instant());
            return;
        }
        attestation.verify(vaults.verifier(), identityKey, clock.instant());
        cacheLock.lock();
        try {
            verifiedAttestations.put(key, Boolean.TRUE);
        } finally {
            cacheLock.unlock();
        }
    }

    private CredentialVerifier credentialVerifier(int maxAuthorityChanges) {
        return new CredentialVerifier(vaults.verifier(), vaults.identity(), KnownIdentities.of(Node.of(ctx)), maxAuthorityChanges);
    }

    /**
     * Signs a credential as this identity (the authority): {@code subject}'s attributes until {@code ttl} from now. The
     * subject's head is its history known to this node (imported, or seen in a handshake), else the identifier's own
     * (an identity that never rotated). See {@code docs/credentials.md}.
     */
    @Override
    public Credential issueCredential(Identifier subject, Map<String, String> attributes, Duration ttl) throws HopsealException {
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(CredentialVerifier.MAX_VALIDITY) > 0) {
            throw new CredentialException(ErrorKind.INVALID, "a credential's time to live is more than zero and at most "
                    + CredentialVerifier.MAX_VALIDITY.toDays() + " days, not " + ttl);
        }
        Optional<ChangeHistory> known = subject.equals(identifier()) ? Optional.of(changeHistory())
                : KnownIdentities.of(Node.of(ctx)).history(subject, vaults.verifier(), vaults.identity());
        byte[] head = known.isPresent() ? IdentityHistory.head(vaults.verifier(), known.get())
                : HexFormat.of().parseHex(subject.value().substring(1));
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        State s = state;
        byte[] body = Credential.body(s.history().identifier(), s.history().encoded(), subject, head, attributes, now, now.plus(ttl));
        return Credential.of(body, vaults.identity().sign(s.key(), Credential.signedBytes(body)));
    }

    @Override
    public EnrollmentTicket issueEnrollmentTicket(Route toListener, Map<String, String> attributes, Duration ttl, int uses)
            throws HopsealException {
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(EnrollmentTicket.MAX_VALIDITY) > 0) {
            throw new CredentialException(ErrorKind.INVALID, "a ticket's time to live is more than zero and at most "
                    + EnrollmentTicket.MAX_VALIDITY.toDays() + " days, not " + ttl);
        }
        byte[] id = new byte[EnrollmentTicket.ID_BYTES];
        RANDOM.nextBytes(id);
        State s = state;
        byte[] body = EnrollmentTicket.body(s.history().identifier(), toListener, id, attributes,
                clock.instant().plus(ttl).truncatedTo(ChronoUnit.SECONDS), uses);
        return EnrollmentTicket.of(body, vaults.identity().sign(s.key(), EnrollmentTicket.signedBytes(body)));
    }

    /** The vaults this identity's keys (and its records) live in. */
    public Vaults vaults() {
        return vaults;
    }

    /** The clock this identity tells time by (for credentials, tickets and attestations). */
    public InstantSource clock() {
        return clock;
    }

    /** Identities inside the Noise XX handshake; see {@link ChannelAuthenticator}. */
    private final class Authenticator implements ChannelAuthenticator {
        @Override
        public AgreementKeyHandle staticKey() {
            return staticKey;
        }

        @Override
        public byte[] identityPayload(byte[] binding, boolean asInitiator, List<Credential> credentials) throws HopsealException {
            State s = presentable();
            byte[] proof = vaults.identity().sign(s.key(), IdentityPayload.proofInput(binding, asInitiator));
            return new IdentityPayload(s.history().encoded(), s.attestation().encode(), proof,
                    credentials.stream().map(Credential::encoded).toList()).encode();
        }

        /**
         * Checks, cheapest first: the payload's form and the history's length (no signature), the proof of possession
         * by the history's last key and the attestation (one signature check each, the attestation's cached), and
         * only then the history against the one known for its identifier ({@link KnownIdentities}: no signature check
         * for changes known already, two per new change); last the credentials from {@code authorities}
         * ({@link CredentialVerifier}).
         */
        @Override
        public VerifiedPeer verifyPeer(byte[] payload, byte[] binding, PublicKey remoteStatic, boolean peerIsInitiator,
                int maxIdentityChanges, Set<Identifier> authorities) throws HopsealException {
            IdentityPayload p;
            Attestation attestation;
            try {
                p = IdentityPayload.decode(payload);
                attestation = Attestation.decode(p.attestation());
            } catch (DecodeException e) {
                throw new IdentityException(ErrorKind.INVALID, "malformed identity in the handshake: " + e.getMessage(), e);
            }
            List<IdentityChange> changes = IdentityHistory.decode(p.history());
            if (changes.size() > maxIdentityChanges) {
                throw new IdentityException(ErrorKind.INVALID, "the peer's identity history of " + changes.size()
                        + " changes exceeds the limit of " + maxIdentityChanges);
            }
            PublicKey claimed = changes.get(changes.size() - 1).key();
            if (!attestation.key().equals(remoteStatic)) {
                throw new IdentityException(ErrorKind.INVALID, "the attested channel key is not the key used in the handshake");
            }
            try {
                vaults.verifier().verify(claimed, IdentityPayload.proofInput(binding, peerIsInitiator), p.proof());
            } catch (AuthenticationFailedException e) {
                throw new IdentityException(ErrorKind.AUTHENTICATION, "the peer's proof of possession does not verify");
            }
            verifyAttestation(p.attestation(), attestation, claimed);
            ChangeHistory history = KnownIdentities.of(Node.of(ctx)).accept(p.history(), vaults.verifier(), vaults.identity(),
                    maxIdentityChanges);
            if (!attestation.identifier().equals(history.identifier())) {
                throw new IdentityException(ErrorKind.INVALID, "the channel key attestation is for another identity");
            }
            PeerIdentity peer = new PeerIdentity(history.identifier(), history.currentKey());
            if (p.credentials().isEmpty()) {
                return new VerifiedPeer(peer, PeerAttributes.NONE);
            }
            return new VerifiedPeer(peer, credentialVerifier(maxIdentityChanges).verify(p.credentials(), peer.identifier(),
                    IdentityHistory.head(vaults.verifier(), history), authorities, clock.instant()));
        }

        @Override
        public PeerAttributes verifyCredentials(PeerIdentity peer, List<byte[]> credentials, Set<Identifier> authorities)
                throws HopsealException {
            if (credentials.isEmpty()) {
                return PeerAttributes.NONE;
            }
            ChangeHistory history = KnownIdentities.of(Node.of(ctx)).history(peer.identifier(), vaults.verifier(), vaults.identity()).orElseThrow(() -> new CredentialException(
                    ErrorKind.INVALID, "no known history of " + peer.identifier() + " to check its credentials against"));
            return credentialVerifier(IdentityChange.MAX_CHANGES).verify(credentials, peer.identifier(),
                    IdentityHistory.head(vaults.verifier(), history), authorities, clock.instant());
        }
    }
}
