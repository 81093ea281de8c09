package org.hopseal.core.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.HopsealTimeoutException;
import org.hopseal.api.identity.TrustEveryonePolicy;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Origin;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.Routed;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.wire.Payloads;
import org.hopseal.api.worker.Context;
import org.hopseal.core.node.Node;
import org.hopseal.testing.Await;
import org.hopseal.testing.Echo;
import org.hopseal.testing.Tap;
import org.hopseal.testing.TestNode;
import org.hopseal.vault.software.SoftwareVault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class SecureChannelTest {
    private TestNode testNode;
    private Node node;
    private Context ctx;
    private Vaults vaults;
    private SoftwareVault vault;
    /** A hop that records every frame that passes, and can hold frames back to reorder them. */
    private Tap tap;

    @BeforeEach
    void start() throws Exception {
        vault = new SoftwareVault();
        vaults = new Vaults(vault, vault, new org.hopseal.vault.software.SoftwareVerifier());
        testNode = TestNode.builder().vaults(vaults).start();
        node = Node.of(testNode.context());
        ctx = testNode.context();
        tap = testNode.tap();
        SecureChannels.createListener(ctx, Address.of("listener"), vaults, null, new TrustEveryonePolicy(), Duration.ofMillis(800));
    }

    @AfterEach
    void stop() {
        testNode.close();
        vaults.close();
    }

    /** Waits until the workers and keys of failed handshakes are gone (shutdown runs just after deregistration). */
    private void awaitQuiet(int addresses, int keys) throws InterruptedException {
        // The assertions below say which count is off, should the wait run out.
        Await.holds(Duration.ofSeconds(5), () -> node.registeredAddressCount() == addresses && vault.size() == keys);
        assertThat(node.registeredAddressCount()).isEqualTo(addresses);
        assertThat(vault.size()).isEqualTo(keys);
    }

    /** Sends bytes as they are, without a codec, as a peer on the network could. */
    private void raw(Route onward, Route back, byte[] payload) throws HopsealException {
        ctx.forward(new LocalMessage(TransportMessage.wrap(onward, back, payload)));
    }

    private Address channel() throws HopsealException {
        return SecureChannels.create(ctx, Route.of("tap", "listener"), vaults);
    }

    @Test
    void echoThroughAChannelAndTheWireCarriesNoPlaintext() throws Exception {
        Address channel = channel();
        assertThat(Echo.through(ctx, channel, "secret words")).isEqualTo("secret words");
        for (LocalMessage m : tap.passed()) {
            assertThat(new String(Payloads.of(m.transportMessage()), java.nio.charset.StandardCharsets.ISO_8859_1))
                    .doesNotContain("secret words").doesNotContain("echoer");
        }
    }

    @Test
    void repliesComeBackThroughTheChannelMarkedWithIt() throws Exception {
        Address channel = channel();
        ctx.send(Route.of(channel, Address.of("echoer")), "marked");
        Routed<String> reply = ctx.receiveRouted(String.class, Duration.ofSeconds(5));
        assertThat(reply.body()).isEqualTo("marked");
        assertThat(reply.origin()).isInstanceOfSatisfying(Origin.Channel.class, c -> assertThat(c.channel()).isEqualTo(channel));
    }

    @Test
    @Tag("slow")
    void seventyThousandMessagesPassTheU16LimitAndManyRekeysAndArriveCompleteAndInOrder() throws Exception {
        Address channel = channel();
        int n = 70_000;
        // At most this many in flight: the echoer is shared by all peers, so a reply that finds the channel's encryptor
        // mailbox full waits only EncryptorWorker.SERVICE_WAIT; staying below its capacity makes any loss a bug.
        Semaphore inFlight = new Semaphore(EncryptorWorker.MAILBOX_CAPACITY / 2);
        // The sender runs in the background and hands its outcome back; every check runs on the test thread.
        CompletableFuture<Void> sent = new CompletableFuture<>();
        Thread sender = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < n; i++) {
                    inFlight.acquire();
                    ctx.send(Route.of(channel, Address.of("echoer")), "m" + i);
                }
                sent.complete(null);
            } catch (Throwable e) {
                sent.completeExceptionally(e);
            }
        });
        try {
            for (int i = 0; i < n; i++) {
                String got = ctx.receive(String.class, Duration.ofSeconds(10));
                if (!got.equals("m" + i)) {
                    assertThat(got).as("message %d of %d", i, n).isEqualTo("m" + i);
                }
                inFlight.release();
            }
        } finally {
            sender.interrupt();
        }
        sent.get(10, TimeUnit.SECONDS);
        ChannelStats initiatorEnd = SecureChannelRegistry.of(node).get(channel).orElseThrow().stats();
        ChannelStats responderEnd = peerEnd(channel).stats();
        assertThat(responderEnd.delivered()).as("every message reached the echoer once").isEqualTo(n);
        assertThat(initiatorEnd.delivered()).as("every reply came back once").isEqualTo(n);
        assertThat(responderEnd.tampered()).isZero();
        assertThat(initiatorEnd.tampered()).isZero();
    }

    @Test
    void messagesAroundOneChunkAndOfSeveralFragmentsArriveIntact() throws Exception {
        Address channel = channel();
        for (int size : new int[] {Plaintext.MAX_CHUNK - 100, 65_535, 65_536, 200_000}) {
            byte[] big = new byte[size];
            new Random(size).nextBytes(big);
            ctx.send(Route.of(channel, Address.of("echoer")), big);
            assertThat(ctx.receive(byte[].class, Duration.ofSeconds(30))).isEqualTo(big);
        }
    }

    /** Sixteen MiB each way (seconds under PIT): fragmentation is checked per mutant by the test above. */
    @Test
    @Tag("slow")
    void largeMessagesArriveIntact() throws Exception {
        Address channel = channel();
        for (int size : new int[] {65_535, 65_536, 200_000, 16 * 1024 * 1024}) {
            byte[] big = new byte[size];
            new Random(size).nextBytes(big);
            ctx.send(Route.of(channel, Address.of("echoer")), big);
            assertThat(ctx.receive(byte[].class, Duration.ofSeconds(30))).isEqualTo(big);
        }
    }

    private ChannelInfo peerEnd(Address initiatorEnd) {
        return SecureChannelRegistry.of(node).all().stream().filter(i -> !i.encryptor().equals(initiatorEnd)).findFirst().orElseThrow();
    }

    private List<LocalMessage> dataFramesTo(Address decryptor) {
        return tap.passed().stream().filter(m -> m.onwardRoute().next().equals(decryptor)
                && Payloads.of(m.transportMessage())[0] == ChannelFrame.DATA).toList();
    }

    @Test
    void tamperedCiphertextIsDroppedAndCountedAndTheChannelKeepsWorking() throws Exception {
        Address channel = channel();
        assertThat(Echo.through(ctx, channel, "first")).isEqualTo("first");
        ChannelInfo responder = peerEnd(channel);
        tap.hold();
        ctx.send(Route.of(channel, Address.of("echoer")), "second");
        LocalMessage frame = tap.awaitHeld(1, Duration.ofSeconds(5)).get(0);
        tap.release();
        for (int i = 0; i < 3; i++) {
            byte[] payload = frame.transportMessage().payload();
            payload[payload.length - 1 - i * 7] ^= (byte) (1 << i);
            ctx.forward(frame.withTransportMessage(TransportMessage.wrap(frame.onwardRoute(), frame.returnRoute(), payload)));
        }
        ctx.forward(frame);
        assertThat(ctx.receive(String.class, Duration.ofSeconds(5))).isEqualTo("second");
        assertThat(responder.stats().tampered()).isEqualTo(3);
        assertThat(Echo.through(ctx, channel, "third")).isEqualTo("third");
    }

    @Test
    void replayedAndTooOldNoncesAreRejected() throws Exception {
        Address channel = channel();
        assertThat(Echo.through(ctx, channel, "zero")).isEqualTo("zero");
        ChannelInfo responder = peerEnd(channel);
        LocalMessage first = dataFramesTo(responder.decryptor()).get(0);
        ctx.forward(first);
        assertThat(Echo.through(ctx, channel, "after replay")).isEqualTo("after replay");
        assertThat(responder.stats().replayed()).isEqualTo(1);
        for (int i = 0; i < NonceWindow.SIZE + 5; i++) {
            assertThat(Echo.through(ctx, channel, "m" + i)).isEqualTo("m" + i);
        }
        ctx.forward(first);
        assertThat(Echo.through(ctx, channel, "after old")).isEqualTo("after old");
        assertThat(responder.stats().tooOld()).isEqualTo(1);
        assertThat(responder.stats().replayed()).isEqualTo(1);
    }

    @Test
    void outOfOrderFramesWithinTheWindowAreDelivered() throws Exception {
        Address channel = channel();
        assertThat(Echo.through(ctx, channel, "warm")).isEqualTo("warm");
        tap.hold();
        for (int i = 0; i < 5; i++) {
            ctx.send(Route.of(channel, Address.of("echoer")), "o" + i);
        }
        List<LocalMessage> held = tap.awaitHeld(5, Duration.ofSeconds(5));
        tap.release();
        for (int i = held.size() - 1; i >= 0; i--) {
            ctx.forward(held.get(i));
        }
        List<String> got = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            got.add(ctx.receive(String.class, Duration.ofSeconds(5)));
        }
        assertThat(got).containsExactly("o4", "o3", "o2", "o1", "o0");
    }

    @Test
    void garbageHandshakeFloodLeavesNoWorkersAndRealChannelsStillOpen() throws Exception {
        int baseline = node.registeredAddressCount();
        Random random = new Random(1);
        // Three times the listener's bound of 1,024 pending handshakes.
        for (int i = 0; i < 3_072; i++) {
            byte[] garbage = new byte[random.nextInt(120)];
            random.nextBytes(garbage);
            if (garbage.length > 0 && i % 2 == 0) {
                garbage[0] = ChannelFrame.HANDSHAKE;
            }
            raw(Route.of("listener"), Route.of("nowhere"), garbage);
        }
        Address channel = channel();
        assertThat(Echo.through(ctx, channel, "still serving")).isEqualTo("still serving");
        SecureChannels.close(ctx, channel);
        // Workers leave the routing table first and delete their keys in shutdown just after; the assertions below
        // say which count is off, should the wait run out.
        Await.holds(Duration.ofSeconds(30), () -> node.registeredAddressCount() <= baseline && vault.size() <= 1);
        assertThat(node.registeredAddressCount()).isEqualTo(baseline);
        assertThat(vault.size()).as("no handshake key is left behind").isEqualTo(1); // the listener's static key
    }

    @Test
    void aStalledHandshakeTimesOutAndLeavesNothing() throws Exception {
        ctx.startWorker("blackhole", LocalMessage.class, (c, m) -> { });
        int baseline = node.registeredAddressCount();
        int keys = vault.size();
        assertThatThrownBy(() -> SecureChannels.create(ctx, Route.of("blackhole"), vaults, null, new TrustEveryonePolicy(), Duration.ofMillis(300)))
                .isInstanceOf(HopsealTimeoutException.class);
        awaitQuiet(baseline, keys);
    }

    @Test
    void truncatedOrLowOrderHandshakesAbortAndTheirWorkersAreGone() throws Exception {
        int baseline = node.registeredAddressCount();
        raw(Route.of("listener"), Route.of(ctx.address()), ChannelFrame.handshake(new byte[10]));
        // A low-order ephemeral key: the responder's DH(e, re) gives the all-zero secret.
        raw(Route.of("listener"), Route.of(ctx.address()), ChannelFrame.handshake(new byte[32]));
        LocalMessage abort = ctx.receive(LocalMessage.class, Duration.ofSeconds(5));
        assertThat(Payloads.of(abort.transportMessage())).containsExactly(ChannelFrame.ABORT);
        awaitQuiet(baseline, 1);
    }

    @Test
    void closingOneEndClosesTheOther() throws Exception {
        Address channel = channel();
        assertThat(Echo.through(ctx, channel, "x")).isEqualTo("x");
        int open = SecureChannelRegistry.of(node).all().size();
        assertThat(open).isEqualTo(2);
        SecureChannels.close(ctx, channel);
        Await.await("both channel ends are closed", Duration.ofSeconds(5), () -> SecureChannelRegistry.of(node).all().isEmpty());
        assertHopsealError(ErrorKind.NOT_FOUND, () -> ctx.send(Route.of(channel, Address.of("echoer")), "gone"));
    }
}
