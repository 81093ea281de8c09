package org.hopseal.core.channel;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HandshakeException;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.vault.Vaults;
import org.hopseal.core.channel.noise.HandshakeState;
import org.hopseal.core.channel.noise.NoiseProtocol;

/**
 * Noise XX with identities in the payloads of messages 2 (responder) and 3 (initiator), bound to the handshake hash
 * (see {@code docs/identity-protocol.md}): classical {@code Noise_XX_25519_AESGCM_SHA256} in frames of type
 * {@link ChannelFrame#HANDSHAKE}, or hybrid {@code Noise_XXhfs_25519+MLKEM768_AESGCM_SHA256} in frames of type
 * {@link ChannelFrame#HYBRID_HANDSHAKE} (see {@code docs/post-quantum.md}). A frame of the other type ends the
 * handshake.
 */
final class NoiseXxDriver implements HandshakeDriver {
    /** Identifies Hopseal's channels inside the Noise transcript. */
    static final byte[] PROLOGUE = "hopseal/secure-channel/1".getBytes(StandardCharsets.US_ASCII);
    /** Parsed once: a protocol is immutable. */
    private static final NoiseProtocol CLASSICAL = NoiseProtocol.parse(NoiseProtocol.XX_25519_AESGCM_SHA256);
    private static final NoiseProtocol HYBRID = NoiseProtocol.parse(NoiseProtocol.XXHFS_25519_MLKEM768_AESGCM_SHA256);

    private final boolean initiator;
    private final int frameType;
    private final HandshakeState handshake;
    private final PeerCheck check;

    NoiseXxDriver(boolean initiator, boolean hybrid, Vaults vaults, AgreementKeyHandle staticKey, PeerCheck check) throws HopsealException {
        this.initiator = initiator;
        this.frameType = hybrid ? ChannelFrame.HYBRID_HANDSHAKE : ChannelFrame.HANDSHAKE;
        this.check = check;
        NoiseProtocol protocol = hybrid ? HYBRID : CLASSICAL;
        HandshakeState.Builder b = initiator
                ? HandshakeState.initiator(protocol, vaults.channel(), vaults.verifier())
                : HandshakeState.responder(protocol, vaults.channel(), vaults.verifier());
        this.handshake = b.prologue(PROLOGUE).localStatic(staticKey).build();
    }

    @Override
    public String protocol() {
        return handshake.protocol().name();
    }

    @Override
    public byte[] start() throws HopsealException {
        return initiator ? ChannelFrame.handshake(frameType, handshake.writeMessage(new byte[0])) : null;
    }

    @Override
    public Step onFrame(ChannelFrame frame) throws HopsealException {
        if (frame.type() != frameType || handshake.action() != HandshakeState.Action.READ_MESSAGE) {
            throw new HandshakeException(ErrorKind.PROTOCOL, "unexpected message in a " + protocol() + " handshake");
        }
        byte[] payload = handshake.readMessage(frame.body());
        if (!initiator && handshake.action() == HandshakeState.Action.WRITE_MESSAGE) {
            // Message 1 read: answer with message 2, carrying the responder's identity.
            return Step.reply(ChannelFrame.handshake(frameType, handshake.writeMessage(binding -> check.payload(binding, false))));
        }
        var peer = check.verify(payload, handshake.payloadBinding(), handshake.remoteStatic().orElseThrow(), !initiator);
        byte[] m3 = null;
        if (initiator) {
            // Message 2 read and verified: answer with message 3, carrying the initiator's identity.
            m3 = ChannelFrame.handshake(frameType, handshake.writeMessage(binding -> check.payload(binding, true)));
        }
        HandshakeState.TransportKeys keys = handshake.split();
        return new Step(m3 == null ? List.of() : List.of(m3), new Established(keys.sender(), keys.receiver(), peer));
    }

    @Override
    public void destroy() {
        handshake.destroy();
    }
}
