package org.hopseal.core.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.hopseal.api.vault.AeadAlgorithm;
import org.hopseal.api.vault.SecretHandle;
import org.hopseal.core.channel.ChannelReceiver.Received;
import org.hopseal.core.channel.noise.CipherState;
import org.hopseal.vault.software.SoftwareVault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The receiving state machine of an open channel end, without workers or I/O: what each data frame asks of the
 * end, and what it drops and counts.
 */
class ChannelReceiverTest {
    private final SoftwareVault vault = new SoftwareVault();
    private final ChannelStats stats = new ChannelStats();
    private final ReassemblyBudget budget = new ReassemblyBudget(1 << 20);
    private CipherState sender;
    private ChannelReceiver receiver;

    @BeforeEach
    void agreeOnAKey() throws Exception {
        SecretHandle secret = vault.importSecret(new byte[32]);
        sender = CipherState.withKey(vault, AeadAlgorithm.AES_256_GCM, vault.toAeadKey(secret, AeadAlgorithm.AES_256_GCM));
        receiver = new ChannelReceiver(new ReceiveKeys(CipherState.withKey(vault, AeadAlgorithm.AES_256_GCM,
                vault.toAeadKey(secret, AeadAlgorithm.AES_256_GCM))), new Reassembler(budget), stats, "test");
        vault.delete(secret);
    }

    @AfterEach
    void destroy() throws Exception {
        sender.destroy();
        receiver.destroy();
        vault.close();
    }

    /** The data frame the sender makes of {@code plaintext}, parsed as the decryptor gets it. */
    private ChannelFrame frame(byte[] plaintext) throws Exception {
        long nonce = sender.nonce();
        return ChannelFrame.parse(ChannelFrame.data(sender.encryptWithAd(new byte[0], plaintext, ChannelFrame.DATA_HEADER), nonce));
    }

    /** Fragment {@code index} of {@code count}: {@code length} bytes of {@code message} from {@code offset}. */
    private static byte[] fragment(long seq, int index, int count, byte[] message, int offset, int length) {
        return new Plaintext.Parts(Plaintext.fragmentHeader(seq, index, count, length), message, offset, length).toByteArray();
    }

    @Test
    void aMessageIsHandedOverInPlaceAfterItsKindByte() throws Exception {
        byte[] plaintext = {Plaintext.MESSAGE, 7, 8, 9};
        Received r = receiver.accept(frame(plaintext));
        assertThat(r).isInstanceOf(Received.Message.class);
        Received.Message m = (Received.Message) r;
        assertThat(Arrays.copyOfRange(m.bytes(), m.offset(), m.bytes().length)).containsExactly(7, 8, 9);
    }

    @Test
    void controlFramesAreNamedByTheirKind() throws Exception {
        for (int kind : new int[] {Plaintext.CONFIRM, Plaintext.CLOSE, Plaintext.PING, Plaintext.PONG}) {
            assertThat(receiver.accept(frame(Plaintext.control(kind).toByteArray()))).isEqualTo(new Received.Control(kind));
        }
    }

    @Test
    void aReplayIsDroppedAndCountedAndATamperedFrameDoesNotConsumeItsNonce() throws Exception {
        ChannelFrame first = frame(new byte[] {Plaintext.MESSAGE, 1});
        ChannelFrame second = frame(new byte[] {Plaintext.MESSAGE, 2});
        byte[] tampered = Arrays.copyOf(second.bytes(), second.bytes().length);
        tampered[tampered.length - 1] ^= 1;

        assertThat(receiver.accept(first)).isInstanceOf(Received.Message.class);
        assertThat(receiver.accept(first)).as("replayed").isEqualTo(new Received.Dropped());
        assertThat(receiver.accept(ChannelFrame.parse(tampered))).as("tampered").isEqualTo(new Received.Dropped());
        assertThat(receiver.accept(second)).as("the genuine frame with the tampered one's nonce").isInstanceOf(Received.Message.class);
        assertThat(stats.replayed()).isEqualTo(1);
        assertThat(stats.tampered()).isEqualTo(1);
    }

    @Test
    void aNonceOlderThanTheWindowIsDroppedAndCountedAsTooOld() throws Exception {
        ChannelFrame old = frame(new byte[] {Plaintext.MESSAGE, 0});
        ChannelFrame newest = null;
        for (int i = 0; i < NonceWindow.SIZE; i++) {
            newest = frame(new byte[] {Plaintext.MESSAGE, 1});
        }
        assertThat(receiver.accept(newest)).isInstanceOf(Received.Message.class);
        assertThat(receiver.accept(old)).isEqualTo(new Received.Dropped());
        assertThat(stats.tooOld()).isEqualTo(1);
    }

    @Test
    void fragmentsAreHeardUntilTheLastMakesTheMessageWhole() throws Exception {
        byte[] message = new byte[Plaintext.MAX_CHUNK + 10];
        message[message.length - 1] = 42;
        byte[] head = fragment(5, 0, 2, message, 0, Plaintext.MAX_CHUNK);
        byte[] tail = fragment(5, 1, 2, message, Plaintext.MAX_CHUNK, 10);

        assertThat(receiver.accept(frame(head))).isEqualTo(new Received.Heard());
        assertThat(budget.held()).as("the partial message is held").isPositive();
        Received whole = receiver.accept(frame(tail));
        assertThat(whole).isInstanceOf(Received.Message.class);
        assertThat(((Received.Message) whole).bytes()).isEqualTo(message);
        assertThat(((Received.Message) whole).offset()).isZero();
        assertThat(budget.held()).isZero();
    }

    @Test
    void anAuthenticatedButMalformedOrEmptyBodyIsHeardAndCountedAsTampered() throws Exception {
        assertThat(receiver.accept(frame(new byte[] {(byte) 0x7f}))).isEqualTo(new Received.Heard());
        assertThat(receiver.accept(frame(new byte[0]))).isEqualTo(new Received.Heard());
        assertThat(stats.tampered()).isEqualTo(2);
    }

    @Test
    void aFragmentThatDisagreesWithItsMessageIsHeardCountedAndNotReassembled() throws Exception {
        byte[] message = new byte[Plaintext.MAX_CHUNK + 10];
        assertThat(receiver.accept(frame(fragment(5, 0, 2, message, 0, Plaintext.MAX_CHUNK)))).isEqualTo(new Received.Heard());
        assertThat(receiver.accept(frame(fragment(5, 0, 2, message, 0, Plaintext.MAX_CHUNK))))
                .as("the same fragment again, under a new nonce").isEqualTo(new Received.Heard());
        assertThat(stats.tampered()).isEqualTo(1);
    }

    @Test
    void destroyForgetsPartialMessages() throws Exception {
        byte[] message = new byte[Plaintext.MAX_CHUNK + 10];
        receiver.accept(frame(fragment(5, 0, 2, message, 0, Plaintext.MAX_CHUNK)));
        assertThat(budget.held()).isPositive();
        int keys = vault.size();
        receiver.destroy();
        assertThat(budget.held()).isZero();
        assertThat(vault.size()).as("the receive key is deleted").isEqualTo(keys - 1);
        receiver = new ChannelReceiver(new ReceiveKeys(sender.successor()), new Reassembler(budget), stats, "test");
    }
}
