package org.hopseal.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealTimeoutException;
import org.hopseal.api.error.RoutingException;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Origin;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.Routed;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.api.worker.Echoer;
import org.hopseal.api.worker.Context;
import org.hopseal.api.worker.Exposure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A context's own rules: who receives, what a closed or stopped context answers, and which context stops the node. */
class NodeContextTest {
    private Node node;
    private Context app;

    @BeforeEach
    void start() throws Exception {
        node = Node.start();
        app = node.context();
    }

    @AfterEach
    void stop() {
        node.stop();
    }

    @Test
    void aContextKnowsItsAddressAndNode() throws Exception {
        NodeContext detached = (NodeContext) app.newContext(Address.of("detached"));

        assertThat(app.address()).isEqualTo(Address.of("app"));
        assertThat(detached.address()).isEqualTo(Address.of("detached"));
        assertThat(detached.node()).isSameAs(node);
        assertThat(Node.of(detached)).isSameAs(node);
        assertThat(detached).hasToString("Context{detached}");
        assertThat(detached.codecs()).isSameAs(node.codecs());
    }

    @Test
    void aMessageSentToADetachedContextIsReceivedWithItsRoutes() throws Exception {
        Context other = app.newContext(Address.of("other"));

        app.send(Route.of("other"), "hello");
        Routed<String> got = other.receiveRouted(String.class, Duration.ofSeconds(5));

        assertThat(got.body()).isEqualTo("hello");
        assertThat(got.returnRoute()).isEqualTo(Route.of("app"));
        assertThat(got.origin().isLocal()).isTrue();
    }

    @Test
    void receivingAsLocalMessageGivesTheRawMessage() throws Exception {
        Context other = app.newContext(Address.of("other"));
        app.send(Route.of("other"), Route.of("somewhere"), "raw");

        LocalMessage raw = other.receive(LocalMessage.class, Duration.ofSeconds(5));

        assertThat(raw.returnRoute()).isEqualTo(Route.of("somewhere"));
        assertThat(node.codecs().decode(String.class, raw.transportMessage().payload())).isEqualTo("raw");
    }

    @Test
    void receiveTimesOutWhenNothingArrives() {
        assertThatThrownBy(() -> app.receive(String.class, Duration.ofMillis(20))).isInstanceOf(HopsealTimeoutException.class);
    }

    @Test
    void aWorkerReceivesThroughHandleMessageNotReceive() throws Exception {
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        app.startWorker("worker", String.class, (ctx, m) -> {
            try {
                ctx.receive(String.class, Duration.ofMillis(10));
                thrown.complete(null);
            } catch (Throwable t) {
                thrown.complete(t);
            }
        });

        app.send("worker", "go");

        assertThat(thrown.get(5, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("receives through handleMessage");
    }

    @Test
    void aClosedContextIsUnregisteredAndMessagesToItAreUnknownAddressErrors() throws Exception {
        NodeContext detached = (NodeContext) app.newContext(Address.of("detached"));
        assertThat(node.isRegistered(Address.of("detached"))).isTrue();

        detached.close();

        assertThat(node.isRegistered(Address.of("detached"))).isFalse();
        assertHopsealError(ErrorKind.NOT_FOUND, () -> app.send("detached", "late")).isInstanceOf(RoutingException.class);
        assertHopsealError(ErrorKind.SHUTDOWN, () -> detached.receive(String.class, Duration.ofSeconds(5)))
                .hasMessageContaining("is closed");
        assertHopsealError(ErrorKind.SHUTDOWN, () -> detached.receive(String.class, Duration.ofSeconds(5)))
                .as("and stays closed for every later receive");
        assertThat(app.newContext(Address.of("detached")).address()).as("the address is free again").isEqualTo(Address.of("detached"));
    }

    @Test
    void aDetachedContextWaitingInReceiveIsToldWhenTheNodeStops() throws Exception {
        Context waiting = app.newContext(Address.of("waiting"));
        CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
            try {
                waiting.receive(String.class, Duration.ofSeconds(30));
                return null;
            } catch (Throwable t) {
                return t;
            }
        });

        node.stop();

        Throwable t = outcome.get(10, TimeUnit.SECONDS);
        assertThat(t).isInstanceOf(RoutingException.class);
        assertThat(((RoutingException) t).kind()).isEqualTo(ErrorKind.SHUTDOWN);
    }

    @Test
    void anInterruptedReceiveIsAShutdownErrorAndKeepsTheInterrupt() throws Exception {
        Context waiting = app.newContext(Address.of("waiting"));
        CompletableFuture<String> outcome = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().daemon().start(() -> {
            Thread.currentThread().interrupt();
            try {
                waiting.receive(String.class, Duration.ofSeconds(30));
                outcome.complete("received");
            } catch (RoutingException e) {
                outcome.complete(e.kind() + " interrupted=" + Thread.currentThread().isInterrupted());
            } catch (Throwable e) {
                outcome.complete(e.toString());
            }
        });

        assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo("SHUTDOWN interrupted=true");
        t.join(5000);
    }

    @Test
    void onlyTheNodesOwnContextStopsTheNode() throws Exception {
        Context detached = app.newContext(Address.of("detached"));

        assertThatThrownBy(detached::stop).isInstanceOf(IllegalStateException.class).hasMessageContaining("only the node's own context");
        assertThat(node.isRunning()).isTrue();

        app.stop();

        assertThat(node.isRunning()).isFalse();
    }

    @Test
    void anAddressInUseIsRefusedToANewContextWhateverItsExposure() throws Exception {
        app.newContext(Address.of("plain"));
        app.newContext(Address.of("open"), Exposure.transports());

        assertHopsealError(ErrorKind.ALREADY_EXISTS, () -> app.newContext(Address.of("plain")));
        assertHopsealError(ErrorKind.ALREADY_EXISTS, () -> app.newContext(Address.of("open"), Exposure.none()));
    }

    @Test
    void sendingNeedsABody() {
        assertThatThrownBy(() -> app.send(Route.of("x"), null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void startingAWorkerByNameRegistersItUnexposed() throws Exception {
        app.startWorker("echoer", new Echoer());
        assertThat(node.isRegistered(Address.of("echoer"))).isTrue();
        app.send(Route.of("echoer"), "ping");
        assertThat(app.receive(String.class, Duration.ofSeconds(5))).isEqualTo("ping");
        Origin outside = node.issue(new Origin.Transport(Address.tcp("10.0.0.9:4000"), true));
        assertHopsealError(ErrorKind.NOT_FOUND, () -> node.route(new LocalMessage(
                TransportMessage.wrap(Route.of("echoer"), Route.empty(), node.codecs().encode("x")), Map.of(), outside)));
    }

    @Test
    void anUnexposedDetachedContextTakesChannelsItsNodeOpenedButNotChannelsAListenerAccepted() throws Exception {
        Context detached = app.newContext(Address.of("detached"));
        Origin transport = new Origin.Transport(Address.tcp("10.0.0.9:4000"), true);
        Origin.Channel opened = new Origin.Channel(Address.local("enc1"), Optional.empty(), Optional.of(Address.local("app")),
                Optional.empty(), transport);
        Origin.Channel accepted = new Origin.Channel(Address.local("enc2"), Optional.of(Address.local("listener")),
                Optional.empty(), Optional.empty(), transport);

        node.route(new LocalMessage(TransportMessage.wrap(Route.of("detached"), Route.of("enc1"), node.codecs().encode("opened")),
                Map.of(), opened));
        assertThat(detached.receive(String.class, Duration.ofSeconds(5))).isEqualTo("opened");
        assertHopsealError(ErrorKind.NOT_FOUND, () -> node.route(new LocalMessage(
                TransportMessage.wrap(Route.of("detached"), Route.of("enc2"), node.codecs().encode("accepted")), Map.of(), accepted)));
        assertHopsealError(ErrorKind.NOT_FOUND, () -> node.route(new LocalMessage(
                TransportMessage.wrap(Route.of("detached"), Route.empty(), node.codecs().encode("raw")), Map.of(), transport)));
    }

    @Test
    void startingAWorkerByNameWithAnExposureMakesItReachableAsExposed() throws Exception {
        app.startWorker("exposed", new Echoer(), Exposure.everyone());
        Origin outside = node.issue(new Origin.Transport(Address.tcp("10.0.0.9:4000"), true));
        node.route(new LocalMessage(TransportMessage.wrap(Route.of("exposed"), Route.of("app"), node.codecs().encode("from outside")),
                Map.of(), outside));
        assertThat(app.receive(String.class, Duration.ofSeconds(5))).isEqualTo("from outside");
    }
}
