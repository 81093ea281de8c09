package org.hopseal.core.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.identity.SecureChannelOptions;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Persistence;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.Vaults;
import org.hopseal.vault.software.SoftwareVault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The X3DH responder's refusals, driven without a node: out of turn, a foreign signed prekey, no one-time prekey. */
class X3dhDriverTest {
    private final Vaults vaults = SoftwareVault.vaults();
    private final PeerCheck anonymous = new PeerCheck(null, SecureChannelOptions.defaults());
    private PrekeyStore store;
    private X3dhDriver responder;
    private X3dhDriver initiator;

    @BeforeEach
    void start() throws Exception {
        store = PrekeyStore.ephemeral(vaults.channel(), key());
        responder = X3dhDriver.responder(vaults, store, anonymous);
        initiator = X3dhDriver.initiator(vaults, key(), anonymous);
    }

    @AfterEach
    void close() {
        store.close();
        vaults.close();
    }

    private AgreementKeyHandle key() throws HopsealException {
        return vaults.channel().generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL);
    }

    /** The initiator's initial message (an X3DH message, without the frame's type byte) after a real bundle. */
    private X3dhMessages.Initial initial() throws Exception {
        byte[] bundle = responder.onFrame(ChannelFrame.parse(initiator.start())).replies().get(0);
        byte[] initial = initiator.onFrame(ChannelFrame.parse(bundle)).replies().get(0);
        return X3dhMessages.decodeInitial(ChannelFrame.parse(initial).body());
    }

    private static byte[] frame(PublicKey ik, PublicKey ek, PublicKey spk, Long opkId, byte[] ciphertext) {
        byte[] header = X3dhMessages.Initial.header(ik, ek, spk, opkId);
        return ChannelFrame.x3dh(new X3dhMessages.Initial(header, ik, ek, spk, opkId, ciphertext).encode());
    }

    @Test
    void aResponderStartsSilentAndTakesNoBundleNorInitialBeforeARequest() throws Exception {
        assertThat(responder.start()).as("a responder sends nothing first").isNull();
        assertHopsealError(ErrorKind.PROTOCOL, () -> responder.onFrame(ChannelFrame.parse(ChannelFrame.x3dh(new byte[] {X3dhMessages.INITIAL}))))
                .hasMessageContaining("out of turn");
        assertHopsealError(ErrorKind.PROTOCOL, () -> responder.onFrame(ChannelFrame.parse(ChannelFrame.handshake(new byte[32]))))
                .hasMessageContaining("unexpected message");
    }

    @Test
    void anInitiatorAsksForABundleAndTakesNothingElse() throws Exception {
        byte[] first = initiator.start();
        assertThat(first).containsExactly(ChannelFrame.X3DH, X3dhMessages.REQUEST);
        assertHopsealError(ErrorKind.PROTOCOL, () -> initiator.onFrame(ChannelFrame.parse(first))).hasMessageContaining("out of turn");
    }

    @Test
    void anInitialMessageNamingAnotherSignedPrekeyIsRefused() throws Exception {
        X3dhMessages.Initial real = initial();
        PublicKey other = vaults.channel().publicKey(key());
        assertHopsealError(ErrorKind.PROTOCOL, () -> responder.onFrame(ChannelFrame.parse(
                frame(real.ik(), real.ek(), other, real.opkId(), real.ciphertext())))).hasMessageContaining("unknown signed prekey");
    }

    @Test
    void anInitialMessageWithoutTheOfferedOneTimePrekeyIsRefused() throws Exception {
        X3dhMessages.Initial real = initial();
        assertHopsealError(ErrorKind.PROTOCOL, () -> responder.onFrame(ChannelFrame.parse(
                frame(real.ik(), real.ek(), real.spk(), null, real.ciphertext())))).hasMessageContaining("uses no one-time prekey");
        // The refusal consumed nothing: the real initial message still completes the exchange.
        assertThat(responder.onFrame(ChannelFrame.parse(frame(real.ik(), real.ek(), real.spk(), real.opkId(), real.ciphertext())))
                .established()).isNotNull();
    }

    @Test
    void aTamperedInitialMessageFailsToAuthenticateAndBurnsItsOneTimePrekey() throws Exception {
        X3dhMessages.Initial real = initial();
        byte[] tampered = real.ciphertext().clone();
        tampered[0] ^= 1;
        assertHopsealError(ErrorKind.AUTHENTICATION, () -> responder.onFrame(ChannelFrame.parse(
                frame(real.ik(), real.ek(), real.spk(), real.opkId(), tampered))));
        assertHopsealError(ErrorKind.PROTOCOL, () -> store.consume(real.opkId())).hasMessageContaining("already used");
    }

    @Test
    void aBundleWhoseSignedPrekeySignatureDoesNotVerifyIsRefusedBeforeAnythingElse() throws Exception {
        byte[] bundle = responder.onFrame(ChannelFrame.parse(initiator.start())).replies().get(0);
        X3dhMessages.Bundle b = X3dhMessages.decodeBundle(ChannelFrame.parse(bundle).body());
        byte[] signature = b.spkSignature().clone();
        signature[5] ^= 1;
        byte[] core = X3dhMessages.Bundle.core(b.ik(), b.spk(), signature, b.opkId(), b.opk());
        byte[] forged = ChannelFrame.x3dh(new X3dhMessages.Bundle(core, null, null, null, null, null, b.identityPayload()).encode());
        assertHopsealError(ErrorKind.AUTHENTICATION, () -> initiator.onFrame(ChannelFrame.parse(forged)))
                .hasMessageContaining("signed prekey signature");
    }
}
