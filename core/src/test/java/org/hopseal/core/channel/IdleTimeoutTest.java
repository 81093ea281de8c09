package org.hopseal.core.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import java.time.Duration;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.identity.SecureChannelOptions;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.worker.Context;
import org.hopseal.core.node.Node;
import org.hopseal.testing.Await;
import org.hopseal.testing.Echo;
import org.hopseal.testing.Tap;
import org.hopseal.testing.TestNode;
import org.hopseal.vault.software.SoftwareVault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Idle timeouts: quiet channels are kept alive by pings, channels whose peer falls silent are closed. */
class IdleTimeoutTest {
    private static final Duration IDLE = Duration.ofMillis(300);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final Vaults vaults = SoftwareVault.vaults();
    /** The hop between the two ends: it counts the frames it passes, and once cut drops everything, closing nothing. */
    private Tap tap;
    private TestNode testNode;
    private Node node;
    private Context ctx;

    @BeforeEach
    void start() throws Exception {
        testNode = TestNode.start();
        node = Node.of(testNode.context());
        ctx = testNode.context();
        tap = testNode.tap();
    }

    @AfterEach
    void stop() {
        testNode.close();
        vaults.close();
    }

    @Test
    void aQuietChannelStaysOpenOnPingsEvenWhenOnlyOneEndSetsATimeout() throws Exception {
        SecureChannels.createListener(ctx, Address.of("listener"), vaults, null, SecureChannelOptions.defaults());
        Address channel = SecureChannels.create(ctx, Route.of("tap", "listener"), vaults, null,
                SecureChannelOptions.defaults().withIdleTimeout(IDLE)).encryptor();
        assertThat(Echo.through(ctx, channel, "before")).isEqualTo("before");
        int before = tap.forwarded();
        long quietSince = System.nanoTime();
        // A ping goes out after a third of the timeout without a frame; four pings and their pongs span more than it.
        Await.await("four pings and pongs across the hop", WAIT, () -> tap.forwarded() - before >= 8);
        assertThat(Duration.ofNanos(System.nanoTime() - quietSince)).as("quiet for longer than the idle timeout").isGreaterThan(IDLE);
        assertThat(SecureChannelRegistry.of(node).all()).as("both ends still open").hasSize(2);
        assertThat(Echo.through(ctx, channel, "after")).isEqualTo("after");
    }

    @Test
    void aPeerThatFallsSilentWithoutClosingIsClosedAfterTheIdleTimeout() throws Exception {
        SecureChannelOptions idle = SecureChannelOptions.defaults().withIdleTimeout(IDLE);
        int baseline = node.registeredAddressCount();
        SecureChannels.createListener(ctx, Address.of("listener"), vaults, null, idle);
        Address channel = SecureChannels.create(ctx, Route.of("tap", "listener"), vaults, null, idle).encryptor();
        assertThat(Echo.through(ctx, channel, "alive")).isEqualTo("alive");
        assertThat(SecureChannelRegistry.of(node).all()).hasSize(2);
        tap.cut();
        Await.await("both ends closed", WAIT, () -> SecureChannelRegistry.of(node).all().isEmpty());
        // The end that heard the last frame to cross heard it no earlier than it crossed, and waited IDLE after.
        assertThat(Duration.ofNanos(System.nanoTime() - tap.lastForwardedNanos())).as("closed after the timeout, not before")
                .isGreaterThanOrEqualTo(IDLE);
        // Both ends' encryptors and decryptors are gone; the listener stays.
        Await.await("the channel's workers gone", WAIT, () -> node.registeredAddressCount() == baseline + 1);
        assertHopsealError(ErrorKind.NOT_FOUND, () -> ctx.send(Route.of(channel, Address.of(Echo.ECHOER)), "gone"));
    }

    @Test
    void aNegativeOrTinyIdleTimeoutIsRefused() {
        assertThatThrownBy(() -> SecureChannelOptions.defaults().withIdleTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idleTimeout");
        assertThatThrownBy(() -> SecureChannelOptions.defaults().withIdleTimeout(Duration.ofNanos(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 30 ms");
        assertThat(SecureChannelOptions.defaults().withIdleTimeout(Duration.ZERO).idleTimeout()).isZero();
    }
}
