package org.hopseal.benchmarks;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.routing.Address;
import org.hopseal.api.worker.Context;
import org.hopseal.api.worker.Echoer;
import org.hopseal.core.node.Node;

/**
 * Run in its own JVM, one measurement per run, each in one node where both ends of every channel live:
 * <ul>
 *   <li>{@code channels N [DEADLINE_SECONDS] [--histogram]} opens up to N authenticated channels (starting none after
 *       the deadline, 600 s unless given), uses each once, then measures the heap after GC over the baseline; prints
 *       {@code SCALE channels <opened> <seconds to open> <heap bytes>}, and with {@code --histogram} first the
 *       largest classes of the live heap per channel ({@link HeapHistogram});</li>
 *   <li>{@code workers N} starts N idle workers and prints {@code SCALE workers N <seconds> <heap bytes>};</li>
 *   <li>{@code stream N SECONDS} opens N channels and streams 1 KiB messages through them ({@link ChannelStreams}):
 *       channel 0 alone, then all N at once, once untimed and then {@link #ROUNDS} times in turn, each run warmed up
 *       for SECONDS then measured for SECONDS;
 *       prints {@code STREAM <n> <bytes per message> <MB/s of one> <MB/s of all n>}, the means of the rounds.</li>
 * </ul>
 * Lines starting {@code PROGRESS}, {@code ROUND} and {@code HISTOGRAM} are progress and detail.
 */
public final class ScaleHarness {
    private static final Duration OPEN_DEADLINE = Duration.ofSeconds(600);
    private static final int STREAM_MESSAGE = 1024;
    private static final int ROUNDS = 2;
    private static final int HISTOGRAM_CLASSES = 25;

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
        List<String> rest = List.of(args).subList(2, args.length);
        try (Node node = Node.start()) {
            Context app = node.context();
            Address echoer = Address.of("echoer");
            app.startWorker(echoer, new Echoer());
            Entity alice = Entity.create(app);
            Entity bob = Entity.create(app);
            bob.createSecureChannelListener("bob");
            // Warm up the paths once, so the baseline holds the classes and caches.
            alice.createSecureChannel("bob");
            ChannelOpener opener = new ChannelOpener(app, alice, "bob", echoer);
            switch (what) {
                case "channels" -> channels(opener, n, rest);
                case "workers" -> workers(app, n);
                case "stream" -> stream(app, opener, n, Duration.ofSeconds(Long.parseLong(rest.getFirst())));
                default -> throw new IllegalArgumentException("unknown measurement: " + what);
            }
        }
        System.exit(0);
    }

    private static void channels(ChannelOpener opener, int n, List<String> options) throws Exception {
        Duration deadline = options.isEmpty() || options.getFirst().startsWith("--") ? OPEN_DEADLINE
                : Duration.ofSeconds(Long.parseLong(options.getFirst()));
        long baseline = heapAfterGc();
        ChannelOpener.Opened opened = opener.open(n, deadline, ch -> { });
        long heap = heapAfterGc() - baseline;
        if (options.contains("--histogram")) {
            HeapHistogram.print(System.out, HISTOGRAM_CLASSES, opened.count());
        }
        System.out.println("SCALE channels " + opened.count() + " " + opened.seconds() + " " + heap);
    }

    private static void workers(Context app, int n) throws Exception {
        long baseline = heapAfterGc();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            app.startWorker("idle" + i, new Echoer());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.println("SCALE workers " + n + " " + seconds + " " + (heapAfterGc() - baseline));
    }

    private static void stream(Context app, ChannelOpener opener, int n, Duration time) throws Exception {
        List<Address> channels = Collections.synchronizedList(new ArrayList<>());
        ChannelOpener.Opened opened = opener.open(n, OPEN_DEADLINE, channels::add);
        if (opened.count() < n) {
            throw new IllegalStateException("opened only " + opened.count() + " of " + n + " channels within " + OPEN_DEADLINE);
        }
        ChannelStreams streams = new ChannelStreams(app, channels, STREAM_MESSAGE);
        // One untimed pass of each first, so that no measured round runs before the JIT has compiled its path.
        streams.measure(1, time, time);
        streams.measure(n, time, time);
        double one = 0;
        double all = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            double r1 = streams.measure(1, time, time);
            double rn = streams.measure(n, time, time);
            System.out.printf(Locale.ROOT, "ROUND %d: one channel %.1f MB/s, %d channels %.1f MB/s%n", round, r1, n, rn);
            one += r1 / ROUNDS;
            all += rn / ROUNDS;
        }
        System.out.println("STREAM " + n + " " + STREAM_MESSAGE + " " + one + " " + all);
    }
}
