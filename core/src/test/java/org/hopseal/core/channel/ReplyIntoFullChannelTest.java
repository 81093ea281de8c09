package org.hopseal.core.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.identity.TrustEveryonePolicy;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Route;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.worker.Context;
import org.hopseal.api.worker.Exposure;
import org.hopseal.api.worker.Worker;
import org.hopseal.core.node.Node;
import org.hopseal.core.node.WorkerOptions;
import org.hopseal.testing.TestNode;
import org.hopseal.vault.software.SoftwareVault;
import org.hopseal.vault.software.SoftwareVerifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A service worker (the Echoer) that replies into a channel whose peer has paused: its replies wait for room in the
 * channel's encryptor and all arrive once the peer reads again; none is refused and dropped on the way.
 *
 * <p>The channel runs through two hops of this node: requests through {@code out}, which turns replies towards
 * {@code back}; {@code back} is the paused peer, a worker with room for one frame that holds the first reply frame
 * for {@link #PAUSE}. Behind it the responder's encryptor cannot hand on its frames, its mailbox fills, and the
 * Echoer, a thread serving many peers, has to wait for room.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReplyIntoFullChannelTest {
    /** How long the peer pauses: well beyond the quarter second for which a service thread used to wait. */
    private static final Duration PAUSE = Duration.ofSeconds(1);
    /** More replies than the encryptor's mailbox holds, so the Echoer has to wait for room. */
    private static final int REQUESTS = EncryptorWorker.MAILBOX_CAPACITY * 4;

    private TestNode testNode;
    private Node node;
    private Context ctx;
    private Vaults vaults;
    private volatile boolean pauseNext;

    @BeforeEach
    void start() throws Exception {
        SoftwareVault vault = new SoftwareVault();
        vaults = new Vaults(vault, vault, new SoftwareVerifier());
        testNode = TestNode.builder().vaults(vaults).start();
        node = Node.of(testNode.context());
        ctx = testNode.context();
        ctx.startWorker("out", LocalMessage.class, (c, msg) -> c.forward(msg.body().stepForward().prependReturn(Address.of("back"))));
        Worker<LocalMessage> pausingPeer = (c, msg) -> {
            if (pauseNext) {
                pauseNext = false;
                // The peer stops reading for a while (a stalled reader, a long collection): the scenario, not a wait for an effect.
                Thread.sleep(PAUSE.toMillis());
            }
            c.forward(msg.body().stepForward());
        };
        node.startWorker(Address.local("back"), LocalMessage.class, pausingPeer, WorkerOptions.dedicated(Exposure.none(), 1));
        SecureChannels.createListener(ctx, Address.of("listener"), vaults, null, new TrustEveryonePolicy(), Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        testNode.close();
        vaults.close();
    }

    @Test
    void everyReplyOfAServiceWorkerArrivesAfterThePeerPausedWithTheChannelFull() throws Exception {
        Address channel = SecureChannels.create(ctx, Route.of("out", "listener"), vaults);
        Route echoer = Route.of(channel, Address.of("echoer"));
        ctx.send(echoer, "before");
        assertThat(ctx.receive(String.class, Duration.ofSeconds(5))).isEqualTo("before");

        pauseNext = true;
        for (int i = 0; i < REQUESTS; i++) {
            ctx.send(echoer, "msg-" + i);
        }
        int received = 0;
        try {
            for (; received < REQUESTS; received++) {
                assertThat(ctx.receive(String.class, Duration.ofSeconds(10))).isEqualTo("msg-" + received);
            }
        } catch (HopsealException e) {
            throw new AssertionError("only " + received + " of " + REQUESTS + " replies arrived", e);
        }
        assertThat(received).isEqualTo(REQUESTS);
    }
}
