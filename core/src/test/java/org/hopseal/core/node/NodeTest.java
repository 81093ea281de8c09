package org.hopseal.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.HopsealTimeoutException;
import org.hopseal.api.error.RoutingException;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Origin;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.Routed;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.api.worker.Context;
import org.hopseal.api.worker.Echoer;
import org.hopseal.api.worker.Hop;
import org.hopseal.api.worker.Worker;
import org.hopseal.testing.Await;
import org.junit.jupiter.api.Test;

class NodeTest {
    @Test
    void echoerRepliesOnTheReturnRoute() throws Exception {
        List<String> got = new ArrayList<>();
        Node.run(ctx -> {
            ctx.startWorker("echoer", new Echoer());
            ctx.send("echoer", "Hello Hopseal!");
            got.add(ctx.receive(String.class, Duration.ofSeconds(5)));
            ctx.stop();
        });
        assertThat(got).containsExactly("Hello Hopseal!");
    }

    @Test
    void messagesTravelThroughHopsAndBack() throws Exception {
        try (Node node = Node.start()) {
            Context ctx = node.context();
            ctx.startWorker("echoer", new Echoer());
            for (int i = 1; i <= 3; i++) {
                ctx.startWorker("h" + i, new Hop());
            }
            ctx.send(Route.of("h1", "h2", "h3", "echoer"), "through hops");
            Routed<String> reply = ctx.receiveRouted(String.class, Duration.ofSeconds(5));
            assertThat(reply.body()).isEqualTo("through hops");
            // The reply came back through every hop, each of which stepped itself off the return route.
            assertThat(reply.returnRoute()).isEqualTo(Route.of("h1", "h2", "h3", "echoer"));
        }
    }

    @Test
    void tenThousandRequestsBeforeReadingAnyReplyAllGetReplies() throws Exception {
        try (Node node = Node.start()) {
            Context ctx = node.context();
            ctx.startWorker("echoer", new Echoer());
            int n = 10_000;
            for (int i = 0; i < n; i++) {
                ctx.send("echoer", "m" + i);
            }
            for (int i = 0; i < n; i++) {
                assertThat(ctx.receive(String.class, Duration.ofSeconds(10))).isEqualTo("m" + i);
            }
        }
    }

    /** Sends {@code id:0} to {@code id:(count-1)} to the sink. */
    private static void sendNumbered(Context sender, int id, int count) {
        try {
            for (int i = 0; i < count; i++) {
                sender.send("sink", id + ":" + i);
            }
        } catch (HopsealException e) {
            throw new CompletionException(e);
        }
    }

    @Test
    void orderIsKeptPerSenderAcrossManySenders() throws Exception {
        try (Node node = Node.start()) {
            Context app = node.context();
            List<String> seen = new CopyOnWriteArrayList<>();
            app.startWorker("sink", String.class, (ctx, msg) -> seen.add(msg.body()));
            List<CompletableFuture<Void>> senders = new ArrayList<>();
            ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
            try {
                for (int s = 0; s < 8; s++) {
                    Context sc = app.newContext(Address.local("sender" + s));
                    int id = s;
                    // A failed send fails the future, which the test thread joins.
                    senders.add(CompletableFuture.runAsync(() -> sendNumbered(sc, id, 1000), threads));
                }
                CompletableFuture.allOf(senders.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            } finally {
                threads.shutdownNow();
            }
            Await.await("all 8000 messages at the sink", Duration.ofSeconds(10), () -> seen.size() >= 8000);
            assertThat(seen).hasSize(8000);
            for (int s = 0; s < 8; s++) {
                String prefix = s + ":";
                List<String> mine = seen.stream().filter(x -> x.startsWith(prefix)).toList();
                for (int i = 0; i < mine.size(); i++) {
                    assertThat(mine.get(i)).isEqualTo(prefix + i);
                }
            }
        }
    }

    @Test
    void unknownAddressIsAnErrorForTheSender() throws Exception {
        try (Node node = Node.start()) {
            assertHopsealError(ErrorKind.NOT_FOUND, () -> node.context().send("nobody", "hi"))
                    .isInstanceOf(RoutingException.class)
                    .hasMessageContaining("nobody");
        }
    }

    @Test
    void receiveTimesOutWithADistinctError() throws Exception {
        try (Node node = Node.start()) {
            assertHopsealError(ErrorKind.TIMEOUT, () -> node.context().receive(String.class, Duration.ofMillis(50)))
                    .isInstanceOf(HopsealTimeoutException.class);
        }
    }

    @Test
    void aWorkerThatThrowsKeepsRunning() throws Exception {
        try (Node node = Node.start()) {
            Context ctx = node.context();
            ctx.startWorker("flaky", String.class, (c, msg) -> {
                if (msg.body().equals("boom")) {
                    throw new IllegalStateException("boom");
                }
                c.send(msg.returnRoute(), "ok:" + msg.body());
            });
            ctx.send("flaky", "boom");
            ctx.send("flaky", "after");
            assertThat(ctx.receive(String.class, Duration.ofSeconds(5))).isEqualTo("ok:after");
        }
    }

    @Test
    void undecodableBodyIsDroppedAndTheWorkerContinues() throws Exception {
        try (Node node = Node.start()) {
            Context ctx = node.context();
            ctx.startWorker("strings", String.class, (c, msg) -> c.send(msg.returnRoute(), "got:" + msg.body()));
            ctx.send("strings", new byte[] {(byte) 0xC3, 0x28}); // not UTF-8
            ctx.send("strings", "fine");
            assertThat(ctx.receive(String.class, Duration.ofSeconds(5))).isEqualTo("got:fine");
        }
    }

    @Test
    void stopRunsEveryShutdownAndEndsEveryThread() throws Exception {
        AtomicInteger shutdowns = new AtomicInteger();
        List<Thread> threads = new CopyOnWriteArrayList<>();
        Node node = Node.start();
        for (int i = 0; i < 20; i++) {
            node.context().startWorker("w" + i, new Worker<String>() {
                @Override
                public void initialize(Context ctx) {
                    threads.add(Thread.currentThread());
                }

                @Override
                public void handleMessage(Context ctx, Routed<String> msg) {
                }

                @Override
                public void shutdown(Context ctx) {
                    shutdowns.incrementAndGet();
                }
            });
        }
        node.stop();
        assertThat(shutdowns).hasValue(20);
        for (Thread t : threads) {
            t.join(1000);
            assertThat(t.isAlive()).isFalse();
        }
        assertHopsealError(ErrorKind.SHUTDOWN, () -> node.context().send("w1", "x")).isInstanceOf(RoutingException.class);
    }

    @Test
    void duplicateAddressesAndLambdasWithoutTypeAreRejected() throws Exception {
        try (Node node = Node.start()) {
            node.context().startWorker("echoer", new Echoer());
            assertHopsealError(ErrorKind.ALREADY_EXISTS, () -> node.context().startWorker("echoer", new Echoer()))
                    .isInstanceOf(RoutingException.class).hasMessageContaining("in use");
            Worker<String> lambda = (c, m) -> { };
            assertThatThrownBy(() -> node.context().startWorker("lambda", lambda))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("message type");
        }
    }

    @Test
    void unregisteredTransportTypeIsUnsupported() throws Exception {
        try (Node node = Node.start()) {
            assertHopsealError(ErrorKind.UNSUPPORTED, () -> node.context().send(Route.of(Address.tcp("127.0.0.1:1"), Address.of("echoer")), "x"))
                    .isInstanceOf(RoutingException.class);
        }
    }

    private static LocalMessage toward(Address next, int tag) {
        return new LocalMessage(TransportMessage.wrap(Route.of(next, Address.of("far")), Route.empty(), new byte[] {(byte) tag}));
    }

    @Test
    void messagesRoutedTogetherReachTheirTransportAsOneListAndLocalOnesArriveOneByOneInOrder() throws Exception {
        try (Node node = Node.start()) {
            NodeBoundaryTest.FakeRouter tcp = new NodeBoundaryTest.FakeRouter();
            node.registerTransport(Address.TCP, tcp);
            Address peer = Address.tcp("127.0.0.1:9");
            List<LocalMessage> together = List.of(toward(peer, 1), toward(peer, 2), toward(peer, 3));
            node.routeTogether(together);
            assertThat(tcp.routedTogether).containsExactly(together);
            assertThat(tcp.routed).isEmpty();

            LocalMessage alone = toward(peer, 4);
            node.routeTogether(List.of(alone));
            assertThat(tcp.routed).containsExactly(alone);
            assertThat(tcp.routedTogether).hasSize(1);

            Context sink = node.context();
            node.routeTogether(List.of(toward(sink.address(), 5), toward(sink.address(), 6)));
            assertThat(sink.receive(LocalMessage.class, Duration.ofSeconds(5)).transportMessage().payload()).containsExactly(5);
            assertThat(sink.receive(LocalMessage.class, Duration.ofSeconds(5)).transportMessage().payload()).containsExactly(6);
        }
    }

    @Test
    void messagesRoutedTogetherMustShareTheirNextAddressAndOriginAndPassTheChecksEachWould() throws Exception {
        try (Node node = Node.start()) {
            NodeBoundaryTest.FakeRouter tcp = new NodeBoundaryTest.FakeRouter();
            node.registerTransport(Address.TCP, tcp);
            Address peer = Address.tcp("127.0.0.1:9");
            assertThatThrownBy(() -> node.routeTogether(List.of(toward(peer, 1), toward(Address.tcp("127.0.0.1:10"), 2))))
                    .isInstanceOf(IllegalArgumentException.class);
            Origin outside = new Origin.Transport(Address.tcp("10.0.0.9:4000"), true);
            assertThatThrownBy(() -> node.routeTogether(List.of(toward(peer, 1), toward(peer, 2).withOrigin(outside))))
                    .isInstanceOf(IllegalArgumentException.class);
            assertHopsealError(ErrorKind.UNTRUSTED, () -> node.routeTogether(
                    List.of(toward(peer, 1).withOrigin(outside), toward(peer, 2).withOrigin(outside))));
            assertHopsealError(ErrorKind.UNSUPPORTED, () -> node.routeTogether(
                    List.of(toward(Address.of(9, new byte[] {1}), 1), toward(Address.of(9, new byte[] {1}), 2))));
            assertThat(tcp.routed).as("nothing reached the transport").isEmpty();
            assertThat(tcp.routedTogether).as("nothing reached the transport together").isEmpty();
        }
    }
}
