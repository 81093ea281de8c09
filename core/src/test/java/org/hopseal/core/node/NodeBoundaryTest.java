package org.hopseal.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.hopseal.api.codec.MessageCodecs;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.HopsealTimeoutException;
import org.hopseal.api.error.RoutingException;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Origin;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.Routed;
import org.hopseal.api.routing.RoutingError;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.api.wire.Payloads;
import org.hopseal.api.worker.AccessControl;
import org.hopseal.api.worker.Context;
import org.hopseal.api.worker.Exposure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Default deny, forwarding, the hop limit and error replies, as {@link Node} applies them. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class NodeBoundaryTest {
    /** An unused transport type, so that a fake router sees what the node hands to transports. */
    private static final int FAKE = 7;
    private static final Address PEER = Address.of(FAKE + "#peer");
    private static final Origin FROM_PEER = new Origin.Transport(PEER, true);
    private static final String UNIFORM = " is reachable from outside this way";

    /** Records what the node routes and replies through it. */
    static final class FakeRouter implements TransportRouter {
        final List<LocalMessage> routed = new CopyOnWriteArrayList<>();
        final List<List<LocalMessage>> routedTogether = new CopyOnWriteArrayList<>();
        final List<LocalMessage> replies = new CopyOnWriteArrayList<>();
        final List<LocalMessage> overOpen = new CopyOnWriteArrayList<>();
        volatile HopsealException replyFailure;

        @Override
        public void route(LocalMessage message) {
            routed.add(message);
        }

        @Override
        public void routeTogether(List<LocalMessage> messages) {
            routedTogether.add(List.copyOf(messages));
        }

        @Override
        public void routeOverOpenConnection(LocalMessage message) {
            overOpen.add(message);
        }

        @Override
        public void reply(LocalMessage message) throws HopsealException {
            replies.add(message);
            if (replyFailure != null) {
                throw replyFailure;
            }
        }

        @Override
        public void close() {
        }
    }

    private static final MessageCodecs CODECS = new MessageCodecs();

    private static LocalMessage message(Route onward, Route back, Origin origin) throws HopsealException {
        return new LocalMessage(TransportMessage.wrap(onward, back, CODECS.encode("hi")), Map.of(), origin);
    }

    private static Route routeOf(int n, Address first) {
        List<Address> list = new ArrayList<>();
        list.add(first);
        for (int i = 1; i < n; i++) {
            list.add(Address.local("r" + i));
        }
        return Route.of(list);
    }

    private static RoutingException routeFails(Node node, LocalMessage m) {
        try {
            node.route(m);
        } catch (RoutingException e) {
            return e;
        } catch (HopsealException e) {
            throw new AssertionError("not a routing exception", e);
        }
        throw new AssertionError("the message was routed");
    }

    private static BlockingQueue<Routed<String>> startSink(Context ctx, String address, Exposure exposure)
            throws HopsealException {
        BlockingQueue<Routed<String>> got = new LinkedBlockingQueue<>();
        ctx.startWorker(Address.of(address), String.class, (c, m) -> got.add(m), exposure, AccessControl.allowAll());
        return got;
    }

    @Test
    void anUnexposedWorkerIsUnreachableFromOutsideAndTheAnswerIsTheSameAsForNoWorker() throws Exception {
        try (Node node = Node.start()) {
            BlockingQueue<Routed<String>> got = startSink(node.context(), "svc", Exposure.none());
            RoutingException hidden = routeFails(node, message(Route.of("svc"), Route.of(PEER), FROM_PEER));
            assertThat(hidden.kind()).isEqualTo(ErrorKind.NOT_FOUND);
            assertThat(hidden).hasMessage("no worker at address svc" + UNIFORM);
            RoutingException absent = routeFails(node, message(Route.of("ghost"), Route.of(PEER), FROM_PEER));
            assertThat(absent.kind()).isEqualTo(ErrorKind.NOT_FOUND);
            assertThat(absent).hasMessage("no worker at address ghost" + UNIFORM);

            // A channel from outside that the worker did not open is refused the same way.
            Origin channel = new Origin.Channel(Address.local("enc1"), Optional.of(Address.local("listener")),
                    Optional.empty(), Optional.empty(), FROM_PEER);
            RoutingException viaChannel = routeFails(node, message(Route.of("svc"), Route.of("enc1"), channel));
            assertThat(viaChannel.kind()).isEqualTo(ErrorKind.NOT_FOUND);
            assertThat(viaChannel).hasMessage("no worker at address svc" + UNIFORM);

            // Local code reaches it; the refused messages never did.
            node.context().send("svc", "local");
            Routed<String> first = got.poll(5, TimeUnit.SECONDS);
            assertThat(first).isNotNull();
            assertThat(first.body()).isEqualTo("local");
            assertThat(first.localMessage().origin()).isSameAs(Origin.LOCAL);
            assertThat(got).isEmpty();
        }
    }

    @Test
    void localCodeReachesAWorkerOfAnyExposure() throws Exception {
        try (Node node = Node.start()) {
            for (Exposure e : List.of(Exposure.none(), Exposure.transports(), Exposure.channelsOf("l"),
                    Exposure.through(PEER), Exposure.everyone())) {
                String name = "w" + Integer.toHexString(System.identityHashCode(e));
                BlockingQueue<Routed<String>> got = startSink(node.context(), name, e);
                node.route(message(Route.of(name), Route.of("app"), Origin.LOCAL));
                assertThat(got.poll(5, TimeUnit.SECONDS)).as("%s", e).isNotNull();
            }
        }
    }

    /**
     * No destination the node creates refuses local code (every {@link Exposure} admits it), so this branch of the
     * node's refusal is reached only through a destination that does: one is planted here to pin its answer.
     */
    @Test
    void localSendersLearnWhyAndOutsideSendersDoNot() throws Exception {
        try (Node node = Node.start()) {
            startSink(node.context(), "svc", Exposure.none());
            node.stopWorker(Address.local("svc"), "secret reason");
            RoutingException local = routeFails(node, message(Route.of("svc"), Route.of("app"), Origin.LOCAL));
            assertThat(local.kind()).isEqualTo(ErrorKind.NOT_FOUND);
            assertThat(local).hasMessage("no worker at address svc (secret reason)");
            RoutingException unknown = routeFails(node, message(Route.of("ghost"), Route.of("app"), Origin.LOCAL));
            assertThat(unknown).hasMessage("no worker at address ghost");
            RoutingException outside = routeFails(node, message(Route.of("svc"), Route.of(PEER), FROM_PEER));
            assertThat(outside.kind()).isEqualTo(ErrorKind.NOT_FOUND);
            assertThat(outside).hasMessage("no worker at address svc" + UNIFORM);
        }
    }

    @Test
    void anExposedWorkerGetsTheOutsideMessageWithItsOrigin() throws Exception {
        try (Node node = Node.start()) {
            BlockingQueue<Routed<String>> got = startSink(node.context(), "svc", Exposure.through(PEER));
            node.route(message(Route.of("svc"), Route.of(PEER), FROM_PEER));
            Routed<String> m = got.poll(5, TimeUnit.SECONDS);
            assertThat(m).isNotNull();
            assertThat(m.body()).isEqualTo("hi");
            assertThat(m.localMessage().origin()).isEqualTo(FROM_PEER);
            // Another connection is not let in by the same exposure.
            Origin other = new Origin.Transport(Address.of(FAKE + "#other"), true);
            assertThat(routeFails(node, message(Route.of("svc"), Route.empty(), other)).kind()).isEqualTo(ErrorKind.NOT_FOUND);
        }
    }

    @Test
    void aDetachedContextIsUnexposedByDefaultAndExposedAsAsked() throws Exception {
        try (Node node = Node.start()) {
            node.context().newContext(Address.local("plain"));
            assertThat(routeFails(node, message(Route.of("plain"), Route.empty(), FROM_PEER)))
                    .hasMessage("no worker at address plain" + UNIFORM);
            Context open = node.context().newContext(Address.local("open"), Exposure.through(PEER));
            node.route(message(Route.of("open"), Route.empty(), FROM_PEER));
            Routed<String> r = open.receiveRouted(String.class, Duration.ofSeconds(5));
            assertThat(r.body()).isEqualTo("hi");
            assertThat(r.localMessage().origin()).isEqualTo(FROM_PEER);
        }
    }

    @Test
    void anOutsideMessageToATransportHopIsRefusedWhenTheNodeDoesNotForward() throws Exception {
        try (Node node = Node.start()) {
            FakeRouter router = new FakeRouter();
            node.registerTransport(FAKE, router);
            Address next = Address.of(FAKE + "#next");
            RoutingException e = routeFails(node, message(Route.of(next, Address.local("svc")), Route.of(PEER), FROM_PEER));
            assertThat(e.kind()).isEqualTo(ErrorKind.UNTRUSTED);
            assertThat(e).hasMessage("this node does not forward messages from outside to other nodes");
            assertThat(router.routed).isEmpty();
            // A channel from outside is outside too.
            Origin channel = new Origin.Channel(Address.local("enc1"), Optional.empty(), Optional.empty(),
                    Optional.empty(), FROM_PEER);
            assertThat(routeFails(node, message(Route.of(next), Route.of("enc1"), channel)).kind())
                    .isEqualTo(ErrorKind.UNTRUSTED);
            assertThat(router.routed).isEmpty();
            // Local code may always use the transport.
            LocalMessage local = message(Route.of(next), Route.of("app"), Origin.LOCAL);
            node.route(local);
            assertThat(router.routed).containsExactly(local);
        }
    }

    @Test
    void aForwardingNodePassesOutsideMessagesOnUpToTheHopLimit() throws Exception {
        try (Node node = Node.builder().forwarding(Forwarding.anywhere()).start()) {
            FakeRouter router = new FakeRouter();
            node.registerTransport(FAKE, router);
            Route onward = Route.of(Address.of(FAKE + "#next"));
            LocalMessage ok = message(onward, routeOf(Route.MAX_LENGTH - 1, PEER), FROM_PEER);
            node.route(ok);
            assertThat(router.routed).containsExactly(ok);

            RoutingException e = routeFails(node, message(onward, routeOf(Route.MAX_LENGTH, PEER), FROM_PEER));
            assertThat(e.kind()).isEqualTo(ErrorKind.INVALID);
            assertThat(e).hasMessage("hop limit of 32 reached");
            assertThat(routeFails(node, message(onward, routeOf(Route.MAX_LENGTH + 1, PEER), FROM_PEER)).kind())
                    .isEqualTo(ErrorKind.INVALID);
            assertThat(router.routed).hasSize(1);

            // The hop limit is for messages from outside only.
            node.route(message(onward, routeOf(Route.MAX_LENGTH + 5, Address.local("app")), Origin.LOCAL));
            assertThat(router.routed).hasSize(2);
        }
    }

    @Test
    void anEmptyOnwardRouteIsInvalid() throws Exception {
        try (Node node = Node.start()) {
            assertThat(routeFails(node, message(Route.empty(), Route.of(PEER), FROM_PEER)).kind())
                    .isEqualTo(ErrorKind.INVALID);
        }
    }

    @Test
    void anUnroutableOutsideMessageIsAnsweredOverTheConnectionItCameBy() throws Exception {
        try (Node node = Node.start()) {
            FakeRouter router = new FakeRouter();
            node.registerTransport(FAKE, router);
            assertThat(node.routeFromOutside(message(Route.of("ghost"), Route.of(PEER, Address.local("client")), FROM_PEER)))
                    .isFalse();
            assertThat(router.routed).isEmpty();
            assertThat(router.replies).hasSize(1);
            LocalMessage reply = router.replies.get(0);
            assertThat(reply.onwardRoute()).isEqualTo(Route.of(PEER, Address.local("client")));
            assertThat(reply.returnRoute()).isEqualTo(Route.empty());
            assertThat(reply.origin()).isSameAs(Origin.LOCAL);
            byte[] payload = Payloads.of(reply.transportMessage());
            assertThat(RoutingError.isRoutingError(payload)).isTrue();
            assertThat(RoutingError.decode(payload))
                    .isEqualTo(new RoutingError(ErrorKind.NOT_FOUND, "no worker at address ghost" + UNIFORM));
        }
    }

    @Test
    void theErrorReplyCarriesTheKindOfTheFailure() throws Exception {
        try (Node node = Node.start()) {
            FakeRouter router = new FakeRouter();
            node.registerTransport(FAKE, router);
            node.routeFromOutside(message(Route.of(Address.of(FAKE + "#next")), Route.of(PEER), FROM_PEER));
            assertThat(router.routed).isEmpty();
            assertThat(router.replies).hasSize(1);
            assertThat(RoutingError.decode(router.replies.get(0).transportMessage().payload()).kind())
                    .isEqualTo(ErrorKind.UNTRUSTED);
        }
        try (Node node = Node.builder().forwarding(Forwarding.anywhere()).start()) {
            FakeRouter router = new FakeRouter();
            node.registerTransport(FAKE, router);
            node.routeFromOutside(message(Route.of(Address.of(FAKE + "#next")), routeOf(Route.MAX_LENGTH, PEER), FROM_PEER));
            assertThat(router.routed).isEmpty();
            assertThat(router.replies).hasSize(1);
            assertThat(RoutingError.decode(router.replies.get(0).transportMessage().payload()))
                    .isEqualTo(new RoutingError(ErrorKind.INVALID, "hop limit of 32 reached"));
        }
    }

    @Test
    void noErrorReplyGoesAnywhereButBackTheWayTheMessageCame() throws Exception {
        try (Node node = Node.start()) {
            FakeRouter router = new FakeRouter();
            node.registerTransport(FAKE, router);
            // The return route names another connection: a peer cannot aim error replies at third parties.
            node.routeFromOutside(message(Route.of("ghost"), Route.of(Address.of(FAKE + "#victim"), PEER), FROM_PEER));
            // No return route at all.
            node.routeFromOutside(message(Route.of("ghost"), Route.empty(), FROM_PEER));
            // Local code has no entry to answer over.
            node.routeFromOutside(message(Route.of("ghost"), Route.of(PEER), Origin.LOCAL));
            assertThat(router.replies).isEmpty();
            assertThat(router.routed).isEmpty();
        }
    }

    @Test
    void anErrorReplyIsNeverAnsweredWithAnother() throws Exception {
        try (Node node = Node.start()) {
            FakeRouter router = new FakeRouter();
            node.registerTransport(FAKE, router);
            byte[] error = new RoutingError(ErrorKind.NOT_FOUND, "loop?").encode();
            node.routeFromOutside(new LocalMessage(TransportMessage.wrap(Route.of("ghost"), Route.of(PEER), error),
                    Map.of(), FROM_PEER));
            assertThat(router.replies).isEmpty();
            // The same message with another payload is answered: the refusal above is for the error reply only.
            node.routeFromOutside(message(Route.of("ghost"), Route.of(PEER), FROM_PEER));
            assertThat(router.replies).hasSize(1);
        }
    }

    @Test
    void aRoutedOutsideMessageGetsNoErrorReply() throws Exception {
        try (Node node = Node.start()) {
            FakeRouter router = new FakeRouter();
            node.registerTransport(FAKE, router);
            BlockingQueue<Routed<String>> got = startSink(node.context(), "svc", Exposure.transports());
            assertThat(node.routeFromOutside(message(Route.of("svc"), Route.of(PEER), FROM_PEER))).isTrue();
            assertThat(got.poll(5, TimeUnit.SECONDS)).isNotNull();
            assertThat(router.replies).isEmpty();
        }
    }

    @Test
    void anErrorReplyToAChannelGoesToItsLocalEnd() throws Exception {
        try (Node node = Node.start()) {
            Address end = Address.local("enc1");
            Context encryptor = node.context().newContext(end);
            Origin channel = new Origin.Channel(end, Optional.of(Address.local("listener")), Optional.empty(),
                    Optional.empty(), FROM_PEER);
            node.routeFromOutside(message(Route.of("ghost"), Route.of(end, Address.local("client")), channel));
            Routed<LocalMessage> r = encryptor.receiveRouted(LocalMessage.class, Duration.ofSeconds(5));
            assertThat(r.localMessage().onwardRoute()).isEqualTo(Route.of(end, Address.local("client")));
            assertThat(RoutingError.decode(Payloads.of(r.localMessage().transportMessage())))
                    .isEqualTo(new RoutingError(ErrorKind.NOT_FOUND, "no worker at address ghost" + UNIFORM));

            // A return route through another channel end gets nothing.
            Context other = node.context().newContext(Address.local("enc2"));
            node.routeFromOutside(message(Route.of("ghost"), Route.of(Address.local("enc2")), channel));
            assertThatThrownBy(() -> other.receive(LocalMessage.class, Duration.ofMillis(200)))
                    .isInstanceOf(HopsealTimeoutException.class);
        }
    }

    @Test
    void errorRepliesThatCannotBeSentAreDroppedQuietly() throws Exception {
        try (Node node = Node.start()) {
            FakeRouter router = new FakeRouter();
            router.replyFailure = new RoutingException(ErrorKind.UNAVAILABLE, "connection gone");
            node.registerTransport(FAKE, router);
            node.routeFromOutside(message(Route.of("ghost"), Route.of(PEER), FROM_PEER));
            assertThat(router.replies).hasSize(1);
            // No transport of the entry's type: nothing to answer over, and no failure either.
            Address nine = Address.of("9#peer");
            node.routeFromOutside(message(Route.of("ghost"), Route.of(nine), new Origin.Transport(nine, true)));
        }
    }

    @Test
    void theReasonOfAnErrorReplyIsBounded() throws Exception {
        try (Node node = Node.start()) {
            FakeRouter router = new FakeRouter();
            node.registerTransport(FAKE, router);
            String longName = "n".repeat(2000);
            node.routeFromOutside(message(Route.of(longName), Route.of(PEER), FROM_PEER));
            RoutingError e = RoutingError.decode(router.replies.get(0).transportMessage().payload());
            assertThat(e.reason()).hasSize(RoutingError.MAX_REASON).startsWith("no worker at address nnn");
        }
    }

    @Test
    void aContextRaisesAnErrorReplyFromOutsideButNotALocalLookalike() throws Exception {
        try (Node node = Node.start()) {
            Context ctx = node.context().newContext(Address.local("waiter"), Exposure.through(PEER));
            byte[] error = new RoutingError(ErrorKind.UNAVAILABLE, "slow peer").encode();
            node.route(new LocalMessage(TransportMessage.wrap(Route.of("waiter"), Route.of(PEER), error),
                    Map.of(), FROM_PEER));
            assertHopsealError(ErrorKind.UNAVAILABLE, () -> ctx.receive(String.class, Duration.ofSeconds(5)))
                    .isInstanceOf(RoutingException.class)
                    .hasMessage("the message could not be routed (reported by inbound connection 7#peer): slow peer");
            // From local code the same bytes are an ordinary message.
            node.route(new LocalMessage(TransportMessage.wrap(Route.of("waiter"), Route.of("app"), error)));
            Routed<LocalMessage> r = ctx.receiveRouted(LocalMessage.class, Duration.ofSeconds(5));
            assertThat(Payloads.of(r.localMessage().transportMessage())).isEqualTo(error);
        }
    }

    @Test
    void aWorkerNeverSeesAnErrorReplyFromOutsideUnlessItTakesRawMessages() throws Exception {
        try (Node node = Node.start()) {
            BlockingQueue<Routed<String>> strings = startSink(node.context(), "svc", Exposure.transports());
            BlockingQueue<Routed<LocalMessage>> raw = new LinkedBlockingQueue<>();
            node.context().startWorker(Address.local("raw"), LocalMessage.class, (c, m) -> raw.add(m),
                    Exposure.transports(), AccessControl.allowAll());
            byte[] error = new RoutingError(ErrorKind.NOT_FOUND, "x").encode();
            for (String to : List.of("svc", "raw")) {
                node.route(new LocalMessage(TransportMessage.wrap(Route.of(to), Route.of(PEER), error),
                        Map.of(), FROM_PEER));
            }
            Routed<LocalMessage> seen = raw.poll(5, TimeUnit.SECONDS);
            assertThat(seen).isNotNull();
            assertThat(Payloads.of(seen.body().transportMessage())).isEqualTo(error);
            node.route(message(Route.of("svc"), Route.of(PEER), FROM_PEER));
            Routed<String> next = strings.poll(5, TimeUnit.SECONDS);
            assertThat(next).isNotNull();
            assertThat(next.body()).isEqualTo("hi");
            assertThat(strings).isEmpty();
        }
    }

    @Test
    void aStoppedNodeRoutesNothingAndAnswersNothing() throws Exception {
        Node node = Node.start();
        FakeRouter router = new FakeRouter();
        node.registerTransport(FAKE, router);
        startSink(node.context(), "svc", Exposure.transports());
        node.stop();
        assertThat(routeFails(node, message(Route.of("svc"), Route.of("app"), Origin.LOCAL)).kind())
                .isEqualTo(ErrorKind.SHUTDOWN);
        assertThat(routeFails(node, message(Route.of(Address.of(FAKE + "#next")), Route.of("app"), Origin.LOCAL)).kind())
                .isEqualTo(ErrorKind.SHUTDOWN);
        assertThat(node.routeFromOutside(message(Route.of("svc"), Route.of(PEER), FROM_PEER))).isFalse();
        assertThat(router.routed).isEmpty();
        assertThat(router.replies).isEmpty();
    }

    @Test
    void aTransportAddressIsInUseWhileSomethingRegisteredSaysSo() throws Exception {
        try (Node node = Node.start()) {
            Address a = Address.tcp("10.0.0.1:1");
            Address b = Address.tcp("10.0.0.2:2");
            assertThat(node.isTransportInUse(a)).isFalse();
            node.onTransportUse(a::equals);
            node.onTransportUse(x -> false);
            assertThat(node.isTransportInUse(a)).isTrue();
            assertThat(node.isTransportInUse(b)).isFalse();
            node.onTransportUse(b::equals);
            assertThat(node.isTransportInUse(b)).isTrue();
        }
    }

    @Test
    void serviceWorkersRunOnServiceThreadsAndDedicatedOnesDoNot() throws Exception {
        try (Node node = Node.start()) {
            BlockingQueue<Boolean> marks = new LinkedBlockingQueue<>();
            NodeContext ctx = (NodeContext) node.context();
            ctx.startWorker("service", String.class, (c, m) -> marks.add(ServiceThread.isCurrent()));
            node.startWorker(Address.local("dedicated"), String.class, (c, m) -> marks.add(ServiceThread.isCurrent()),
                    WorkerOptions.dedicated(Exposure.none(), 16));
            ctx.send("service", "x");
            assertThat(marks.poll(5, TimeUnit.SECONDS)).isTrue();
            ctx.send("dedicated", "x");
            assertThat(marks.poll(5, TimeUnit.SECONDS)).isFalse();
            assertThat(ServiceThread.isCurrent()).isFalse();
        }
    }

    @Test
    void workerOptionsNeedAPositiveCapacity() {
        assertThatThrownBy(() -> WorkerOptions.dedicated(Exposure.none(), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(WorkerOptions.dedicated(Exposure.none(), 1).capacity()).isEqualTo(1);
        assertThat(WorkerOptions.service(Exposure.none(), AccessControl.allowAll()).capacity()).isEqualTo(Integer.MAX_VALUE);
        assertThat(WorkerOptions.service(Exposure.none(), AccessControl.allowAll()).dedicated()).isFalse();
        assertThat(WorkerOptions.dedicated(Exposure.none(), 1).dedicated()).isTrue();
    }
}
