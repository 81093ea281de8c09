package org.hopseal.core.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HandshakeException;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.identity.SecureChannelOptions;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Persistence;
import org.hopseal.api.vault.Vaults;
import org.hopseal.vault.software.SoftwareVault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An X3DH responder takes only the one-time prekey its own bundle offered in this exchange. */
class X3dhPrekeyBindingTest {
    private final Vaults vaults = SoftwareVault.vaults();
    private final PeerCheck anonymous = new PeerCheck(null, SecureChannelOptions.defaults());

    @AfterEach
    void close() {
        vaults.close();
    }

    private AgreementKeyHandle key() throws HopsealException {
        return vaults.channel().generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL);
    }

    /** Runs an initiator against {@code responder} up to its initial message. */
    private byte[] initialFor(X3dhDriver responder) throws HopsealException {
        X3dhDriver initiator = X3dhDriver.initiator(vaults, key(), anonymous);
        byte[] bundle = responder.onFrame(ChannelFrame.parse(initiator.start())).replies().get(0);
        return initiator.onFrame(ChannelFrame.parse(bundle)).replies().get(0);
    }

    @Test
    void anInitialMessageNamingAPrekeyOfferedToAnotherExchangeIsRefusedAndThatPrekeyStaysUsable() throws Exception {
        PrekeyStore store = PrekeyStore.ephemeral(vaults.channel(), key());
        X3dhDriver first = X3dhDriver.responder(vaults, store, anonymous);
        X3dhDriver second = X3dhDriver.responder(vaults, store, anonymous);
        byte[] initialToFirst = initialFor(first);
        initialFor(second);

        // An on-path party replays the first exchange's initial message into the second exchange.
        assertHopsealError(ErrorKind.PROTOCOL, () -> second.onFrame(ChannelFrame.parse(initialToFirst)))
                .isInstanceOf(HandshakeException.class).hasMessageContaining("did not offer");
        // The prekey was not burned: the exchange it was offered to completes.
        assertThat(first.onFrame(ChannelFrame.parse(initialToFirst)).established()).isNotNull();
    }
}
