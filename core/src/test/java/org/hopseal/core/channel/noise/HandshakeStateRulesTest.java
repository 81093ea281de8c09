package org.hopseal.core.channel.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HandshakeException;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Persistence;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.SecretHandle;
import org.hopseal.api.vault.Vaults;
import org.hopseal.vault.software.SoftwareVault;
import org.hopseal.vault.software.SoftwareVerifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HandshakeState state machine: turns, configuration errors, failure and key cleanup. */
class HandshakeStateRulesTest {
    private final SoftwareVault vault = new SoftwareVault();
    private final Vaults vaults = new Vaults(vault, vault, new SoftwareVerifier());
    private final NoiseProtocol xx = NoiseProtocol.parse(NoiseProtocol.XX_25519_AESGCM_SHA256);

    @AfterEach
    void close() {
        vaults.close();
    }

    private AgreementKeyHandle key() throws HopsealException {
        return vault.generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL);
    }

    private HandshakeState.Builder builder(NoiseProtocol p, boolean initiator) {
        return initiator ? HandshakeState.initiator(p, vault, vaults.verifier()) : HandshakeState.responder(p, vault, vaults.verifier());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void xxRunsInTurnsAndBothSidesAgreeOnEverything() throws Exception {
        AgreementKeyHandle is = key();
        AgreementKeyHandle rs = key();
        HandshakeState i = builder(xx, true).prologue(bytes("p")).localStatic(is).build();
        HandshakeState r = builder(xx, false).prologue(bytes("p")).localStatic(rs).build();
        assertThat(i.isInitiator()).isTrue();
        assertThat(r.isInitiator()).isFalse();
        assertThat(i.protocol()).isEqualTo(xx);
        assertThat(i.action()).isEqualTo(HandshakeState.Action.WRITE_MESSAGE);
        assertThat(r.action()).isEqualTo(HandshakeState.Action.READ_MESSAGE);
        assertThat(i.remoteStatic()).isEmpty();

        byte[] m1 = i.writeMessage(bytes("one"));
        assertThat(m1).as("e and a plaintext payload").hasSize(32 + 3);
        assertThat(i.action()).isEqualTo(HandshakeState.Action.READ_MESSAGE);
        assertThat(r.readMessage(m1)).isEqualTo(bytes("one"));
        assertThat(r.action()).isEqualTo(HandshakeState.Action.WRITE_MESSAGE);
        assertThat(r.payloadBinding()).isEqualTo(i.payloadBinding());

        byte[][] bound = new byte[1][];
        byte[] m2 = r.writeMessage(binding -> {
            bound[0] = binding;
            return bytes("two");
        });
        assertThat(bound[0]).isEqualTo(r.payloadBinding());
        assertThat(m2).as("e, encrypted s, encrypted payload").hasSize(32 + 48 + 3 + 16);
        assertThat(i.readMessage(m2)).isEqualTo(bytes("two"));
        assertThat(i.payloadBinding()).isEqualTo(bound[0]);
        assertThat(i.remoteStatic()).contains(vault.publicKey(rs));
        assertThat(r.action()).isEqualTo(HandshakeState.Action.READ_MESSAGE);

        byte[] m3 = i.writeMessage(bytes("three"));
        assertThat(i.action()).isEqualTo(HandshakeState.Action.SPLIT);
        assertThat(r.readMessage(m3)).isEqualTo(bytes("three"));
        assertThat(r.action()).isEqualTo(HandshakeState.Action.SPLIT);
        assertThat(r.remoteStatic()).contains(vault.publicKey(is));
        assertThat(i.handshakeHash()).isEqualTo(r.handshakeHash());

        HandshakeState.TransportKeys ik = i.split();
        HandshakeState.TransportKeys rk = r.split();
        assertThat(i.action()).isEqualTo(HandshakeState.Action.COMPLETE);
        assertThat(ik.handshakeHash()).isEqualTo(rk.handshakeHash()).isEqualTo(i.handshakeHash());
        assertThat(rk.receiver().decryptWithAd(new byte[0], ik.sender().encryptWithAd(new byte[0], bytes("x")))).isEqualTo(bytes("x"));
        assertThatThrownBy(i::split).isInstanceOf(IllegalStateException.class).hasMessage("handshake is at COMPLETE, not SPLIT");
        // Only the statics and the four transport keys are left: every handshake key is gone.
        ik.sender().destroy();
        ik.receiver().destroy();
        rk.sender().destroy();
        rk.receiver().destroy();
        i.destroy();
        assertThat(vault.size()).isEqualTo(2);
    }

    @Test
    void differentProloguesFailTheHandshake() throws Exception {
        HandshakeState i = builder(xx, true).prologue(bytes("a")).localStatic(key()).build();
        HandshakeState r = builder(xx, false).prologue(bytes("b")).localStatic(key()).build();
        r.readMessage(i.writeMessage(new byte[0]));
        byte[] m2 = r.writeMessage(new byte[0]);
        assertHopsealError(ErrorKind.AUTHENTICATION, () -> i.readMessage(m2)).isInstanceOf(HandshakeException.class);
        assertThat(i.action()).isEqualTo(HandshakeState.Action.FAILED);
    }

    @Test
    void aFailedHandshakeDeletesItsKeysButNotTheStaticOne() throws Exception {
        AgreementKeyHandle s = key();
        AgreementKeyHandle peerStatic = key();
        int before = vault.size();
        HandshakeState i = builder(xx, true).localStatic(s).build();
        HandshakeState r = builder(xx, false).localStatic(peerStatic).build();
        r.readMessage(i.writeMessage(new byte[0]));
        byte[] m2 = r.writeMessage(new byte[0]);
        assertHopsealError(ErrorKind.PROTOCOL, () -> i.readMessage(java.util.Arrays.copyOf(m2, 40)))
                .isInstanceOf(HandshakeException.class)
                .hasMessageContaining("static key");
        r.destroy();
        assertThat(vault.size()).isEqualTo(before);
        assertThat(vault.publicKey(s)).isNotNull();
        assertThatThrownBy(() -> i.writeMessage(new byte[0])).isInstanceOf(IllegalStateException.class)
                .hasMessage("handshake is at FAILED, not WRITE_MESSAGE");
    }

    @Test
    void aMessageTooShortForTheEphemeralKeyIsAProtocolError() throws Exception {
        HandshakeState r = builder(xx, false).localStatic(key()).build();
        assertThatThrownBy(() -> r.readMessage(new byte[31])).isInstanceOf(HandshakeException.class)
                .hasMessage("handshake message too short for the ephemeral key");
        HandshakeState r2 = builder(xx, false).localStatic(key()).build();
        assertThat(r2.readMessage(new byte[32 + 1])).hasSize(1);
        HandshakeState r3 = builder(xx, false).localStatic(key()).build();
        assertThat(r3.readMessage(new byte[HandshakeState.MAX_MESSAGE_LENGTH])).hasSize(HandshakeState.MAX_MESSAGE_LENGTH - 32);
    }

    @Test
    void aPayloadThatWouldMakeTheMessageTooLongIsRefusedAndFailsTheHandshake() throws Exception {
        HandshakeState i = builder(xx, true).localStatic(key()).build();
        assertThatThrownBy(() -> i.writeMessage(new byte[HandshakeState.MAX_MESSAGE_LENGTH - 32 + 1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("65536 bytes");
        assertThat(i.action()).isEqualTo(HandshakeState.Action.FAILED);
        HandshakeState j = builder(xx, true).localStatic(key()).build();
        assertThat(j.writeMessage(new byte[HandshakeState.MAX_MESSAGE_LENGTH - 32])).hasSize(HandshakeState.MAX_MESSAGE_LENGTH);
    }

    @Test
    void aSideWithoutTheStaticKeyItsPatternSendsFailsWhenItGetsThere() throws Exception {
        HandshakeState i = builder(xx, true).build();
        HandshakeState r = builder(xx, false).build();
        r.readMessage(i.writeMessage(new byte[0]));
        assertThatThrownBy(() -> r.writeMessage(new byte[0])).isInstanceOf(IllegalStateException.class)
                .hasMessage("XX needs this side's static key");
        assertThat(r.action()).isEqualTo(HandshakeState.Action.FAILED);
    }

    @Test
    void preMessagesNeedTheKeysTheyName() throws Exception {
        NoiseProtocol nk = NoiseProtocol.parse("Noise_NK_25519_AESGCM_SHA256");
        assertThatThrownBy(() -> builder(nk, true).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("NK needs the peer's static public key in advance");
        assertThatThrownBy(() -> builder(nk, false).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("NK needs this side's static key");
        AgreementKeyHandle rs = key();
        PublicKey rsPublic = vault.publicKey(rs);
        HandshakeState i = builder(nk, true).remoteStatic(rsPublic).build();
        HandshakeState r = builder(nk, false).localStatic(rs).build();
        assertThat(i.remoteStatic()).contains(rsPublic);
        assertThat(r.readMessage(i.writeMessage(bytes("hi")))).isEqualTo(bytes("hi"));
        assertThat(i.readMessage(r.writeMessage(bytes("yo")))).isEqualTo(bytes("yo"));
        assertThat(i.handshakeHash()).isEqualTo(r.handshakeHash());
        // A wrong key in advance: the first message does not authenticate.
        HandshakeState wrong = builder(nk, true).remoteStatic(vault.publicKey(key())).build();
        HandshakeState r2 = builder(nk, false).localStatic(rs).build();
        assertThatThrownBy(() -> r2.readMessage(wrong.writeMessage(bytes("hi")))).isInstanceOf(HandshakeException.class);
    }

    @Test
    void aOneWayPatternEndsAfterItsOnlyMessage() throws Exception {
        NoiseProtocol n = NoiseProtocol.parse("Noise_N_25519_ChaChaPoly_SHA256");
        AgreementKeyHandle rs = key();
        HandshakeState i = builder(n, true).remoteStatic(vault.publicKey(rs)).build();
        HandshakeState r = builder(n, false).localStatic(rs).build();
        assertThat(r.readMessage(i.writeMessage(bytes("only")))).isEqualTo(bytes("only"));
        assertThat(i.action()).isEqualTo(HandshakeState.Action.SPLIT);
        assertThat(r.action()).isEqualTo(HandshakeState.Action.SPLIT);
        HandshakeState.TransportKeys ik = i.split();
        HandshakeState.TransportKeys rk = r.split();
        assertThat(rk.receiver().decryptWithAd(new byte[0], ik.sender().encryptWithAd(new byte[0], bytes("t")))).isEqualTo(bytes("t"));
    }

    @Test
    void pskPatternsNeedExactlyTheirPreSharedKeysAndBothSidesTheSameOnes() throws Exception {
        NoiseProtocol nnpsk0 = NoiseProtocol.parse("Noise_NNpsk0_25519_AESGCM_SHA256");
        assertThatThrownBy(() -> builder(nnpsk0, true).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("NNpsk0 needs 1 pre-shared key(s), got 0");
        SecretHandle psk = vault.importSecret(new byte[32]);
        assertThatThrownBy(() -> builder(xx, true).psks(List.of(psk)).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("XX needs 0 pre-shared key(s), got 1");
        HandshakeState i = builder(nnpsk0, true).psks(List.of(psk)).build();
        HandshakeState r = builder(nnpsk0, false).psks(List.of(psk)).build();
        assertThat(r.readMessage(i.writeMessage(bytes("a")))).isEqualTo(bytes("a"));
        assertThat(i.readMessage(r.writeMessage(bytes("b")))).isEqualTo(bytes("b"));
        byte[] other = new byte[32];
        other[0] = 1;
        HandshakeState i2 = builder(nnpsk0, true).psks(List.of(psk)).build();
        HandshakeState r2 = builder(nnpsk0, false).psks(List.of(vault.importSecret(other))).build();
        assertHopsealError(ErrorKind.AUTHENTICATION, () -> r2.readMessage(i2.writeMessage(bytes("a"))))
                .isInstanceOf(HandshakeException.class);
    }

    @Test
    void destroyBeforeTheEndFailsTheHandshakeAndAfterItChangesNothing() throws Exception {
        HandshakeState i = builder(xx, true).localStatic(key()).build();
        i.writeMessage(new byte[0]);
        i.destroy();
        assertThat(i.action()).isEqualTo(HandshakeState.Action.FAILED);
        assertThatThrownBy(() -> i.readMessage(new byte[100])).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void transportKeysCopyTheirHash() throws Exception {
        byte[] h = {1, 2, 3};
        HandshakeState.TransportKeys k = new HandshakeState.TransportKeys(null, null, h);
        h[0] = 9;
        assertThat(k.handshakeHash()).containsExactly(1, 2, 3);
        k.handshakeHash()[1] = 9;
        assertThat(k.handshakeHash()).containsExactly(1, 2, 3);
    }
}
