package org.hopseal.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import java.lang.reflect.Proxy;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.vault.SecureChannelVault;
import org.hopseal.api.vault.SigningVault;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.vault.Verifier;
import org.hopseal.api.worker.Echoer;
import org.hopseal.api.worker.Exposure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fixture's wiring, on {@link RecordingRuntime}'s nodes: what it starts where, with which exposure, and when it stops. */
class TestNodeTest {
    @AfterEach
    void nothingOccupied() {
        RecordingRuntime.occupied = null;
    }

    /** A stand-in for a vault that no test here calls. */
    private static <T> T inert(Class<T> type) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            throw new UnsupportedOperationException(method.getName());
        }));
    }

    private static RecordingRuntime.Node recorded(TestNode node) {
        return (RecordingRuntime.Node) node.node();
    }

    @Test
    void startsAnEchoerForLocalCodeOnlyAndNoTapUntilAsked() throws Exception {
        try (TestNode node = TestNode.start()) {
            RecordingRuntime.Node n = recorded(node);
            assertThat(n.workers).containsOnlyKeys(Echo.ECHOER);
            RecordingRuntime.Started echoer = n.workers.get(Echo.ECHOER);
            assertThat(echoer.worker()).isInstanceOf(Echoer.class);
            assertThat(echoer.exposure()).isSameAs(Exposure.none());
            assertThat(node.context()).isSameAs(n.context());
        }
    }

    @Test
    void theEchoerIsExposedAsTheTestAsks() throws Exception {
        Exposure secure = Exposure.channelsOf("secure");
        try (TestNode node = TestNode.builder().echoerExposedTo(secure).start()) {
            assertThat(recorded(node).workers.get(Echo.ECHOER).exposure()).isSameAs(secure);
        }
    }

    @Test
    void theNodesSettingsReachItsBuilder() throws Exception {
        try (TestNode node = TestNode.builder().vault("software").forwardAnywhere().start()) {
            assertThat(recorded(node).spec).isEqualTo("software");
            assertThat(recorded(node).forwardAnywhere).isTrue();
        }
        try (TestNode node = TestNode.start()) {
            assertThat(recorded(node).spec).isNull();
            assertThat(recorded(node).forwardAnywhere).isFalse();
        }
    }

    @Test
    void givenVaultsReachTheNode() throws Exception {
        Vaults vaults = new Vaults(inert(SigningVault.class), inert(SecureChannelVault.class), inert(Verifier.class));
        try (TestNode node = TestNode.builder().vaults(vaults).start()) {
            assertThat(node.node().vaults()).isSameAs(vaults);
        }
    }

    @Test
    void itListensOnAFreeLoopbackPort() throws Exception {
        try (TestNode node = TestNode.start()) {
            assertThat(node.listenOnLoopback()).isEqualTo(RecordingRuntime.PORT);
            assertThat(recorded(node).listening).containsExactly("127.0.0.1:0");
        }
    }

    @Test
    void theTapStartsOnceAtItsAddressOnFirstRequest() throws Exception {
        try (TestNode node = TestNode.start()) {
            Tap tap = node.tap();
            assertThat(recorded(node).workers).containsOnlyKeys(Echo.ECHOER, TestNode.TAP);
            assertThat(recorded(node).workers.get(TestNode.TAP).worker()).isSameAs(tap);
            assertThat(recorded(node).workers.get(TestNode.TAP).exposure()).isSameAs(Exposure.none());
            assertThat(node.tap()).isSameAs(tap);
            FutureTask<Tap> fromAnotherThread = new FutureTask<>(node::tap);
            Thread.ofVirtual().start(fromAnotherThread);
            assertThat(fromAnotherThread.get(10, TimeUnit.SECONDS)).as("the tap, asked for from another thread").isSameAs(tap);
        }
    }

    @Test
    void aTapThatCannotStartIsAnError() throws Exception {
        try (TestNode node = TestNode.start()) {
            node.context().startWorker(TestNode.TAP, new Echoer());
            assertHopsealError(ErrorKind.ALREADY_EXISTS, node::tap);
        }
    }

    @Test
    void closingStopsTheNode() throws Exception {
        TestNode node = TestNode.start();
        assertThat(node.node().isRunning()).isTrue();
        node.close();
        assertThat(node.node().isRunning()).isFalse();
        assertHopsealError(ErrorKind.SHUTDOWN, node::tap);
    }

    @Test
    void anEchoerThatCannotStartFailsTheStartAndStopsTheNode() {
        RecordingRuntime.occupied = Echo.ECHOER;
        assertHopsealError(ErrorKind.ALREADY_EXISTS, TestNode::start);
        assertThat(RecordingRuntime.last.isRunning()).as("the node whose echoer failed").isFalse();
    }
}
