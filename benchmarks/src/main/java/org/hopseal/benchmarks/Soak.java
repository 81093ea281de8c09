package org.hopseal.benchmarks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import org.hopseal.api.worker.AccessControl;
import org.hopseal.api.worker.Context;
import org.hopseal.api.worker.Echoer;
import org.hopseal.api.worker.Exposure;
import org.hopseal.core.channel.SecureChannels;
import org.hopseal.core.node.Node;
import org.hopseal.core.transport.tcp.TcpTransport;

/**
 * Load and soak across two processes: {@code Soak --channels N --messages M --max-size BYTES [--minutes T]}.
 * Starts a responder node in a child JVM, opens N authenticated channels to it at once, and sends M messages on
 * each (sizes mixed up to BYTES, each carrying its channel and sequence number) to the far Echoer, checking that
 * every reply arrives exactly once and in order per channel. With {@code --minutes} it repeats rounds until the time
 * is up. After the channels close, heap (after GC) and live threads of both processes must be back near their
 * baseline. Prints {@code SOAK OK ...} or {@code SOAK FAILED ...} and exits 0 or 1.
 */
public final class Soak {
    private Soak() {
    }

    /** The responder process: an Echoer, a channel listener, and a 'stats' worker answering "heap threads". */
    public static final class Responder {
        private Responder() {
        }

        public static void main(String[] args) throws Exception {
            Node node = Node.start();
            var ctx = node.context();
            ctx.startWorker("echoer", new Echoer(), Exposure.channelsOf("secure"));
            // Heap after GC, platform threads, and workers (each worker is one virtual thread).
            // Raw TCP on purpose: the harness asks for these figures without a channel.
            ctx.startWorker(Address.of("stats"), String.class, (c, m) -> c.send(m.returnRoute(),
                    heapAfterGc() + " " + Thread.activeCount() + " " + node.registeredAddressCount()), Exposure.transports(),
                    AccessControl.allowAll());
            Entity.create(ctx).createSecureChannelListener("secure");
            System.out.println("PORT " + TcpTransport.create(ctx).listen("127.0.0.1:0").getPort());
            System.out.flush();
            Thread.currentThread().join();
        }
    }

    static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    public static void main(String[] args) throws Exception {
        CommandArgs parsed = CommandArgs.parse("soak", args, Set.of(), Set.of("--channels", "--messages", "--max-size", "--minutes"));
        int channels = (int) parsed.number("soak", "--channels", 100);
        int messages = (int) parsed.number("soak", "--messages", 100);
        int maxSize = (int) parsed.number("soak", "--max-size", 64 * 1024);
        double minutes = parsed.number("soak", "--minutes", 0);
        System.exit(run(channels, messages, maxSize, minutes) ? 0 : 1);
    }

    static boolean run(int channels, int messages, int maxSize, double minutes) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process responder = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx3g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), Responder.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (Node node = Node.start()) {
            String line = new BufferedReader(new InputStreamReader(responder.getInputStream())).readLine();
            if (line == null || !line.startsWith("PORT ")) {
                System.out.println("SOAK FAILED the responder did not start");
                return false;
            }
            Address far = Address.tcp("127.0.0.1:" + line.substring(5));
            Context app = node.context();
            TcpTransport.create(app);
            Entity alice = Entity.create(app);
            // Warm up once, then take the baselines.
            SecureChannels.close(app, alice.createSecureChannel(Route.of(far, Address.of("secure"))));
            Context asker = app.newContext(Address.random(), Exposure.through(far));
            String[] farBase = stats(asker, far);
            long localHeapBase = heapAfterGc();
            int localThreadsBase = Thread.activeCount();
            int localWorkersBase = node.registeredAddressCount();

            long deadline = System.nanoTime() + (long) (minutes * 60e9);
            int rounds = 0;
            AtomicLong delivered = new AtomicLong();
            AtomicLong bytes = new AtomicLong();
            List<String> failures = new CopyOnWriteArrayList<>();
            long start = System.nanoTime();
            do {
                rounds++;
                int round = rounds;
                int m = messages;
                int max = maxSize;
                List<Thread> threads = new ArrayList<>();
                Semaphore opening = new Semaphore(32); // handshakes in flight at once; every channel stays open
                for (int c = 0; c < channels; c++) {
                    int id = c;
                    threads.add(Thread.ofVirtual().start(() -> {
                        try {
                            Context ctx = app.newContext(Address.random());
                            Address channel;
                            opening.acquire();
                            try {
                                channel = alice.createSecureChannel(Route.of(far, Address.of("secure")));
                            } finally {
                                opening.release();
                            }
                            Random random = new Random(round * 1_000_003L + id);
                            Route echo = Route.of(channel, Address.of("echoer"));
                            // Keep a window of 8 messages in flight on each channel.
                            int sent = 0;
                            int received = 0;
                            while (received < m) {
                                while (sent < m && sent - received < 8) {
                                    int size = random.nextInt(1000) < 5 ? max : 16 + random.nextInt(Math.min(max, 8192));
                                    ByteBuffer b = ByteBuffer.allocate(Math.max(12, size)).putInt(id).putLong(sent);
                                    ctx.send(echo, b.array());
                                    sent++;
                                }
                                byte[] reply = ctx.receive(byte[].class, Duration.ofSeconds(120));
                                ByteBuffer r = ByteBuffer.wrap(reply);
                                int rid = r.getInt();
                                long seq = r.getLong();
                                if (rid != id || seq != received) {
                                    failures.add("channel " + id + " expected #" + received + " got channel " + rid + " #" + seq);
                                    return;
                                }
                                received++;
                                delivered.incrementAndGet();
                                bytes.addAndGet(reply.length);
                            }
                            SecureChannels.close(ctx, channel);
                            ((AutoCloseable) ctx).close();
                        } catch (Exception e) {
                            failures.add("channel " + id + ": " + e);
                        }
                    }));
                }
                for (Thread t : threads) {
                    t.join();
                }
            } while (failures.isEmpty() && System.nanoTime() < deadline);
            double seconds = (System.nanoTime() - start) / 1e9;
            Thread.sleep(2000); // let the far ends finish closing
            String[] farAfter = stats(asker, far);
            long localHeapAfter = heapAfterGc();
            int localThreadsAfter = Thread.activeCount();
            int localWorkersAfter = node.registeredAddressCount();
            String figures = String.format(Locale.ROOT,
                    "rounds=%d channels=%d messages/channel=%d delivered=%d MB=%.1f seconds=%.1f msg/s=%.0f "
                            + "local heap MiB %.1f->%.1f threads %d->%d workers %d->%d, far heap MiB %.1f->%.1f threads %s->%s workers %s->%s",
                    rounds, channels, messages, delivered.get(), bytes.get() / 1e6, seconds, delivered.get() / seconds,
                    localHeapBase / 1048576.0, localHeapAfter / 1048576.0, localThreadsBase, localThreadsAfter,
                    localWorkersBase, localWorkersAfter, Long.parseLong(farBase[0]) / 1048576.0, Long.parseLong(farAfter[0]) / 1048576.0,
                    farBase[1], farAfter[1], farBase[2], farAfter[2]);
            boolean leaked = localWorkersAfter != localWorkersBase || !farAfter[2].equals(farBase[2])
                    || localThreadsAfter > localThreadsBase + 4 || Integer.parseInt(farAfter[1]) > Integer.parseInt(farBase[1]) + 4
                    || localHeapAfter > localHeapBase + (64L << 20) || Long.parseLong(farAfter[0]) > Long.parseLong(farBase[0]) + (64L << 20);
            if (!failures.isEmpty() || leaked || delivered.get() != (long) rounds * channels * messages) {
                System.out.println("SOAK FAILED " + figures + (failures.isEmpty() ? "" : " first failure: " + failures.get(0))
                        + (leaked ? " (heap or threads did not return to the baseline)" : ""));
                return false;
            }
            System.out.println("SOAK OK " + figures);
            return true;
        } finally {
            responder.destroyForcibly();
        }
    }

    /** Asks over raw TCP; {@code asker} takes the answer from that connection only. */
    private static String[] stats(Context asker, Address far) throws Exception {
        asker.send(Route.of(far, Address.of("stats")), "stats");
        return asker.receive(String.class, Duration.ofSeconds(60)).split(" ");
    }
}
