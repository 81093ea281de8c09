package org.hopseal.benchmarks;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import org.hopseal.api.worker.Context;
import org.hopseal.api.worker.Echoer;
import org.hopseal.core.node.Node;

/**
 * Run in its own JVM: {@code channels N} opens N authenticated channels in one node (both ends live there), uses
 * each once, then measures the heap after GC; {@code workers N} starts N idle workers and measures the same.
 * Prints one line: {@code SCALE <what> <n> <seconds to open> <heap bytes over the baseline>}.
 */
public final class ScaleHarness {
    private ScaleHarness() {
    }

    static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    public static void main(String[] args) throws Exception {
        String what = args[0];
        int n = Integer.parseInt(args[1]);
        try (Node node = Node.start()) {
            Context app = node.context();
            app.startWorker("echoer", new Echoer());
            Entity alice = Entity.create(app);
            Entity bob = Entity.create(app);
            bob.createSecureChannelListener("bob");
            // Warm up the paths once, so the baseline holds the classes and caches.
            alice.createSecureChannel("bob");
            long baseline = heapAfterGc();
            long start = System.nanoTime();
            if (what.equals("workers")) {
                for (int i = 0; i < n; i++) {
                    app.startWorker("idle" + i, new Echoer());
                }
            } else {
                int threads = 16;
                AtomicInteger next = new AtomicInteger();
                List<Thread> ts = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    Context c = app.newContext(Address.random());
                    ts.add(Thread.ofVirtual().start(() -> {
                        try {
                            while (next.getAndIncrement() < n) {
                                Address ch = alice.createSecureChannel("bob");
                                c.send(Route.of(ch, Address.of("echoer")), "once");
                                c.receive(String.class, Duration.ofSeconds(30));
                            }
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }));
                }
                for (Thread t : ts) {
                    t.join();
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long heap = heapAfterGc() - baseline;
            System.out.println("SCALE " + what + " " + n + " " + seconds + " " + heap);
        }
        System.exit(0);
    }
}
