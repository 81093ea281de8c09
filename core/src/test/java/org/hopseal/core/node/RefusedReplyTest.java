package org.hopseal.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.Routed;
import org.hopseal.api.worker.Context;
import org.hopseal.api.worker.Exposure;
import org.hopseal.core.metrics.NodeMetrics;
import org.hopseal.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A service worker whose send into a full mailbox outlasts that mailbox's service wait: the send fails with
 * {@code UNAVAILABLE} in the sending worker, which can act on it, and the node counts the refusal once.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RefusedReplyTest {
    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final CountDownLatch release = new CountDownLatch(1);
    private final BlockingQueue<HopsealException> failures = new LinkedBlockingQueue<>();
    private Node node;

    @BeforeEach
    void start() throws Exception {
        node = Node.builder().metrics(NodeMetrics.of(meters)).start();
        // A worker that takes one message and then takes nothing until released: its mailbox holds one more.
        node.startWorker(Address.local("stuck"), String.class, (c, m) -> release.await(),
                WorkerOptions.dedicated(Exposure.none(), 1).withServiceWait(Duration.ofMillis(300)));
        // A service worker that passes every message on to it and keeps what its send throws.
        node.context().startWorker("replier", String.class, (Context c, Routed<String> m) -> {
            try {
                c.send(Route.of("stuck"), m.body());
            } catch (HopsealException e) {
                failures.add(e);
            }
        });
    }

    @AfterEach
    void stop() {
        release.countDown();
        node.stop();
    }

    private double refused() {
        return meters.get("hopseal.messages.refused").tag("reason", "full").counter().count();
    }

    @Test
    void aSendThatOutlastsTheServiceWaitFailsInTheSendingWorkerAndIsCountedOnce() throws Exception {
        Context ctx = node.context();
        for (String body : new String[] {"taken", "queued", "refused"}) {
            ctx.send(Route.of("replier"), body);
        }
        HopsealException failure = failures.poll(10, TimeUnit.SECONDS);
        assertThat(failure).as("the sending worker learns of the refusal").isNotNull();
        assertThat(failure.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
        assertThat(failure.getMessage()).isEqualTo("stuck is not keeping up: its mailbox is full");
        Await.await("the refusal is counted", Duration.ofSeconds(5), () -> refused() == 1);
        assertThat(failures).isEmpty();
    }
}
