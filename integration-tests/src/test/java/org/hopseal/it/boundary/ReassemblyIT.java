package org.hopseal.it.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hopseal.it.boundary.Boundary.MIB;
import static org.hopseal.it.boundary.Boundary.mib;

import java.time.Duration;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.identity.TrustIdentifierPolicy;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.Routed;
import org.hopseal.api.worker.Context;
import org.hopseal.api.worker.Exposure;
import org.hopseal.api.worker.Worker;
import org.hopseal.core.node.Node;
import org.hopseal.core.transport.tcp.TcpTransport;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, attack 6 (unbounded reassembly), through a real authenticated channel: a proxy between the two nodes
 * drops the last fragment of every large message, so that the receiving channel end is left with partial messages
 * only. Six partial messages of 16.7 MB must leave the receiver's heap within +48 MiB (a channel holds at most
 * 2 x 16 MiB of partial messages; four of them, 64 MiB, were kept before); the channel keeps working for whole
 * messages.
 *
 * <p>Fragments whose size lies about the chunk limit, and the per-node budget across many channels, need a forged
 * channel peer; the unit tests of {@code Reassembler} and {@code Plaintext} cover those.
 */
class ReassemblyIT {
    /**
     * Nearly the largest message a channel carries (16 MiB + 1 KiB): 257 full fragments of 65,000 bytes and a last
     * one of about 35,000, which the proxy recognises by its size.
     */
    private static final int BIG = 16_740_000;
    /** Large enough for a fragment's ciphertext, smaller than a full one (65,000 bytes of plaintext). */
    private static final int LAST_FRAGMENT_MIN = 20_000;
    private static final int LAST_FRAGMENT_MAX = 60_000;

    /** Answers every byte[] it receives with its length. */
    static final class Sizes implements Worker<byte[]> {
        @Override
        public void handleMessage(Context ctx, Routed<byte[]> msg) throws Exception {
            ctx.send(msg.returnRoute(), "got " + msg.body().length);
        }
    }

    @Test
    void partialMessagesHeldByAChannelAreBounded() throws Exception {
        try (Node bobNode = Node.start(); Node aliceNode = Node.start()) {
            var bctx = bobNode.context();
            Entity bob = Entity.create(bctx);
            bob.createSecureChannelListener("secure");
            bctx.startWorker("sizes", new Sizes(), Exposure.channelsOf("secure"));
            int bobPort = TcpTransport.create(bctx).listen("127.0.0.1:0").getPort();

            try (DroppingProxy proxy = new DroppingProxy(bobPort,
                    f -> f.payload().length > LAST_FRAGMENT_MIN && f.payload().length < LAST_FRAGMENT_MAX)) {
                var actx = aliceNode.context();
                TcpTransport.create(actx);
                Address channel = Entity.create(actx).createSecureChannel(
                        Route.of(Address.tcp("127.0.0.1:" + proxy.port()), Address.of("secure")),
                        new TrustIdentifierPolicy(bob.identifier()));
                Route sizes = Route.of(channel, Address.of("sizes"));
                actx.send(sizes, new byte[10]);
                assertThat(actx.receive(String.class, Duration.ofSeconds(10))).isEqualTo("got 10");

                long before = Boundary.usedHeapAfterGc();
                byte[] big = new byte[BIG];
                for (int i = 0; i < 6; i++) {
                    actx.send(sizes, big);
                }
                // A small message after them: once it is answered, every fragment before it was handled.
                actx.send(sizes, new byte[20]);
                assertThat(actx.receive(String.class, Duration.ofSeconds(60))).as("no big message completes").isEqualTo("got 20");
                assertThat(proxy.dropped()).as("one last fragment dropped per big message").isEqualTo(6);
                assertThat(proxy.passed()).as("the other fragments passed").isGreaterThan(6 * 257);
                big = null;
                long grown = Boundary.usedHeapAfterGc() - before;
                Boundary.report("6 partial 16.7 MB messages on one channel: heap growth %s", mib(grown));
                assertThat(grown).as("heap growth with 6 partial 16.7 MB messages: %s", mib(grown)).isLessThan(48 * MIB);

                // Whole large messages still reassemble (this one's last fragment is small enough to pass).
                actx.send(sizes, new byte[BIG - 32_000]);
                assertThat(actx.receive(String.class, Duration.ofSeconds(30))).isEqualTo("got " + (BIG - 32_000));
            }
        }
    }
}
