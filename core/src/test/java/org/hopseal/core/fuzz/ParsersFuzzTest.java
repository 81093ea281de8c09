package org.hopseal.core.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.hopseal.api.credential.Credential;
import org.hopseal.api.error.CredentialException;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.error.HandshakeException;
import org.hopseal.api.error.IdentityException;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Persistence;
import org.hopseal.api.vault.Vaults;
import org.hopseal.core.channel.noise.HandshakeState;
import org.hopseal.core.channel.noise.NoiseProtocol;
import org.hopseal.vault.software.SoftwareVault;
import org.junit.jupiter.api.Timeout;

/**
 * Every parser of outside input in core yields its documented error type and nothing else: no other exception, no
 * hang, no allocation beyond what the input justifies. Regression mode runs the committed inputs in every build;
 * fuzz one target with {@code JAZZER_FUZZ=1 ./scripts/mvn test -pl core -Dtest='ParsersFuzzTest#tcpFrame'}.
 * The channel, identity, attestation, X3DH and presented-credentials parsers are package-private;
 * {@link FuzzEntryPoints} reaches them. A credential that decodes must survive its own encoding and text form.
 *
 * <p>The timeout is longer than the build's default: fuzzing runs a target for its {@code maxDuration}.
 */
@Timeout(value = 11, unit = TimeUnit.MINUTES)
class ParsersFuzzTest {
    private static final Vaults VAULTS = SoftwareVault.vaults();

    @FuzzTest(maxDuration = "10m")
    void tcpFrame(byte[] input) throws IOException {
        try {
            FuzzEntryPoints.readTcpFrames(input);
        } catch (DecodeException | IOException expected) {
            // DecodeException for a bad frame, IOException (EOF, frame too large) for the stream
        }
    }

    @FuzzTest(maxDuration = "10m")
    void noiseResponderReadsMessage1(byte[] input) throws Exception {
        responderReadsAndAnswers(NoiseProtocol.XX_25519_AESGCM_SHA256, input);
    }

    /** The same for the hybrid handshake: e, then a 1,184-byte ML-KEM key that message 2 encapsulates to. */
    @FuzzTest(maxDuration = "10m")
    void hybridResponderReadsMessage1(byte[] input) throws Exception {
        responderReadsAndAnswers(NoiseProtocol.XXHFS_25519_MLKEM768_AESGCM_SHA256, input);
    }

    /**
     * A responder of {@code protocolName} reads {@code input} as message 1 and answers it; the only failure allowed is
     * a {@link HandshakeException} (too short, a low-order e, an ML-KEM key that fails the modulus check).
     */
    private static void responderReadsAndAnswers(String protocolName, byte[] input) throws Exception {
        NoiseProtocol protocol = NoiseProtocol.parse(protocolName);
        var s = VAULTS.channel().generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL);
        HandshakeState responder = HandshakeState.responder(protocol, VAULTS.channel(), VAULTS.verifier()).localStatic(s).build();
        try {
            responder.readMessage(input);
            responder.writeMessage(new byte[0]);
        } catch (HandshakeException expected) {
            // the documented failure
        } finally {
            responder.destroy();
            VAULTS.channel().delete(s);
        }
    }

    @FuzzTest(maxDuration = "10m")
    void channelFrame(byte[] input) {
        try {
            FuzzEntryPoints.parseChannelFrameAndPlaintext(input);
        } catch (DecodeException expected) {
            // the documented failure
        }
    }

    @FuzzTest(maxDuration = "10m")
    void identityHistory(byte[] input) throws Exception {
        try {
            FuzzEntryPoints.verifyHistory(input, VAULTS.verifier());
        } catch (IdentityException expected) {
            // the documented failure
        }
    }

    @FuzzTest(maxDuration = "10m")
    void attestation(byte[] input) {
        try {
            FuzzEntryPoints.decodeAttestation(input);
        } catch (DecodeException expected) {
            // the documented failure
        }
    }

    @FuzzTest(maxDuration = "10m")
    void x3dhMessages(byte[] input) {
        try {
            FuzzEntryPoints.decodeX3dh(input);
        } catch (DecodeException expected) {
            // the documented failure
        }
    }

    @FuzzTest(maxDuration = "10m")
    void credential(byte[] input) {
        try {
            checkRoundTrip(Credential.decode(input));
        } catch (CredentialException expected) {
            // the documented failure
        }
    }

    @FuzzTest(maxDuration = "10m")
    void credentialText(byte[] input) {
        try {
            checkRoundTrip(Credential.parse(new String(input, StandardCharsets.UTF_8)));
        } catch (CredentialException expected) {
            // the documented failure
        }
    }

    @FuzzTest(maxDuration = "10m")
    void presentedCredentials(byte[] input) {
        try {
            for (byte[] encoded : FuzzEntryPoints.decodePresentedCredentials(input)) {
                try {
                    checkRoundTrip(Credential.decode(encoded));
                } catch (CredentialException expected) {
                    // the documented failure of one credential; the others are still decoded
                }
            }
        } catch (DecodeException expected) {
            // the documented failure of the list
        }
    }

    /** What decodes decodes again from its encoding and its text to an equal credential with the same fields. */
    private static void checkRoundTrip(Credential c) throws CredentialException {
        for (Credential again : new Credential[] {Credential.decode(c.encoded()), Credential.parse(c.toText())}) {
            if (!again.equals(c) || !again.attributes().equals(c.attributes()) || !again.subject().equals(c.subject())
                    || !again.authority().equals(c.authority()) || !Arrays.equals(again.subjectHead(), c.subjectHead())
                    || !Arrays.equals(again.authorityHistory(), c.authorityHistory()) || !again.issuedAt().equals(c.issuedAt())
                    || !again.expiresAt().equals(c.expiresAt())) {
                throw new AssertionError("a decoded credential does not survive its encoding or text: " + c);
            }
        }
    }
}
