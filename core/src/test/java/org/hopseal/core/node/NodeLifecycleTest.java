package org.hopseal.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.RoutingException;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Origin;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.Routed;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Persistence;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.worker.AccessControl;
import org.hopseal.api.worker.Context;
import org.hopseal.api.worker.Echoer;
import org.hopseal.api.worker.Exposure;
import org.hopseal.api.worker.Worker;
import org.junit.jupiter.api.Test;

/** How a node starts and stops workers, transports and resources, and what it refuses on the way. */
class NodeLifecycleTest {
    private static final Duration T = Duration.ofSeconds(5);

    /** A worker whose initialize fails with {@code failure}. */
    private static Worker<String> failingToInitialize(Exception failure) {
        return new Worker<>() {
            @Override
            public void initialize(Context ctx) throws Exception {
                throw failure;
            }

            @Override
            public void handleMessage(Context ctx, Routed<String> msg) {
            }
        };
    }

    @Test
    void aWorkerWhoseInitializeFailsIsNotRegisteredAndItsAddressIsFreeAgain() throws Exception {
        try (Node node = Node.start()) {
            Context ctx = node.context();
            RoutingException own = new RoutingException(ErrorKind.INVALID, "refused by the worker");
            assertThatThrownBy(() -> ctx.startWorker("w", failingToInitialize(own))).isSameAs(own);
            assertThat(node.isRegistered(Address.of("w"))).isFalse();

            assertHopsealError(ErrorKind.INTERNAL, () -> ctx.startWorker("w", failingToInitialize(new IllegalStateException("boom"))))
                    .hasMessageContaining("w failed to initialize").hasCauseInstanceOf(IllegalStateException.class);
            assertThat(node.isRegistered(Address.of("w"))).isFalse();

            ctx.startWorker("w", new Echoer());
            assertThat(node.isRegistered(Address.of("w"))).isTrue();
        }
    }

    @Test
    void workersLiveAtLocalAddressesOnly() throws Exception {
        try (Node node = Node.start()) {
            assertThatThrownBy(() -> node.context().startWorker(Address.tcp("127.0.0.1:1"), new Echoer()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("local addresses");
            assertThatThrownBy(() -> node.context().newContext(Address.tcp("127.0.0.1:1")))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aStoppedNodeStartsNothing() throws Exception {
        Node node = Node.start();
        Context ctx = node.context();
        node.stop();
        assertThat(node.isRunning()).isFalse();
        assertHopsealError(ErrorKind.SHUTDOWN, () -> ctx.startWorker("w", new Echoer()));
        assertHopsealError(ErrorKind.SHUTDOWN, () -> ctx.newContext(Address.of("c")));
        assertThat(node.registeredAddressCount()).isZero();
        node.stop();
        node.close();
    }

    @Test
    void stoppingAnUnknownWorkerIsNotFoundAndAStoppedWorkerIsUnregistered() throws Exception {
        try (Node node = Node.start()) {
            Context ctx = node.context();
            assertHopsealError(ErrorKind.NOT_FOUND, () -> ctx.stopWorker(Address.of("nobody")));
            ctx.startWorker("echoer", new Echoer());
            int before = node.registeredAddressCount();
            ctx.stopWorker(Address.of("echoer"));
            assertThat(node.registeredAddressCount()).isEqualTo(before - 1);
            assertHopsealError(ErrorKind.NOT_FOUND, () -> ctx.send("echoer", "x"));
        }
    }

    @Test
    void aWorkerStoppedWithAReasonTellsLocalSendersWhyButNotOutsiders() throws Exception {
        try (Node node = Node.start()) {
            node.context().startWorker("echoer", new Echoer(), Exposure.everyone());
            node.stopWorker(Address.of("echoer"), "secure channel closed: connection lost");
            assertThat(node.isRegistered(Address.of("echoer"))).isFalse();
            assertHopsealError(ErrorKind.NOT_FOUND, () -> node.context().send("echoer", "x"))
                    .hasMessageContaining("(secure channel closed: connection lost)");

            Origin outside = node.issue(new Origin.Transport(Address.tcp("127.0.0.1:9"), true));
            LocalMessage fromOutside = new LocalMessage(TransportMessage.wrap(Route.of("echoer"), Route.empty(), new byte[] {1}),
                    Map.of(), outside);
            assertHopsealError(ErrorKind.NOT_FOUND, () -> node.route(fromOutside))
                    .hasMessageNotContaining("connection lost").hasMessageContaining("reachable from outside");
            node.stopWorker(Address.of("never-started"), "no matter");
        }
    }

    @Test
    void transportsRegisterOncePerTypeNeverAsTypeZeroAndCloseWhenTheNodeStops() throws Exception {
        AtomicInteger closed = new AtomicInteger();
        TransportRouter router = new TransportRouter() {
            @Override
            public void route(LocalMessage message) {
            }

            @Override
            public void routeOverOpenConnection(LocalMessage message) {
            }

            @Override
            public void reply(LocalMessage message) {
            }

            @Override
            public void close() {
                closed.incrementAndGet();
            }
        };
        Node node = Node.start();
        assertThatThrownBy(() -> node.registerTransport(Address.LOCAL, router)).isInstanceOf(IllegalArgumentException.class);
        node.registerTransport(7, router);
        assertThatThrownBy(() -> node.registerTransport(7, router)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("type 7");
        node.stop();
        assertThat(closed).hasValue(1);
    }

    @Test
    void resourcesCloseInReverseOrderOfRegistrationAndAFailingOneDoesNotStopTheOthers() throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        Node node = Node.start();
        node.closeOnStop(() -> order.add("first"));
        node.closeOnStop(() -> {
            order.add("failing");
            throw new IllegalStateException("cannot close");
        });
        node.closeOnStop(() -> order.add("last"));
        node.stop();
        assertThat(order).containsExactly("last", "failing", "first");
        node.stop();
        assertThat(order).as("a second stop closes nothing again").hasSize(3);
    }

    @Test
    void aNodeClosesTheVaultItOpenedButNotTheVaultsItWasGiven() throws Exception {
        Node owning = Node.builder().vault("software").start();
        Vaults opened = owning.vaults();
        assertThat(owning.vaults()).as("opened once").isSameAs(opened);
        owning.stop();
        assertThatThrownBy(() -> opened.channel().generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL)).isInstanceOf(VaultException.class);

        try (Vaults given = Vaults.open("software")) {
            Node borrowing = Node.builder().vaults(given).start();
            assertThat(borrowing.vaults()).isSameAs(given);
            borrowing.stop();
            given.channel().generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL);
        }
    }

    @Test
    void aNodeWithoutVaultsConfiguredMakesAnInMemoryOneOnFirstUse() throws Exception {
        try (Node node = Node.start()) {
            Vaults vaults = node.vaults();
            assertThat(vaults).isNotNull();
            assertThat(node.vaults()).isSameAs(vaults);
        }
    }

    @Test
    void aVaultSpecThatCannotBeOpenedIsAnErrorNotAFallback() throws Exception {
        try (Node node = Node.builder().vault("no-such-vault-kind").start()) {
            assertThatThrownBy(node::vaults).isInstanceOf(VaultException.class);
        }
    }

    @Test
    void servicesAreMadeOncePerNode() throws Exception {
        try (Node node = Node.start(); Node other = Node.start()) {
            AtomicInteger made = new AtomicInteger();
            StringBuilder first = node.service(StringBuilder.class, () -> new StringBuilder("n" + made.incrementAndGet()));
            StringBuilder again = node.service(StringBuilder.class, () -> new StringBuilder("n" + made.incrementAndGet()));
            assertThat(again).isSameAs(first);
            assertThat(made).hasValue(1);
            assertThat(other.service(StringBuilder.class, StringBuilder::new)).isNotSameAs(first);
        }
    }

    @Test
    void transportClosedReachesEveryListenerEvenAfterOneFails() throws Exception {
        try (Node node = Node.start()) {
            List<String> heard = new CopyOnWriteArrayList<>();
            node.onTransportClosed((address, reason) -> {
                throw new IllegalStateException("listener bug");
            });
            node.onTransportClosed((address, reason) -> heard.add(address + " " + reason));
            node.transportClosed(Address.tcp("127.0.0.1:9"), "reset");
            assertThat(heard).containsExactly(Address.tcp("127.0.0.1:9") + " reset");
        }
    }

    @Test
    void aTransportAddressIsInUseIfAnyUserSaysSo() throws Exception {
        try (Node node = Node.start()) {
            Address a = Address.tcp("127.0.0.1:1");
            Address b = Address.tcp("127.0.0.1:2");
            assertThat(node.isTransportInUse(a)).isFalse();
            node.onTransportUse(x -> false);
            node.onTransportUse(a::equals);
            assertThat(node.isTransportInUse(a)).isTrue();
            assertThat(node.isTransportInUse(b)).isFalse();
        }
    }

    @Test
    void stopWaitsForAWorkerBusyWithAMessageToFinishItAndRunItsShutdown() throws Exception {
        CountDownLatch handling = new CountDownLatch(1);
        List<String> events = new CopyOnWriteArrayList<>();
        Node node = Node.start();
        node.context().startWorker("slow", new Worker<String>() {
            @Override
            public void handleMessage(Context ctx, Routed<String> msg) throws InterruptedException {
                handling.countDown();
                Thread.sleep(300);
                events.add("handled");
            }

            @Override
            public void shutdown(Context ctx) {
                events.add("shutdown");
            }
        });
        node.context().send("slow", "x");
        assertThat(handling.await(5, TimeUnit.SECONDS)).isTrue();
        node.stop();
        assertThat(events).containsExactly("handled", "shutdown");
    }

    @Test
    void aWorkerThatStopsTheNodeFromItsOwnThreadDoesNotWaitForItself() throws Exception {
        Node node = Node.start();
        CountDownLatch stopped = new CountDownLatch(1);
        node.context().startWorker("stopper", new Worker<String>() {
            @Override
            public void handleMessage(Context ctx, Routed<String> msg) {
                node.stop();
                stopped.countDown();
            }
        });
        node.context().send("stopper", "stop");
        assertThat(stopped.await(T.toSeconds(), TimeUnit.SECONDS)).as("stop returned on the worker's own thread").isTrue();
        assertThat(node.isRunning()).isFalse();
    }

    @Test
    void aMessageWithAnEmptyOnwardRouteIsInvalid() throws Exception {
        try (Node node = Node.start()) {
            assertHopsealError(ErrorKind.INVALID, () -> node.route(new LocalMessage(TransportMessage.wrap(Route.empty(), Route.empty(),
                    new byte[0])))).isInstanceOf(RoutingException.class);
        }
    }

    @Test
    void startingAWorkerNeedsAWorkerAndAType() throws Exception {
        try (Node node = Node.start()) {
            WorkerOptions options = WorkerOptions.service(Exposure.none(), AccessControl.allowAll());
            assertThatThrownBy(() -> node.startWorker(Address.of("w"), String.class, null, options)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> node.startWorker(Address.of("w"), null, new Echoer(), options)).isInstanceOf(NullPointerException.class);
            assertThat(node.isRegistered(Address.of("w"))).isFalse();
        }
    }
}
