package org.hopseal.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Origin;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.api.worker.AccessControl;
import org.hopseal.api.worker.Exposure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The origins the runtime gives out ({@link Node#issue}) are the only non-local ones a worker may forward under, and
 * only until they are retired; and a few node-wide facts the boundary relies on (close stops, forgotten reasons).
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class IssuedOriginsTest {
    private static final Address PEER = Address.tcp("10.0.0.9:4000");

    private static LocalMessage toSink(Node node, Origin origin) throws Exception {
        return new LocalMessage(TransportMessage.wrap(Route.of("sink"), Route.empty(), node.codecs().encode("hi")), Map.of(), origin);
    }

    @Test
    void anIssuedOriginIsForwardableUntilItIsRetiredAndThenRefusedAsMadeUp() throws Exception {
        try (Node node = Node.start()) {
            BlockingQueue<String> got = new LinkedBlockingQueue<>();
            node.context().startWorker(Address.local("sink"), String.class, (c, m) -> got.add(m.body()), Exposure.everyone(),
                    AccessControl.allowAll());
            Origin issued = node.issue(new Origin.Transport(PEER, true));
            assertThat(node.isIssued(issued)).isTrue();

            node.context().forward(toSink(node, issued));
            assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo("hi");

            node.retire(issued);
            assertThat(node.isIssued(issued)).isFalse();
            assertHopsealError(ErrorKind.INVALID, () -> node.context().forward(toSink(node, issued)))
                    .hasMessageContaining("forwarded only under the origin the runtime gave it");
            assertThat(got).isEmpty();
        }
    }

    @Test
    void anEqualOriginThatTheRuntimeDidNotGiveOutIsNotIssued() throws Exception {
        try (Node node = Node.start()) {
            Origin issued = node.issue(new Origin.Transport(PEER, true));
            Origin lookalike = new Origin.Transport(PEER, true);
            assertThat(lookalike).isEqualTo(issued);
            assertThat(node.isIssued(issued)).isTrue();
            assertThat(node.isIssued(lookalike)).as("held by identity, not by equality").isFalse();
            assertThat(node.isIssued(Origin.LOCAL)).as("local code needs no issuing").isTrue();
        }
    }

    @Test
    void closingANodeStopsIt() throws Exception {
        Node node = Node.start();
        node.close();
        assertThat(node.isRunning()).isFalse();
        assertHopsealError(ErrorKind.SHUTDOWN, () -> node.context().send("anyone", "x"));
    }

    @Test
    void theReasonsOfStoppedWorkersAreBoundedAndTheOldestIsForgottenFirst() throws Exception {
        try (Node node = Node.start()) {
            for (int i = 0; i <= 4096; i++) {
                node.stopWorker(Address.local("gone" + i), "reason " + i);
            }
            assertHopsealError(ErrorKind.NOT_FOUND, () -> node.context().send("gone0", "x"))
                    .hasMessage("no worker at address gone0");
            assertHopsealError(ErrorKind.NOT_FOUND, () -> node.context().send("gone1", "x"))
                    .hasMessage("no worker at address gone1 (reason 1)");
            assertHopsealError(ErrorKind.NOT_FOUND, () -> node.context().send("gone4096", "x"))
                    .hasMessage("no worker at address gone4096 (reason 4096)");
        }
    }
}
