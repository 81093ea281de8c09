package org.hopseal.benchmarks;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Route;
import org.hopseal.api.worker.AccessControl;
import org.hopseal.api.worker.Context;
import org.hopseal.api.worker.Hop;
import org.hopseal.core.node.Node;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** Messages per second through one local hop and through a chain of ten, to a counting sink. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RoutingBench {
    static final int BATCH = 1000;
    private Node node;
    private Context ctx;
    private final Semaphore received = new Semaphore(0);
    private Route oneHop;
    private Route tenHops;
    private final byte[] body = new byte[16];

    @Setup(Level.Trial)
    public void setup() throws Exception {
        node = Node.start();
        ctx = node.context();
        ctx.startWorker(Address.of("sink"), LocalMessage.class, (c, m) -> received.release(), AccessControl.allowAll());
        Address[] chain = new Address[11];
        for (int i = 0; i < 10; i++) {
            ctx.startWorker("hop" + i, new Hop());
            chain[i] = Address.of("hop" + i);
        }
        chain[10] = Address.of("sink");
        tenHops = Route.of(chain);
        oneHop = Route.of(Address.of("hop0"), Address.of("sink"));
    }

    @TearDown(Level.Trial)
    public void close() {
        node.stop();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void throughOneHop() throws Exception {
        for (int i = 0; i < BATCH; i++) {
            ctx.send(oneHop, body);
        }
        received.acquire(BATCH);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void throughTenHops() throws Exception {
        for (int i = 0; i < BATCH; i++) {
            ctx.send(tenHops, body);
        }
        received.acquire(BATCH);
    }
}
