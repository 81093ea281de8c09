package org.hopseal.core.channel.noise;

import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.hopseal.api.error.AuthenticationFailedException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HandshakeException;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.vault.Encapsulation;
import org.hopseal.api.vault.KemKeyHandle;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Persistence;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.SecretHandle;
import org.hopseal.api.vault.SecureChannelVault;
import org.hopseal.api.vault.Verifier;

/**
 * Noise's HandshakeState (specification section 5.3) as a state machine without I/O: the caller asks
 * {@link #action()} what to do, calls {@link #writeMessage} or {@link #readMessage} and carries the bytes itself, and
 * finally calls {@link #split()}. Every key operation runs on vault handles. Calls out of turn are programming errors
 * ({@link IllegalStateException}); bad input from the peer is a {@link HandshakeException}, after which the
 * handshake is {@link Action#FAILED} and its keys are deleted.
 *
 * <p>Thread safety: not thread safe; one handshake belongs to one worker.
 */
public final class HandshakeState {
    /** The Noise maximum message length. */
    public static final int MAX_MESSAGE_LENGTH = 65535;
    private static final int DHLEN = 32;

    /** What the caller must do next. */
    public enum Action { WRITE_MESSAGE, READ_MESSAGE, SPLIT, COMPLETE, FAILED }

    /** The outcome of a handshake: a CipherState per direction and the handshake hash (for channel binding). */
    public record TransportKeys(CipherState sender, CipherState receiver, byte[] handshakeHash) {
        public TransportKeys {
            handshakeHash = handshakeHash.clone();
        }

        @Override
        public byte[] handshakeHash() {
            return handshakeHash.clone();
        }
    }

    private final NoiseProtocol protocol;
    private final boolean initiator;
    private final SecureChannelVault vault;
    private final SymmetricState symmetric;
    private final Deque<List<Token>> remaining;
    private final Deque<SecretHandle> psks;
    private final boolean psk;
    private final AgreementKeyHandle s;
    private AgreementKeyHandle e;
    private final boolean ownsE;
    private PublicKey rs;
    private PublicKey re;
    private KemKeyHandle e1;
    private final boolean ownsE1;
    private byte[] re1;
    private final byte[] encapsulationRandomness;
    private boolean initiatorsTurn = true;
    private byte[] binding = new byte[0];
    private Action action;

    private HandshakeState(Builder b) throws VaultException {
        this.protocol = b.protocol;
        this.initiator = b.initiator;
        this.vault = b.vault;
        this.s = b.localStatic;
        this.rs = b.remoteStatic;
        this.e = b.fixedEphemeral;
        this.ownsE = b.fixedEphemeral == null;
        this.e1 = b.fixedKemKey;
        this.ownsE1 = b.fixedKemKey == null;
        this.encapsulationRandomness = b.encapsulationRandomness;
        this.psk = protocol.pattern().hasPsk();
        this.psks = new ArrayDeque<>(b.psks);
        HandshakePattern pattern = protocol.pattern();
        if (psks.size() != pattern.pskCount()) {
            throw new IllegalArgumentException(pattern.name() + " needs " + pattern.pskCount() + " pre-shared key(s), got " + psks.size());
        }
        this.symmetric = new SymmetricState(protocol, vault, b.hasher);
        symmetric.mixHash(b.prologue);
        for (Token t : pattern.initiatorPreMessage()) {
            symmetric.mixHash(preMessageKey(t, initiator).bytes());
        }
        for (Token t : pattern.responderPreMessage()) {
            symmetric.mixHash(preMessageKey(t, !initiator).bytes());
        }
        this.remaining = new ArrayDeque<>(pattern.messages());
        this.action = initiator ? Action.WRITE_MESSAGE : Action.READ_MESSAGE;
    }

    private PublicKey preMessageKey(Token t, boolean ofInitiatorSideIsMe) throws VaultException {
        if (t != Token.S) {
            throw new IllegalArgumentException("only 's' pre-messages are supported");
        }
        if (ofInitiatorSideIsMe) {
            if (s == null) {
                throw new IllegalArgumentException(protocol.pattern().name() + " needs this side's static key");
            }
            return vault.publicKey(s);
        }
        if (rs == null) {
            throw new IllegalArgumentException(protocol.pattern().name() + " needs the peer's static public key in advance");
        }
        return rs;
    }

    public static Builder initiator(NoiseProtocol protocol, SecureChannelVault vault, Verifier hasher) {
        return new Builder(protocol, true, vault, hasher);
    }

    public static Builder responder(NoiseProtocol protocol, SecureChannelVault vault, Verifier hasher) {
        return new Builder(protocol, false, vault, hasher);
    }

    public Action action() {
        return action;
    }

    public boolean isInitiator() {
        return initiator;
    }

    public NoiseProtocol protocol() {
        return protocol;
    }

    /** The peer's static public key, once known. */
    public Optional<PublicKey> remoteStatic() {
        return Optional.ofNullable(rs);
    }

    /** The handshake hash {@code h} so far (final after the last message). */
    public byte[] handshakeHash() {
        return symmetric.handshakeHash();
    }

    /** Supplies a handshake payload that depends on the handshake hash at the point the payload is encrypted. */
    @FunctionalInterface
    public interface PayloadSource {
        byte[] payload(byte[] binding) throws HopsealException;
    }

    /** {@code WriteMessage(payload, message_buffer)}. */
    public byte[] writeMessage(byte[] payload) throws HopsealException {
        return writeMessage(binding -> payload);
    }

    /**
     * {@code WriteMessage} with a payload computed from {@link #payloadBinding()}: the handshake hash after this
     * message's tokens and before its payload, which both sides see identically (for channel binding).
     */
    public byte[] writeMessage(PayloadSource source) throws HopsealException {
        expect(Action.WRITE_MESSAGE);
        List<Token> tokens = remaining.poll();
        try {
            ByteBuilder out = new ByteBuilder();
            for (Token t : tokens) {
                switch (t) {
                    case E -> {
                        if (e == null) {
                            e = vault.generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL);
                        }
                        byte[] pub = vault.publicKey(e).bytes();
                        out.add(pub);
                        symmetric.mixHash(pub);
                        if (psk) {
                            mixKeyWithPublic(pub);
                        }
                    }
                    case S -> {
                        if (s == null) {
                            throw new IllegalStateException(protocol.pattern().name() + " needs this side's static key");
                        }
                        out.add(symmetric.encryptAndHash(vault.publicKey(s).bytes()));
                    }
                    case PSK -> mixPsk();
                    case E1 -> {
                        if (e1 == null) {
                            e1 = vault.generateKemKey(protocol.kem());
                        }
                        out.add(symmetric.encryptAndHash(vault.kemPublicKey(e1)));
                    }
                    case EKEM1 -> encapsulate(out);
                    default -> dh(t);
                }
            }
            binding = symmetric.handshakeHash();
            out.add(symmetric.encryptAndHash(source.payload(binding)));
            byte[] message = out.toByteArray();
            if (message.length > MAX_MESSAGE_LENGTH) {
                throw new IllegalArgumentException("handshake message would be " + message.length + " bytes, over Noise's 65535");
            }
            advance();
            return message;
        } catch (VaultException ex) {
            // A DH with the peer's low-order key, say: the peer's input, so a handshake error like readMessage's.
            fail();
            throw new HandshakeException(ex.kind() == ErrorKind.INVALID ? ErrorKind.INVALID : ErrorKind.INTERNAL,
                    "handshake aborted: " + ex.getMessage(), ex);
        } catch (HopsealException | RuntimeException ex) {
            fail();
            throw ex;
        }
    }

    /** The handshake hash just before the payload of the last message written or read. */
    public byte[] payloadBinding() {
        return binding.clone();
    }

    /** {@code ReadMessage(message, payload_buffer)}: returns the payload. */
    public byte[] readMessage(byte[] message) throws HandshakeException {
        expect(Action.READ_MESSAGE);
        List<Token> tokens = remaining.poll();
        try {
            if (message.length > MAX_MESSAGE_LENGTH) {
                throw new HandshakeException(ErrorKind.PROTOCOL, "handshake message of " + message.length + " bytes exceeds 65535");
            }
            int pos = 0;
            for (Token t : tokens) {
                switch (t) {
                    case E -> {
                        byte[] pub = slice(message, pos, DHLEN, "ephemeral key");
                        pos += DHLEN;
                        re = new PublicKey(KeyType.X25519, pub);
                        symmetric.mixHash(pub);
                        if (psk) {
                            mixKeyWithPublic(pub);
                        }
                    }
                    case S -> {
                        int len = DHLEN + tagLength();
                        byte[] temp = slice(message, pos, len, "static key");
                        pos += len;
                        rs = new PublicKey(KeyType.X25519, symmetric.decryptAndHash(temp));
                    }
                    case PSK -> mixPsk();
                    case E1 -> {
                        int len = protocol.kem().publicKeyLength() + tagLength();
                        re1 = symmetric.decryptAndHash(slice(message, pos, len, "KEM public key"));
                        pos += len;
                    }
                    case EKEM1 -> {
                        int len = protocol.kem().ciphertextLength() + tagLength();
                        byte[] ciphertext = symmetric.decryptAndHash(slice(message, pos, len, "KEM ciphertext"));
                        pos += len;
                        decapsulate(ciphertext);
                    }
                    default -> dh(t);
                }
            }
            binding = symmetric.handshakeHash();
            byte[] payload = symmetric.decryptAndHash(Arrays.copyOfRange(message, pos, message.length));
            advance();
            return payload;
        } catch (AuthenticationFailedException ex) {
            fail();
            throw new HandshakeException(ErrorKind.AUTHENTICATION, "a handshake message failed to authenticate");
        } catch (VaultException ex) {
            fail();
            throw new HandshakeException(ex.kind() == ErrorKind.INVALID ? ErrorKind.INVALID : ErrorKind.INTERNAL,
                    "handshake aborted: " + ex.getMessage(), ex);
        } catch (HandshakeException ex) {
            fail();
            throw ex;
        } catch (RuntimeException ex) {
            fail();
            throw ex;
        }
    }

    /** {@code Split()}: returns the transport keys, the initiator sending with the first; ends the handshake. */
    public TransportKeys split() throws VaultException {
        expect(Action.SPLIT);
        CipherState[] pair = symmetric.split();
        byte[] h = symmetric.handshakeHash();
        destroyHandshakeKeys();
        action = Action.COMPLETE;
        return initiator ? new TransportKeys(pair[0], pair[1], h) : new TransportKeys(pair[1], pair[0], h);
    }

    private void dh(Token t) throws VaultException {
        AgreementKeyHandle local;
        PublicKey remote;
        switch (t) {
            case EE -> { local = e; remote = re; }
            case ES -> { local = initiator ? e : s; remote = initiator ? rs : re; }
            case SE -> { local = initiator ? s : e; remote = initiator ? re : rs; }
            case SS -> { local = s; remote = rs; }
            default -> throw new IllegalStateException("not a DH token: " + t);
        }
        if (local == null || remote == null) {
            throw new IllegalStateException("token " + t + " needs a key this handshake does not have");
        }
        SecretHandle shared = vault.agree(local, remote);
        try {
            symmetric.mixKey(shared);
        } finally {
            vault.delete(shared);
        }
    }

    /** {@code ekem1} as its writer: encapsulates to the peer's KEM key, sends the ciphertext, mixes the secret in. */
    private void encapsulate(ByteBuilder out) throws HopsealException {
        if (re1 == null) {
            throw new IllegalStateException("ekem1 needs the peer's KEM key (e1) first");
        }
        Encapsulation encapsulation = encapsulationRandomness == null ? vault.encapsulate(protocol.kem(), re1)
                : vault.encapsulate(protocol.kem(), re1, encapsulationRandomness);
        try {
            out.add(symmetric.encryptAndHash(encapsulation.ciphertext()));
            symmetric.mixKey(encapsulation.sharedSecret());
        } finally {
            vault.delete(encapsulation.sharedSecret());
        }
    }

    /** {@code ekem1} as its reader: decapsulates with this side's KEM key and mixes the secret in. */
    private void decapsulate(byte[] ciphertext) throws VaultException {
        if (e1 == null) {
            throw new IllegalStateException("ekem1 needs this side's KEM key (e1)");
        }
        SecretHandle shared = vault.decapsulate(e1, ciphertext);
        try {
            symmetric.mixKey(shared);
        } finally {
            vault.delete(shared);
        }
    }

    private int tagLength() {
        return symmetric.hasKey() ? 16 : 0;
    }

    private void mixKeyWithPublic(byte[] pub) throws VaultException {
        SecretHandle h = vault.importSecret(pub);
        try {
            symmetric.mixKey(h);
        } finally {
            vault.delete(h);
        }
    }

    private void mixPsk() throws VaultException {
        symmetric.mixKeyAndHash(psks.poll());
    }

    private static byte[] slice(byte[] message, int pos, int len, String what) throws HandshakeException {
        if (message.length - pos < len) {
            throw new HandshakeException(ErrorKind.PROTOCOL, "handshake message too short for the " + what);
        }
        return Arrays.copyOfRange(message, pos, pos + len);
    }

    private void advance() {
        if (remaining.isEmpty()) {
            action = Action.SPLIT;
            return;
        }
        if (protocol.pattern().oneWay()) {
            return;
        }
        initiatorsTurn = !initiatorsTurn;
        action = initiatorsTurn == initiator ? Action.WRITE_MESSAGE : Action.READ_MESSAGE;
    }

    private void expect(Action expected) {
        if (action != expected) {
            throw new IllegalStateException("handshake is at " + action + ", not " + expected);
        }
    }

    private void fail() {
        action = Action.FAILED;
        try {
            destroyHandshakeKeys();
        } catch (VaultException ignored) {
            // the failure being reported matters more
        }
    }

    private void destroyHandshakeKeys() throws VaultException {
        if (e != null && ownsE) {
            AgreementKeyHandle old = e;
            e = null;
            vault.delete(old);
        }
        if (e1 != null && ownsE1) {
            KemKeyHandle old = e1;
            e1 = null;
            vault.delete(old);
        }
        symmetric.destroy();
    }

    /** Ends the handshake and deletes its keys (not the static key, which the caller owns). */
    public void destroy() {
        if (action != Action.COMPLETE) {
            fail();
        }
    }

    /** Configures a handshake. */
    public static final class Builder {
        private final NoiseProtocol protocol;
        private final boolean initiator;
        private final SecureChannelVault vault;
        private final Verifier hasher;
        private byte[] prologue = new byte[0];
        private AgreementKeyHandle localStatic;
        private PublicKey remoteStatic;
        private AgreementKeyHandle fixedEphemeral;
        private KemKeyHandle fixedKemKey;
        private byte[] encapsulationRandomness;
        private final List<SecretHandle> psks = new ArrayList<>();

        private Builder(NoiseProtocol protocol, boolean initiator, SecureChannelVault vault, Verifier hasher) {
            this.protocol = Objects.requireNonNull(protocol);
            this.initiator = initiator;
            this.vault = Objects.requireNonNull(vault);
            this.hasher = Objects.requireNonNull(hasher);
        }

        public Builder prologue(byte[] prologue) {
            this.prologue = prologue.clone();
            return this;
        }

        /** This side's static key {@code s}; the caller keeps ownership. */
        public Builder localStatic(AgreementKeyHandle s) {
            this.localStatic = s;
            return this;
        }

        /** The peer's static public key {@code rs}, for patterns that know it in advance. */
        public Builder remoteStatic(PublicKey rs) {
            this.remoteStatic = rs;
            return this;
        }

        /** Pre-shared keys, in the order the pattern's psk tokens use them. */
        public Builder psks(List<SecretHandle> keys) {
            psks.addAll(keys);
            return this;
        }

        /** Testing only: a fixed ephemeral key, as the test vectors need. Never for real handshakes. */
        void fixedEphemeral(AgreementKeyHandle e) {
            this.fixedEphemeral = e;
        }

        /** Testing only: a fixed KEM key for {@code e1}, as fixed-key vectors need. Never for real handshakes. */
        void fixedKemKey(KemKeyHandle e1) {
            this.fixedKemKey = e1;
        }

        /** Testing only: the randomness {@code ekem1} encapsulates with, as fixed-key vectors need. */
        void fixedEncapsulationRandomness(byte[] m) {
            this.encapsulationRandomness = m.clone();
        }

        public HandshakeState build() throws VaultException {
            return new HandshakeState(this);
        }
    }

    /** A growable byte array for message assembly. */
    private static final class ByteBuilder {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(128);

        void add(byte[] b) {
            out.writeBytes(b);
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
