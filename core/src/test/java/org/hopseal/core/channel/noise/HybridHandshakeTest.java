package org.hopseal.core.channel.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HandshakeException;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Persistence;
import org.hopseal.api.vault.Vaults;
import org.hopseal.vault.software.SoftwareVault;
import org.hopseal.vault.software.SoftwareVerifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code Noise_XXhfs_25519+MLKEM768} with every cipher and hash the classical XX supports: both roles agree, the
 * messages have the sizes docs/post-quantum.md gives, any change to any part of any message fails the handshake,
 * malformed KEM input is refused, and no key outlives the handshake.
 */
class HybridHandshakeTest {
    private final SoftwareVault vault = new SoftwareVault();
    private final Vaults vaults = new Vaults(vault, vault, new SoftwareVerifier());

    @AfterEach
    void close() {
        vaults.close();
    }

    static Stream<String> protocols() {
        return Stream.of("AESGCM", "ChaChaPoly").flatMap(c -> Stream.of("SHA256", "SHA512", "BLAKE2s", "BLAKE2b")
                .map(h -> "Noise_XXhfs_25519+MLKEM768_" + c + "_" + h));
    }

    private HandshakeState side(String name, boolean initiator) throws HopsealException {
        NoiseProtocol p = NoiseProtocol.parse(name);
        var b = initiator ? HandshakeState.initiator(p, vaults.channel(), vaults.verifier()) : HandshakeState.responder(p, vaults.channel(), vaults.verifier());
        return b.localStatic(vaults.channel().generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL)).build();
    }

    /** The three messages of one handshake with payloads, as sent. */
    private List<byte[]> run(String name) throws HopsealException {
        HandshakeState i = side(name, true);
        HandshakeState r = side(name, false);
        List<byte[]> sent = new ArrayList<>();
        sent.add(i.writeMessage("m1".getBytes()));
        assertThat(r.readMessage(sent.get(0))).isEqualTo("m1".getBytes());
        sent.add(r.writeMessage("m2".getBytes()));
        assertThat(i.readMessage(sent.get(1))).isEqualTo("m2".getBytes());
        sent.add(i.writeMessage("m3".getBytes()));
        assertThat(r.readMessage(sent.get(2))).isEqualTo("m3".getBytes());
        HandshakeState.TransportKeys ik = i.split();
        HandshakeState.TransportKeys rk = r.split();
        assertThat(ik.handshakeHash()).isEqualTo(rk.handshakeHash());
        assertThat(rk.receiver().decryptWithAd(new byte[0], ik.sender().encryptWithAd(new byte[0], "data".getBytes()))).isEqualTo("data".getBytes());
        assertThat(ik.receiver().decryptWithAd(new byte[0], rk.sender().encryptWithAd(new byte[0], "back".getBytes()))).isEqualTo("back".getBytes());
        for (CipherState c : List.of(ik.sender(), ik.receiver(), rk.sender(), rk.receiver())) {
            c.destroy();
        }
        return sent;
    }

    @ParameterizedTest
    @MethodSource("protocols")
    void bothRolesAgreeAndTheMessagesHaveTheDocumentedSizes(String name) throws Exception {
        int keys = vault.size();
        List<byte[]> sent = run(name);
        assertThat(sent.get(0)).hasSize(32 + 1184 + 2);
        assertThat(sent.get(1)).hasSize(32 + 1088 + 16 + 32 + 16 + 2 + 16);
        assertThat(sent.get(2)).hasSize(32 + 16 + 2 + 16);
        assertThat(vault.size()).as("only the two static keys remain").isEqualTo(keys + 2);
    }

    /**
     * Flips one bit in turn in each part of each message (e, e1, ekem1, s, payload): the handshake never completes.
     * A change to message 1 shows when the initiator reads message 2 (message 1 carries no tag; its bytes are in h).
     */
    @ParameterizedTest
    @MethodSource("protocols")
    void aChangeAnywhereInAnyMessageFailsTheHandshake(String name) throws Exception {
        int[][] positions = {
                {0, 31, 32, 600, 1215, 1217},
                {0, 31, 32, 700, 1135, 1136, 1167, 1184, 1201},
                {0, 47, 48, 65},
        };
        for (int message = 0; message < 3; message++) {
            for (int at : positions[message]) {
                int keys = vault.size();
                assertThat(tampered(name, message, at)).as("message %d, byte %d", message + 1, at)
                        .isIn(ErrorKind.AUTHENTICATION, ErrorKind.INVALID);
                assertThat(vault.size()).as("no key left after the failure (message %d, byte %d)", message + 1, at).isEqualTo(keys + 2);
            }
        }
    }

    /** The kind of the failure when bit 0 of byte {@code at} of message {@code index} is flipped in flight. */
    private ErrorKind tampered(String name, int index, int at) throws HopsealException {
        HandshakeState i = side(name, true);
        HandshakeState r = side(name, false);
        HandshakeState[] writers = {i, r, i};
        HandshakeState[] readers = {r, i, r};
        try {
            for (int m = 0; m < 3; m++) {
                byte[] sent = writers[m].writeMessage(new byte[] {1, 2});
                if (m == index) {
                    sent[at] ^= 1;
                }
                readers[m].readMessage(sent);
            }
        } catch (HandshakeException e) {
            i.destroy();
            r.destroy();
            return e.kind();
        }
        throw new AssertionError("the handshake completed with byte " + at + " of message " + (index + 1) + " changed");
    }

    @Test
    void anMlKemKeyThatFailsTheModulusCheckIsRefusedByTheResponder() throws Exception {
        String name = NoiseProtocol.XXHFS_25519_MLKEM768_AESGCM_SHA256;
        byte[] m1 = side(name, true).writeMessage(new byte[0]);
        // The first coefficient of ek's t part becomes 0xFFF, which is not below q = 3329.
        m1[32] = (byte) 0xFF;
        m1[33] |= 0x0F;
        HandshakeState r = side(name, false);
        r.readMessage(m1);
        int keys = vault.size();
        assertHopsealError(ErrorKind.INVALID, () -> r.writeMessage(new byte[0])).isInstanceOf(HandshakeException.class);
        assertThat(r.action()).isEqualTo(HandshakeState.Action.FAILED);
        assertThat(vault.size()).isLessThan(keys);
    }

    @Test
    void messagesTooShortForTheKemPartsAreProtocolErrors() throws Exception {
        String name = NoiseProtocol.XXHFS_25519_MLKEM768_AESGCM_SHA256;
        HandshakeState r = side(name, false);
        assertThatThrownBy(() -> r.readMessage(new byte[32 + 1183])).isInstanceOf(HandshakeException.class)
                .hasMessage("handshake message too short for the KEM public key");
        HandshakeState i = side(name, true);
        HandshakeState r2 = side(name, false);
        r2.readMessage(i.writeMessage(new byte[0]));
        byte[] m2 = r2.writeMessage(new byte[0]);
        assertHopsealError(ErrorKind.PROTOCOL, () -> i.readMessage(Arrays.copyOf(m2, 32 + 1103)))
                .hasMessage("handshake message too short for the KEM ciphertext");
    }

    /** NKhfs sends e1 after es, so the KEM key travels encrypted (with a tag) and both ends still agree. */
    @Test
    void anEncryptedKemKeyAsInNkHfsAlsoAgrees() throws Exception {
        NoiseProtocol nk = NoiseProtocol.parse("Noise_NKhfs_25519+MLKEM768_ChaChaPoly_SHA256");
        var rs = vaults.channel().generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL);
        HandshakeState i = HandshakeState.initiator(nk, vaults.channel(), vaults.verifier()).remoteStatic(vaults.channel().publicKey(rs)).build();
        HandshakeState r = HandshakeState.responder(nk, vaults.channel(), vaults.verifier()).localStatic(rs).build();
        byte[] m1 = i.writeMessage("one".getBytes());
        assertThat(m1).hasSize(32 + 1184 + 16 + 3 + 16);
        assertThat(r.readMessage(m1)).isEqualTo("one".getBytes());
        byte[] m2 = r.writeMessage("two".getBytes());
        assertThat(m2).hasSize(32 + 1088 + 16 + 3 + 16);
        assertThat(i.readMessage(m2)).isEqualTo("two".getBytes());
        assertThat(i.split().handshakeHash()).isEqualTo(r.split().handshakeHash());
    }
}
