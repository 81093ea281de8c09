package org.hopseal.core.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.hopseal.api.credential.Credential;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HandshakeException;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.IdentityException;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.identity.PeerIdentity;
import org.hopseal.api.identity.SecureChannelOptions;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Persistence;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.Vaults;
import org.hopseal.vault.software.SoftwareVault;
import org.hopseal.vault.software.SoftwareVerifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An X3DH exchange leaves behind only what it must: no DH output, ephemeral key, or consumed prekey. */
class X3dhKeyHygieneTest {
    private final SoftwareVault vault = new SoftwareVault();
    private final Vaults vaults = new Vaults(vault, vault, new SoftwareVerifier());
    private final PeerCheck anonymous = new PeerCheck(null, SecureChannelOptions.defaults());

    @AfterEach
    void close() {
        vaults.close();
    }

    private AgreementKeyHandle key() throws HopsealException {
        return vault.generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL);
    }

    /** One exchange up to the initial message: the initiator's keys and the initial frame. */
    private record HalfDone(HandshakeDriver.Established initiatorKeys, byte[] initial) {
    }

    private HalfDone upToInitial(X3dhDriver responder, AgreementKeyHandle ikA) throws HopsealException {
        X3dhDriver initiator = X3dhDriver.initiator(vaults, ikA, anonymous);
        byte[] bundle = responder.onFrame(ChannelFrame.parse(initiator.start())).replies().get(0);
        HandshakeDriver.Step step = initiator.onFrame(ChannelFrame.parse(bundle));
        assertThat(step.replies()).hasSize(1);
        assertThat(step.established()).isNotNull();
        return new HalfDone(step.established(), step.replies().get(0));
    }

    private static void destroy(HandshakeDriver.Established e) throws HopsealException {
        e.sender().destroy();
        e.receiver().destroy();
    }

    @Test
    void aCompletedExchangeLeavesOnlyTheChannelKeysAndUsesUpItsPrekey() throws Exception {
        PrekeyStore store = PrekeyStore.ephemeral(vault, key());
        AgreementKeyHandle ikA = key();
        // A first exchange makes the store's batch of one-time prekeys.
        HalfDone warmUp = upToInitial(X3dhDriver.responder(vaults, store, anonymous), ikA);
        destroy(warmUp.initiatorKeys());
        int before = vault.size();

        X3dhDriver responder = X3dhDriver.responder(vaults, store, anonymous);
        HalfDone half = upToInitial(responder, ikA);
        assertThat(vault.size()).as("the initiator holds its two channel keys, nothing else").isEqualTo(before + 2);
        HandshakeDriver.Step done = responder.onFrame(ChannelFrame.parse(half.initial()));
        assertThat(done.replies()).isEmpty();
        // Each side's sending key is the other's receiving key.
        byte[] ct = half.initiatorKeys().sender().encryptWithAd(new byte[0], new byte[] {1});
        assertThat(done.established().receiver().decryptWithAd(new byte[0], ct)).containsExactly(1);
        byte[] back = done.established().sender().encryptWithAd(new byte[0], new byte[] {2});
        assertThat(half.initiatorKeys().receiver().decryptWithAd(new byte[0], back)).containsExactly(2);
        assertThat(vault.size()).as("four channel keys, and the consumed prekey is gone").isEqualTo(before + 4 - 1);
        destroy(half.initiatorKeys());
        destroy(done.established());
        assertThat(vault.size()).isEqualTo(before - 1);
    }

    @Test
    void aTamperedInitialMessageIsRefusedAndItsKeysAreDeleted() throws Exception {
        PrekeyStore store = PrekeyStore.ephemeral(vault, key());
        AgreementKeyHandle ikA = key();
        destroy(upToInitial(X3dhDriver.responder(vaults, store, anonymous), ikA).initiatorKeys());
        X3dhDriver responder = X3dhDriver.responder(vaults, store, anonymous);
        HalfDone half = upToInitial(responder, ikA);
        destroy(half.initiatorKeys());
        int before = vault.size();
        byte[] tampered = half.initial().clone();
        tampered[tampered.length - 1] ^= 1;
        assertHopsealError(ErrorKind.AUTHENTICATION, () -> responder.onFrame(ChannelFrame.parse(tampered)))
                .isInstanceOf(HandshakeException.class)
                .hasMessage("the X3DH initial message failed to authenticate");
        assertThat(vault.size()).as("no channel key or DH output is left; the prekey was consumed").isEqualTo(before - 1);
    }

    @Test
    void anInitiatorWhoseIdentityIsRefusedLeavesNoKeysBehind() throws Exception {
        PrekeyStore store = PrekeyStore.ephemeral(vault, key());
        AgreementKeyHandle ikA = key();
        PeerCheck refusing = new PeerCheck(new ChannelAuthenticator() {
            @Override
            public AgreementKeyHandle staticKey() {
                throw new AssertionError("X3DH names its identity key itself");
            }

            @Override
            public byte[] identityPayload(byte[] binding, boolean asInitiator, List<Credential> credentials) {
                return new byte[0];
            }

            @Override
            public VerifiedPeer verifyPeer(byte[] payload, byte[] binding, PublicKey remoteStatic, boolean peerIsInitiator,
                    int maxIdentityChanges, Set<Identifier> authorities) throws HopsealException {
                throw new IdentityException(ErrorKind.UNTRUSTED, "not this one");
            }

            @Override
            public PeerAttributes verifyCredentials(PeerIdentity peer, List<byte[]> credentials, Set<Identifier> authorities) {
                throw new AssertionError("no channel opens");
            }
        }, SecureChannelOptions.defaults());
        destroy(upToInitial(X3dhDriver.responder(vaults, store, anonymous), ikA).initiatorKeys());
        X3dhDriver responder = X3dhDriver.responder(vaults, store, refusing);
        HalfDone half = upToInitial(responder, ikA);
        destroy(half.initiatorKeys());
        int before = vault.size();
        assertThatThrownBy(() -> responder.onFrame(ChannelFrame.parse(half.initial()))).isInstanceOf(IdentityException.class)
                .hasMessage("not this one");
        assertThat(vault.size()).as("a refused peer, as often as it likes, leaves no channel key; the prekey was consumed")
                .isEqualTo(before - 1);
    }

    @Test
    void messagesOutOfTurnOrOfTheWrongTypeAreRefused() throws Exception {
        PrekeyStore store = PrekeyStore.ephemeral(vault, key());
        X3dhDriver responder = X3dhDriver.responder(vaults, store, anonymous);
        X3dhDriver initiator = X3dhDriver.initiator(vaults, key(), anonymous);
        assertThat(responder.start()).isNull();
        assertThat(initiator.start()).containsExactly(ChannelFrame.X3DH, X3dhMessages.REQUEST);
        assertThatThrownBy(() -> responder.onFrame(ChannelFrame.parse(ChannelFrame.handshake(new byte[] {0}))))
                .isInstanceOf(HandshakeException.class).hasMessage("unexpected message in an X3DH handshake");
        assertThatThrownBy(() -> initiator.onFrame(ChannelFrame.parse(initiator.start()))).isInstanceOf(HandshakeException.class)
                .hasMessage("X3DH message out of turn");
        assertThatThrownBy(() -> responder.onFrame(ChannelFrame.parse(ChannelFrame.x3dh(new byte[] {X3dhMessages.BUNDLE}))))
                .isInstanceOf(HandshakeException.class).hasMessage("X3DH message out of turn");
        assertHopsealError(ErrorKind.INVALID, () -> initiator.onFrame(ChannelFrame.parse(ChannelFrame.x3dh(new byte[] {X3dhMessages.BUNDLE, 1}))))
                .isInstanceOf(HandshakeException.class).hasMessageStartingWith("malformed X3DH message");
        assertThatThrownBy(() -> initiator.onFrame(ChannelFrame.parse(ChannelFrame.x3dh(new byte[0])))).isInstanceOf(HandshakeException.class)
                .hasMessageStartingWith("malformed X3DH message");
    }

    @Test
    void anEphemeralStoreDeletesItsUnusedPrekeysOnClose() throws Exception {
        int before = vault.size();
        PrekeyStore store = PrekeyStore.ephemeral(vault, key());
        store.handOut();
        assertThat(vault.size()).as("identity key, signed prekey and a batch").isEqualTo(before + 2 + PrekeyStore.BATCH);
        store.close();
        assertThat(vault.size()).as("only the identity key stays").isEqualTo(before + 1);
    }

    @Test
    void storedPrekeysWithTrailingBytesAreRefused() throws Exception {
        byte[] bytes = new StoredPrekeys("spk", new byte[64], 7, List.of(new StoredPrekeys.Outstanding(5, "k5"))).encode();
        assertThat(StoredPrekeys.decode(bytes).outstanding()).hasSize(1);
        assertThatThrownBy(() -> StoredPrekeys.decode(Arrays.copyOf(bytes, bytes.length + 1))).isInstanceOf(DecodeException.class);
    }
}
