package org.hopseal.core.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.identity.SecureChannelOptions;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Route;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.worker.Context;
import org.hopseal.core.node.Node;
import org.hopseal.core.workers.Echoer;
import org.hopseal.vault.software.SoftwareVault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Idle timeouts: quiet channels are kept alive by pings, channels whose peer falls silent are closed. */
class IdleTimeoutTest {
    private static final Duration IDLE = Duration.ofMillis(300);
    private final Vaults vaults = SoftwareVault.vaults();
    private Node node;
    private Context ctx;
    private final AtomicInteger passed = new AtomicInteger();
    private volatile boolean cut;
    private volatile long lastPassed;

    @BeforeEach
    void start() throws Exception {
        node = Node.start();
        ctx = node.context();
        ctx.startWorker("echoer", new Echoer());
        // A hop that counts the frames it passes, and can be cut: then it drops everything, closing nothing.
        ctx.startWorker("tap", LocalMessage.class, (c, msg) -> {
            if (!cut) {
                passed.incrementAndGet();
                lastPassed = System.nanoTime();
                c.forward(msg.body().stepForward().prependReturn(c.address()));
            }
        });
    }

    @AfterEach
    void stop() {
        node.stop();
        vaults.close();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }

    private String echo(Address channel, String text) throws HopsealException {
        ctx.send(Route.of(channel, Address.of("echoer")), text);
        return ctx.receive(String.class, Duration.ofSeconds(5));
    }

    @Test
    void aQuietChannelStaysOpenOnPingsEvenWhenOnlyOneEndSetsATimeout() throws Exception {
        SecureChannels.createListener(ctx, Address.of("listener"), vaults, null, SecureChannelOptions.defaults());
        Address channel = SecureChannels.create(ctx, Route.of("tap", "listener"), vaults, null,
                SecureChannelOptions.defaults().withIdleTimeout(IDLE)).encryptor();
        assertThat(echo(channel, "before")).isEqualTo("before");
        int before = passed.get();
        Thread.sleep(IDLE.multipliedBy(4).toMillis());
        assertThat(passed.get() - before).as("pings and pongs crossed the hop while the channel was quiet").isGreaterThanOrEqualTo(4);
        assertThat(SecureChannelRegistry.of(node).all()).hasSize(2);
        assertThat(echo(channel, "after")).isEqualTo("after");
    }

    @Test
    void aPeerThatFallsSilentWithoutClosingIsClosedAfterTheIdleTimeout() throws Exception {
        SecureChannelOptions idle = SecureChannelOptions.defaults().withIdleTimeout(IDLE);
        int baseline = node.registeredAddressCount();
        SecureChannels.createListener(ctx, Address.of("listener"), vaults, null, idle);
        Address channel = SecureChannels.create(ctx, Route.of("tap", "listener"), vaults, null, idle).encryptor();
        assertThat(echo(channel, "alive")).isEqualTo("alive");
        assertThat(SecureChannelRegistry.of(node).all()).hasSize(2);
        cut = true;
        await(() -> SecureChannelRegistry.of(node).all().isEmpty());
        // The end that heard the last frame to cross heard it no earlier than it crossed, and waited IDLE after.
        assertThat(Duration.ofNanos(System.nanoTime() - lastPassed)).as("closed after the timeout, not before").isGreaterThanOrEqualTo(IDLE);
        // Both ends' encryptors and decryptors are gone; the listener stays.
        await(() -> node.registeredAddressCount() == baseline + 1);
        assertThatThrownBy(() -> ctx.send(Route.of(channel, Address.of("echoer")), "gone"))
                .extracting(e -> ((HopsealException) e).kind()).isEqualTo(ErrorKind.NOT_FOUND);
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
