package org.hopseal.core.channel.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HandshakeException;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Persistence;
import org.hopseal.api.vault.Vaults;
import org.hopseal.vault.software.SoftwareVault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HandshakeStateTest {
    private final Vaults vaults = SoftwareVault.vaults();
    private final NoiseProtocol xx = NoiseProtocol.parse(NoiseProtocol.XX_25519_AESGCM_SHA256);

    @AfterEach
    void close() {
        vaults.close();
    }

    private HandshakeState side(boolean initiator) throws Exception {
        var b = initiator ? HandshakeState.initiator(xx, vaults.channel(), vaults.verifier()) : HandshakeState.responder(xx, vaults.channel(), vaults.verifier());
        return b.localStatic(vaults.channel().generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL)).build();
    }

    @Test
    void outOfTurnCallsAreProgrammingErrors() throws Exception {
        HandshakeState responder = side(false);
        assertThatThrownBy(() -> responder.writeMessage(new byte[0])).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(responder::split).isInstanceOf(IllegalStateException.class);
        HandshakeState initiator = side(true);
        assertThatThrownBy(() -> initiator.readMessage(new byte[48])).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theInitiatorSendsWithTheFirstSplitKey() throws Exception {
        HandshakeState i = side(true);
        HandshakeState r = side(false);
        r.readMessage(i.writeMessage(new byte[0]));
        i.readMessage(r.writeMessage(new byte[0]));
        r.readMessage(i.writeMessage(new byte[0]));
        HandshakeState.TransportKeys ik = i.split();
        HandshakeState.TransportKeys rk = r.split();
        assertThat(ik.handshakeHash()).isEqualTo(rk.handshakeHash());
        byte[] ct = ik.sender().encryptWithAd(new byte[0], "to responder".getBytes());
        assertThat(rk.receiver().decryptWithAd(new byte[0], ct)).isEqualTo("to responder".getBytes());
        byte[] back = rk.sender().encryptWithAd(new byte[0], "to initiator".getBytes());
        assertThat(ik.receiver().decryptWithAd(new byte[0], back)).isEqualTo("to initiator".getBytes());
    }

    @Test
    void truncatedAndTamperedMessagesFailTheHandshake() throws Exception {
        HandshakeState i = side(true);
        HandshakeState r = side(false);
        r.readMessage(i.writeMessage(new byte[0]));
        byte[] m2 = r.writeMessage(new byte[0]);
        assertThatThrownBy(() -> i.readMessage(java.util.Arrays.copyOf(m2, 40)))
                .isInstanceOf(HandshakeException.class).hasMessageContaining("too short");
        assertThat(i.action()).isEqualTo(HandshakeState.Action.FAILED);

        HandshakeState i2 = side(true);
        HandshakeState r2 = side(false);
        r2.readMessage(i2.writeMessage(new byte[0]));
        byte[] m2b = r2.writeMessage(new byte[0]);
        m2b[40] ^= 1;
        assertHopsealError(ErrorKind.AUTHENTICATION, () -> i2.readMessage(m2b)).isInstanceOf(HandshakeException.class);
        assertThatThrownBy(() -> i2.readMessage(m2b)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void overlongMessagesAreRejected() throws Exception {
        HandshakeState r = side(false);
        assertThatThrownBy(() -> r.readMessage(new byte[65536])).isInstanceOf(HandshakeException.class).hasMessageContaining("65535");
    }

    @Test
    void unsupportedNamesAreClearErrors() {
        assertThatThrownBy(() -> NoiseProtocol.parse("Noise_XX_448_AESGCM_SHA256")).hasMessageContaining("448");
        assertThatThrownBy(() -> NoiseProtocol.parse("Noise_QQ_25519_AESGCM_SHA256")).hasMessageContaining("QQ");
        assertThatThrownBy(() -> NoiseProtocol.parse("Noise_XX_25519_AESGCM_MD5")).hasMessageContaining("MD5");
        assertThat(NoiseProtocol.parse("Noise_XXpsk3_25519_ChaChaPoly_BLAKE2b").pattern().pskCount()).isEqualTo(1);
    }
}
