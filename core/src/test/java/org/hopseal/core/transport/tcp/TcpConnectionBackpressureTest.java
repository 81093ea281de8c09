package org.hopseal.core.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.RoutingException;
import org.hopseal.api.node.TcpTransportOptions;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.RoutingError;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.api.worker.AccessControl;
import org.hopseal.api.worker.Context;
import org.hopseal.api.worker.Exposure;
import org.hopseal.core.node.Forwarding;
import org.hopseal.core.node.Node;
import org.hopseal.core.node.WorkerOptions;
import org.hopseal.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A connection's write queue against hostile peers: peers that never read, a queue that holds exactly its limit, a
 * single frame larger than the queue, the write timeout, and a relaying reader that gives up behind a stalled write.
 */
class TcpConnectionBackpressureTest {
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final int PAYLOAD = 16 * 1024;

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closing(T resource) {
        resources.add(resource);
        return resource;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Await.await(what, DEADLINE, condition);
    }

    private TcpTransport transport(TcpTransportOptions options) throws HopsealException {
        Node node = closing(Node.start());
        return TcpTransport.create(node.context(), options);
    }

    /** A listening peer with a tiny receive buffer, so that a peer that does not read fills up fast. */
    private ServerSocket peerServer() throws IOException {
        ServerSocket server = closing(new ServerSocket());
        server.setReceiveBufferSize(4096);
        server.bind(new InetSocketAddress("127.0.0.1", 0));
        return server;
    }

    /** A connection of {@code tcp} to {@code server}, not reading; the accepted end is returned in {@code peer}. */
    private TcpConnection connect(TcpTransport tcp, ServerSocket server, Socket[] peer) throws IOException {
        SocketChannel socket = SocketChannel.open(server.getLocalSocketAddress());
        peer[0] = closing(server.accept());
        TcpConnection c = new TcpConnection(socket, Address.tcp("127.0.0.1:" + server.getLocalPort()), false, tcp);
        closing(c);
        return c;
    }

    private static TransportMessage message(int payloadBytes, int tag) {
        byte[] payload = new byte[payloadBytes];
        payload[0] = (byte) tag;
        return TransportMessage.wrap(Route.of("sink"), Route.of("me"), payload);
    }

    /** The peer's side, reading: the protocol version comes first. */
    private static FrameReader reading(Socket peer) throws IOException {
        peer.setSoTimeout((int) DEADLINE.toMillis());
        FrameReader in = new FrameReader(Channels.newChannel(peer.getInputStream()), 1 << 20);
        in.readVersion();
        return in;
    }

    private static RoutingException refusal(TcpConnection c, TransportMessage m) {
        try {
            c.sendQueued(m);
        } catch (RoutingException e) {
            return e;
        } catch (HopsealException e) {
            throw new AssertionError("expected a RoutingException, got " + e, e);
        }
        return null;
    }

    @Test
    void aSingleFrameLargerThanTheQueueIsAdmittedIntoAnEmptyQueueAndWritten() throws Exception {
        TcpTransport tcp = transport(TcpTransportOptions.defaults().withMaxQueuedBytes(1024));
        Socket[] peer = new Socket[1];
        TcpConnection c = connect(tcp, peerServer(), peer);
        FrameReader in = reading(peer[0]);

        c.sendQueued(message(8 * 1024, 7));

        TransportMessage read = in.next();
        assertThat(read.payload()).hasSize(8 * 1024);
        assertThat(read.payload()[0]).isEqualTo((byte) 7);
        assertThat(read.onwardRoute()).isEqualTo(Route.of("sink"));
    }

    @Test
    void aDirectSendIsWrittenAndFlushedAtOnceAndFailsOnceTheConnectionIsClosed() throws Exception {
        TcpTransport tcp = transport(TcpTransportOptions.defaults());
        Socket[] peer = new Socket[1];
        TcpConnection c = connect(tcp, peerServer(), peer);
        FrameReader in = reading(peer[0]);

        c.send(message(100, 1));
        c.send(message(100, 2));

        assertThat(in.next().payload()[0]).isEqualTo((byte) 1);
        assertThat(in.next().payload()[0]).isEqualTo((byte) 2);
        // The second went to the writer thread (a burst), which may still be leaving its flush.
        await(() -> !c.isWriteStalled(System.nanoTime(), Duration.ofNanos(1)), "no write left in progress");
        c.close();
        assertThat(c.isClosed()).isTrue();
        assertHopsealError(ErrorKind.UNAVAILABLE, () -> c.send(message(100, 3))).isInstanceOf(RoutingException.class)
                .hasMessageContaining("is closed");
        assertHopsealError(ErrorKind.UNAVAILABLE, () -> c.sendQueued(message(100, 4))).isInstanceOf(RoutingException.class)
                .hasMessageContaining("is closed");
    }

    @Test
    void aBurstFromOneThreadIsGatheredIntoFewWritesAndArrivesInOrder() throws Exception {
        TcpTransport tcp = transport(TcpTransportOptions.defaults());
        Socket[] peer = new Socket[1];
        TcpConnection c = connect(tcp, peerServer(), peer);
        FrameReader in = reading(peer[0]);
        int frames = 2_000;
        CompletableFuture<List<Byte>> arrived = readTags(in, frames);

        List<Byte> sent = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            c.send(message(100, i));
            sent.add((byte) i);
        }

        assertThat(arrived.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).as("every frame, in order").isEqualTo(sent);
        assertThat(c.writeCount()).as("a burst is left to the writer, which gathers each batch into one write").isLessThan(frames / 4);
    }

    @Test
    void largeFramesOfABurstAreWrittenByTheirSenderOneSystemCallEach() throws Exception {
        TcpTransport tcp = transport(TcpTransportOptions.defaults());
        Socket[] peer = new Socket[1];
        TcpConnection c = connect(tcp, peerServer(), peer);
        int frames = 20;
        CompletableFuture<List<Byte>> arrived = readTags(reading(peer[0]), frames);

        for (int i = 0; i < frames; i++) {
            c.send(message(TcpConnection.LARGE_FRAME, i));
        }

        List<Byte> sent = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            sent.add((byte) i);
        }
        assertThat(arrived.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).as("each once, in order").isEqualTo(sent);
        assertThat(c.writeCount()).as("gathering large frames saves nothing: each is written by its sender").isEqualTo(frames);
    }

    @Test
    void theFramesOfOneLargeMessageLeaveInOneWriteInOrder() throws Exception {
        TcpTransport tcp = transport(TcpTransportOptions.defaults());
        Socket[] peer = new Socket[1];
        TcpConnection c = connect(tcp, peerServer(), peer);
        int messages = 10;
        CompletableFuture<List<Byte>> arrived = readTags(reading(peer[0]), 3 * messages);

        List<Byte> sent = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            // A large first fragment and two small ones, as a channel cuts a message of about 130 KB.
            c.sendTogether(List.of(message(65_000, 3 * i), message(65_000, 3 * i + 1), message(500, 3 * i + 2)));
            sent.addAll(List.of((byte) (3 * i), (byte) (3 * i + 1), (byte) (3 * i + 2)));
        }

        assertThat(arrived.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).as("each once, in order").isEqualTo(sent);
        assertThat(c.writeCount()).as("one gathering write per message").isEqualTo(messages);
    }

    @Test
    void framesSentTogetherFollowThoseSentBeforeThemAndAClosedConnectionRefusesThem() throws Exception {
        TcpTransport tcp = transport(TcpTransportOptions.defaults().withMaxQueuedBytes(64 * 1024));
        Socket[] peer = new Socket[1];
        TcpConnection c = connect(tcp, peerServer(), peer);
        c.sendQueued(message(10, 0));
        c.sendTogether(List.of(message(10, 1), message(10, 2)));
        FrameReader in = reading(peer[0]);
        for (int i = 0; i < 3; i++) {
            assertThat(in.next().payload()[0]).as("frame %d", i).isEqualTo((byte) i);
        }
        c.close();
        assertHopsealError(ErrorKind.UNAVAILABLE, () -> c.sendTogether(List.of(message(10, 3), message(10, 4))));
    }

    @Test
    void routesUpToTheHopLimitAreSentAndLongerOnesAreRefusedBeforeAnythingIsWritten() throws Exception {
        TcpTransport tcp = transport(TcpTransportOptions.defaults());
        Socket[] peer = new Socket[1];
        TcpConnection c = connect(tcp, peerServer(), peer);
        Address[] longest = new Address[Route.MAX_LENGTH];
        Arrays.fill(longest, Address.of("hop"));
        Address[] tooLong = Arrays.copyOf(longest, Route.MAX_LENGTH + 1);
        tooLong[Route.MAX_LENGTH] = Address.of("hop");
        for (TransportMessage m : List.of(TransportMessage.wrap(Route.of(tooLong), Route.of("me"), new byte[] {1}),
                TransportMessage.wrap(Route.of("sink"), Route.of(tooLong), new byte[] {2}))) {
            assertHopsealError(ErrorKind.INVALID, () -> c.send(m)).hasMessageContaining("longer than the hop limit of 32");
        }
        c.send(TransportMessage.wrap(Route.of(longest), Route.of(longest), new byte[] {3}));

        TransportMessage arrived = reading(peer[0]).next();
        assertThat(arrived.onwardRoute().size()).isEqualTo(Route.MAX_LENGTH);
        assertThat(arrived.returnRoute().size()).isEqualTo(Route.MAX_LENGTH);
        assertThat(arrived.payload()).as("the refused ones never left").containsExactly(3);
    }

    @Test
    void aWriteThatFailsClosesTheConnectionAndTheSenderLearnsItWasLost() throws Exception {
        TcpTransport tcp = transport(TcpTransportOptions.defaults());
        Socket[] peer = new Socket[1];
        TcpConnection c = connect(tcp, peerServer(), peer);
        peer[0].setSoLinger(true, 0);
        peer[0].close(); // a reset: the next writes fail
        AtomicReference<HopsealException> lost = new AtomicReference<>();
        await(() -> {
            try {
                c.send(message(TcpConnection.LARGE_FRAME, 1));
                return false;
            } catch (HopsealException e) {
                lost.set(e);
                return true;
            }
        }, "a write fails");
        assertThat(lost.get().kind()).isEqualTo(ErrorKind.UNAVAILABLE);
        assertThat(c.isClosed()).as("a failed write closes the connection").isTrue();
    }

    /** Reads {@code frames} frames from {@code in} in the background: the first payload byte of each. */
    private static CompletableFuture<List<Byte>> readTags(FrameReader in, int frames) {
        return CompletableFuture.supplyAsync(() -> {
            List<Byte> tags = new ArrayList<>();
            try {
                for (int i = 0; i < frames; i++) {
                    tags.add(in.next().payload()[0]);
                }
            } catch (IOException | DecodeException e) {
                throw new CompletionException(e);
            }
            return tags;
        });
    }

    @Test
    void aDedicatedSenderWaitsForRoomBehindASlowPeerInsteadOfBeingRefused() throws Exception {
        int frame = TcpFrames.frame(message(PAYLOAD, 0)).size();
        TcpTransport tcp = transport(TcpTransportOptions.defaults().withMaxQueuedBytes(2 * frame));
        Socket[] peer = new Socket[1];
        TcpConnection c = connect(tcp, peerServer(), peer);
        int frames = 200; // far more than the socket buffers and the queue hold

        Thread sender = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < frames; i++) {
                    c.send(message(PAYLOAD, i));
                }
            } catch (HopsealException e) {
                throw new AssertionError(e);
            }
        });
        await(() -> c.isWriteStalled(System.nanoTime(), Duration.ofMillis(20)), "the writer is stuck behind the peer");
        assertThat(sender.isAlive()).as("the sender waits for room").isTrue();

        FrameReader in = reading(peer[0]);
        for (int i = 0; i < frames; i++) {
            assertThat(in.next().payload()[0]).as("frame %d", i).isEqualTo((byte) i);
        }
        sender.join(DEADLINE.toMillis());
        assertThat(sender.isAlive()).isFalse();
        assertThat(c.isClosed()).isFalse();
    }

    @Test
    void aPeerThatNeverReadsFillsTheQueueUpToItsLimitThenQueuedSendsAreRefusedAtOnce() throws Exception {
        int frame = TcpFrames.frame(message(PAYLOAD, 0)).size();
        TcpTransport tcp = transport(TcpTransportOptions.defaults().withMaxQueuedBytes(2 * frame));
        Socket[] peer = new Socket[1];
        TcpConnection c = connect(tcp, peerServer(), peer);

        // Frames are queued until the writer is stuck behind the full socket and the queue is full behind it.
        AtomicReference<RoutingException> refusedLast = new AtomicReference<>();
        int[] admittedSoFar = {0};
        await(() -> {
            RoutingException r;
            while ((r = refusal(c, message(PAYLOAD, admittedSoFar[0]))) == null && admittedSoFar[0] < 100_000) {
                admittedSoFar[0]++;
            }
            refusedLast.set(r);
            return r != null && c.isWriteStalled(System.nanoTime(), Duration.ofMillis(20));
        }, "the queue fills behind a stuck write");
        RoutingException refused = refusedLast.get();
        int admitted = admittedSoFar[0];
        assertThat(admitted).as("the queue is bounded").isLessThan(100_000);

        assertThat(refused.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
        // Bytes count as waiting until the socket takes them, so part of a frame may have left: one more frame would
        // have gone over the limit, and no more than the limit waits.
        Matcher waiting = Pattern.compile("is not keeping up: (\\d+) bytes wait to be written").matcher(refused.getMessage());
        assertThat(waiting.find()).as(refused.getMessage()).isTrue();
        assertThat(Long.parseLong(waiting.group(1))).isGreaterThan(frame).isLessThanOrEqualTo(2 * frame);
        assertThat(c.isWriteStalled(System.nanoTime(), Duration.ofDays(1))).as("not stuck for a day").isFalse();
        // On a loaded machine the writer may not have run for a while, and so only looked stuck; the peer never
        // reads, so the queue is full again after a few more frames, and stays refusing.
        while (refusal(c, message(PAYLOAD, admitted)) == null) {
            admitted++;
            assertThat(admitted - admittedSoFar[0]).as("frames admitted after the queue looked full").isLessThan(1_000);
        }
        assertThat(c.isClosed()).isFalse();

        // Once the peer reads, every admitted frame arrives, in order, and the queue takes frames again.
        FrameReader in = reading(peer[0]);
        for (int i = 0; i < admitted; i++) {
            assertThat(in.next().payload()[0]).as("frame %d", i).isEqualTo((byte) i);
        }
        c.sendQueued(message(PAYLOAD, 99));
        assertThat(in.next().payload()[0]).isEqualTo((byte) 99);
    }

    @Test
    void aServiceWorkerSendingToAPeerThatNeverReadsIsRefusedWithUnavailableInsteadOfWaiting() throws Exception {
        Node node = closing(Node.start());
        TcpTransport.create(node.context(), TcpTransportOptions.defaults().withMaxQueuedBytes(4 * PAYLOAD));
        ServerSocket server = peerServer();
        Route sink = Route.of(Address.tcp("127.0.0.1:" + server.getLocalPort()), Address.of("sink"));
        Context app = node.context().newContext(Address.random(), Exposure.transports());
        app.startWorker("flooder", String.class, (c, m) -> {
            try {
                for (int i = 0; i < 100_000; i++) {
                    c.send(sink, new byte[PAYLOAD]);
                }
                c.send(Route.of(app.address()), "never refused");
            } catch (RoutingException e) {
                c.send(Route.of(app.address()), e.kind() + ": " + e.getMessage());
            }
        });

        app.send(Route.of("flooder"), "go");

        assertThat(app.receive(String.class, DEADLINE)).startsWith("UNAVAILABLE: ").contains("is not keeping up");
    }

    @Test
    void aWriteThatMakesNoProgressForTheWriteTimeoutClosesTheConnectionAndFailsTheBlockedSender() throws Exception {
        Node node = closing(Node.start());
        TcpTransport dialer = TcpTransport.create(node.context(), TcpTransportOptions.defaults().withWriteTimeout(Duration.ofMillis(300)));
        ServerSocket server = peerServer();
        Address peerAddress = Address.tcp("127.0.0.1:" + server.getLocalPort());
        var ctx = node.context();

        // The application's thread writes itself: a frame larger than every buffer blocks it behind the peer.
        long start = System.nanoTime();
        assertHopsealError(ErrorKind.UNAVAILABLE, () -> ctx.send(Route.of(peerAddress, Address.of("sink")), new byte[12 * 1024 * 1024]))
                .isInstanceOf(RoutingException.class).hasMessageContaining("lost");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not before the write timeout")
                .isGreaterThanOrEqualTo(Duration.ofMillis(250));
        await(() -> dialer.connectionCount() == 0, "the stalled connection is forgotten");
    }

    @Test
    void aRelayingReaderGivesUpBehindAStalledWriteAndTheSenderGetsAnErrorReply() throws Exception {
        Node middle = closing(Node.builder().forwarding(Forwarding.anywhere()).start());
        int frame = TcpFrames.frame(message(PAYLOAD, 0)).size();
        TcpTransport tcp = TcpTransport.create(middle.context(), TcpTransportOptions.defaults().withMaxQueuedBytes(2 * frame));
        int middlePort = tcp.listen("127.0.0.1:0").getPort();
        ServerSocket stuck = peerServer();
        Address stuckAddress = Address.tcp("127.0.0.1:" + stuck.getLocalPort());

        Socket sender = closing(new Socket("127.0.0.1", middlePort));
        FrameReader in = reading(sender);
        sender.getOutputStream().write(TcpFrames.PROTOCOL_VERSION);
        byte[] relayed = FrameBytes.of(TransportMessage.wrap(Route.of(stuckAddress, Address.of("sink")), Route.of("me"),
                new byte[PAYLOAD]));
        // The frames go out from another thread: the middle node reads them only as fast as it can relay them.
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < 100_000 && !Thread.currentThread().isInterrupted(); i++) {
                    sender.getOutputStream().write(relayed);
                }
            } catch (IOException ignored) {
                // the test has ended
            }
        });
        closing(writer::interrupt);
        closing(stuck.accept());

        RoutingError error = null;
        while (error == null) {
            TransportMessage reply = in.next();
            assertThat(reply.onwardRoute()).isEqualTo(Route.of("me"));
            if (RoutingError.isRoutingError(reply.payload())) {
                error = RoutingError.decode(reply.payload());
            }
        }
        assertThat(error.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
        assertThat(error.reason()).contains("is not keeping up");
    }

    @Test
    void whatIsRoutedOverAnOpenConnectionWaitsBehindAStalledWriteEvenOnAReader() throws Exception {
        Node middle = closing(Node.start());
        int frame = TcpFrames.frame(message(PAYLOAD, 0)).size();
        TcpTransport tcp = TcpTransport.create(middle.context(), TcpTransportOptions.defaults().withMaxQueuedBytes(2 * frame));
        int middlePort = tcp.listen("127.0.0.1:0").getPort();
        ServerSocket stuck = peerServer();
        Address stuckAddress = Address.tcp("127.0.0.1:" + stuck.getLocalPort());
        middle.context().send(Route.of(stuckAddress, Address.of("sink")), "open");
        Socket stuckPeer = closing(stuck.accept());
        // A relay-like worker, run on the reader of the connection its messages come by.
        middle.startWorker(Address.of("pass"), LocalMessage.class, (ctx, msg) -> middle.routeWithoutConnecting(
                new LocalMessage(msg.body().transportMessage().withOnwardRoute(Route.of(stuckAddress, Address.of("sink"))))),
                new WorkerOptions(Exposure.transports(), AccessControl.allowAll(), 16, true, true));

        Socket sender = closing(new Socket("127.0.0.1", middlePort));
        sender.getOutputStream().write(TcpFrames.PROTOCOL_VERSION);
        int frames = 200;
        byte[] one = FrameBytes.of(TransportMessage.wrap(Route.of("pass"), Route.of("me"), new byte[PAYLOAD]));
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < frames; i++) {
                    sender.getOutputStream().write(one);
                }
            } catch (IOException ignored) {
                // the test has ended
            }
        });
        closing(writer::interrupt);
        FrameReader replies = reading(sender);
        sender.setSoTimeout(1_000);
        // The stalled peer reads nothing for a second: no frame is dropped, so no error reply comes back.
        assertThatThrownBy(replies::next).isInstanceOf(SocketTimeoutException.class);
        FrameReader in = reading(stuckPeer);
        assertThat(in.next().onwardRoute()).isEqualTo(Route.of("sink"));
        for (int i = 0; i < frames; i++) {
            assertThat(in.next().payloadLength()).as("frame " + i).isEqualTo(PAYLOAD);
        }
    }

    @Test
    void anUnroutableMessageFromAPeerIsAnsweredWithAnErrorReplyOverItsConnection() throws Exception {
        TcpTransport tcp = transport(TcpTransportOptions.defaults());
        int port = tcp.listen("127.0.0.1:0").getPort();
        try (Socket peer = new Socket("127.0.0.1", port)) {
            FrameReader in = reading(peer);
            peer.getOutputStream().write(TcpFrames.PROTOCOL_VERSION);
            peer.getOutputStream().write(FrameBytes.of(TransportMessage.wrap(Route.of("nobody"), Route.of("me"), new byte[] {1})));
            TransportMessage reply = in.next();
            assertThat(reply.onwardRoute()).isEqualTo(Route.of("me"));
            assertThat(reply.returnRoute().isEmpty()).isTrue();
            assertThat(RoutingError.isRoutingError(reply.payload())).isTrue();
            assertThat(RoutingError.decode(reply.payload()).kind()).isNotNull();
            // An error reply is never answered, and the connection keeps working.
            peer.getOutputStream().write(FrameBytes.of(TransportMessage.wrap(Route.of("nobody"), Route.of("again"), new byte[] {2})));
            TransportMessage second = in.next();
            assertThat(second.onwardRoute()).isEqualTo(Route.of("again"));
        }
    }

    @Test
    void framesFromManyThreadsAtOnceAllArriveEachThreadsInOrder() throws Exception {
        TcpTransport tcp = transport(TcpTransportOptions.defaults());
        Socket[] peer = new Socket[1];
        TcpConnection c = connect(tcp, peerServer(), peer);
        int threads = 2;
        int each = 120; // tags up to 239: one payload byte each
        CompletableFuture<List<Byte>> arrived = readTags(reading(peer[0]), threads * each);
        List<Thread> senders = new ArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            senders.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < each; i++) {
                    // Large and small frames mixed: written directly by their sender or gathered by the writer.
                    int size = i % 2 == 0 ? TcpConnection.LARGE_FRAME : 100;
                    try {
                        c.sendWaiting(message(size, thread * each + i));
                    } catch (HopsealException e) {
                        failures.add(e);
                    }
                }
            }));
        }
        for (Thread sender : senders) {
            sender.join(DEADLINE.toMillis());
        }
        assertThat(failures).isEmpty();
        List<Byte> tags = arrived.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            List<Byte> ofThread = tags.stream().filter(tag -> (tag & 0xff) / each == thread).toList();
            List<Byte> expected = new ArrayList<>();
            for (int i = 0; i < each; i++) {
                expected.add((byte) (thread * each + i));
            }
            assertThat(ofThread).as("thread %d's frames, each once, in order", thread).isEqualTo(expected);
        }
    }

    @Test
    void aQueuedWriteThatFailsClosesTheConnection() throws Exception {
        TcpTransport tcp = transport(TcpTransportOptions.defaults());
        Socket[] peer = new Socket[1];
        TcpConnection c = connect(tcp, peerServer(), peer);
        peer[0].setSoLinger(true, 0);
        peer[0].close(); // a reset: the writer's next writes fail
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!c.isClosed()) {
            assertThat(System.nanoTime() < deadline).as("in time: the writer's failed write closed the connection").isTrue();
            try {
                c.sendQueued(message(100, 1));
            } catch (RoutingException refused) {
                // the queue is full or the connection just closed: the loop looks again
            }
        }
        assertHopsealError(ErrorKind.UNAVAILABLE, () -> c.sendQueued(message(100, 2))).hasMessageContaining("is closed");
    }
}
