package org.hopseal.core.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.worker.Context;
import org.hopseal.core.node.Node;
import org.hopseal.testing.Echo;
import org.hopseal.testing.TestNode;
import org.hopseal.vault.software.SoftwareVault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A path that reorders and replays an open channel's frames: a frame up to 63 behind the newest is delivered once,
 * one 64 or more behind is dropped as too old, and a duplicate is dropped as a replay.
 */
class ChannelReorderingTest {
    private static final int WINDOW = 64;
    private TestNode testNode;
    private Node node;
    private Context ctx;
    private Vaults vaults;
    private volatile boolean holding;
    private final BlockingQueue<LocalMessage> held = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws Exception {
        vaults = SoftwareVault.vaults();
        testNode = TestNode.builder().vaults(vaults).start();
        node = Node.of(testNode.context());
        ctx = testNode.context();
        // A hop that passes frames on, or holds them back for the test to release in any order.
        ctx.startWorker("path", LocalMessage.class, (c, msg) -> {
            LocalMessage m = msg.body().stepForward().prependReturn(c.address());
            if (holding) {
                held.add(m);
            } else {
                c.forward(m);
            }
        });
        SecureChannels.createListener(ctx, "listener", vaults);
    }

    @AfterEach
    void stop() {
        testNode.close();
        vaults.close();
    }

    private LocalMessage nextHeld() throws InterruptedException {
        LocalMessage m = held.poll(5, TimeUnit.SECONDS);
        assertThat(m).as("a frame reached the path in time").isNotNull();
        return m;
    }

    private ChannelInfo responderEnd(Address initiatorEnd) {
        return SecureChannelRegistry.of(node).all().stream().filter(i -> !i.encryptor().equals(initiatorEnd)).findFirst().orElseThrow();
    }

    @Test
    void framesUpToSixtyThreeBehindAreDeliveredOnceAndSixtyFourBehindIsDropped() throws Exception {
        Address channel = SecureChannels.create(ctx, Route.of("path", "listener"), vaults);
        assertThat(Echo.through(ctx, channel, "warm")).isEqualTo("warm");
        ChannelStats stats = responderEnd(channel).stats();

        holding = true;
        int count = WINDOW + 1;
        for (int i = 0; i < count; i++) {
            ctx.send(Route.of(channel, Address.of("echoer")), "r" + i);
        }
        List<LocalMessage> frames = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            frames.add(nextHeld());
        }
        holding = false;

        // The newest first, then every other one newest to oldest: 1..63 behind are delivered, 64 behind is not.
        for (int i = count - 1; i >= 0; i--) {
            ctx.forward(frames.get(i));
        }
        // And each delivered one once more: all replays.
        for (int i = 1; i < count; i++) {
            ctx.forward(frames.get(i));
        }
        List<String> got = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            got.add(ctx.receive(String.class, Duration.ofSeconds(5)));
        }
        List<String> expected = new ArrayList<>();
        for (int i = count - 1; i >= 1; i--) {
            expected.add("r" + i);
        }
        assertThat(got).containsExactlyElementsOf(expected);
        // The decryptor handles frames in order: once this is echoed, the frames before it were all handled.
        assertThat(Echo.through(ctx, channel, "after")).isEqualTo("after");
        assertThat(stats.tooOld()).as("r0, 64 behind r64").isEqualTo(1);
        assertThat(stats.replayed()).isEqualTo(WINDOW);
        assertThat(stats.tampered()).isZero();
        assertThat(stats.delivered()).as("warm, r1..r64, after").isEqualTo(1 + WINDOW + 1);
    }

    @Test
    void aReplayedFrameIsDroppedEvenWhenItIsTheNewest() throws Exception {
        Address channel = SecureChannels.create(ctx, Route.of("path", "listener"), vaults);
        assertThat(Echo.through(ctx, channel, "warm")).isEqualTo("warm");
        ChannelStats stats = responderEnd(channel).stats();
        holding = true;
        ctx.send(Route.of(channel, Address.of("echoer")), "once");
        LocalMessage frame = nextHeld();
        holding = false;
        ctx.forward(frame);
        ctx.forward(frame);
        ctx.forward(frame.withTransportMessage(TransportMessage.wrap(frame.onwardRoute(), frame.returnRoute(),
                frame.transportMessage().payload())));
        assertThat(ctx.receive(String.class, Duration.ofSeconds(5))).isEqualTo("once");
        assertThat(Echo.through(ctx, channel, "next")).as("the next message comes, not a second 'once'").isEqualTo("next");
        assertThat(stats.replayed()).isEqualTo(2);
        assertThat(stats.tooOld()).isZero();
    }
}
