package org.hopseal.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.node.HopsealNode;
import org.hopseal.api.relay.Relay;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import org.hopseal.core.node.NodeContext;

/**
 * Relays (issue 19), each node in a process of its own ({@link RelayPeer}): a relay host, hidden nodes that reach it
 * only by connecting out, and clients in this process that reach the hidden nodes through it.
 * <ul>
 *   <li>{@link #direct} and {@link #relayed}: bulk from one client to one hidden node ("bulk0", which also listens on
 *       a port of its own), by {@link Loopback#hopsealBulk} (the loopback bulk row's method and its sink), once
 *       straight to the hidden node's listener and once through the relay host;</li>
 *   <li>{@link #register}: many hidden nodes (each a node with its own identity and its own TCP connection to the
 *       relay host, several nodes per process) register, and the relay host's heap after GC is measured before and
 *       after;</li>
 *   <li>{@link #openStreams} and {@link #streams}: clients, each a node of its own, stream messages through a channel
 *       to a different hidden node each, through the relay host; the hidden nodes' sinks count what arrives.</li>
 * </ul>
 * Every wait is bounded; {@link #close} stops the client nodes and kills the peers (which also exit when this
 * process's end of their input closes).
 */
final class RelayBench implements AutoCloseable {
    /** The names of the hidden nodes of {@link #register}: this, then their number. */
    static final String PREFIX = "hidden-";
    /** How many registrations of one process may be under way at a time. */
    static final int REGISTERING_AT_ONCE = 8;
    /** How many client channels are opened at a time. */
    private static final int OPENING_AT_ONCE = 8;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);
    /** How long the senders may take, once told to stop, to have their last messages counted (flushes included). */
    private static final Duration STOP_TIMEOUT = BulkSink.FLUSH_TIMEOUT.multipliedBy(BulkSink.FLUSH_ATTEMPTS).plusSeconds(30);
    private static final String HIDDEN_HEAP = "768m";
    /** The system property that sets the peers' log level (error by default; their logs are kept in a temporary folder). */
    static final String LOG_LEVEL = "hopseal.bench.relayLogLevel";

    record Heap(long heapBytes, long directBytes, int connectedNames, int connections) {
    }

    /** {@code count} registrations from {@code processes} processes; what the relay host holds more after them. */
    record Registrations(int count, int processes, double seconds, Heap before, Heap after) {
        double heapPerRegistration() {
            return (after.heapBytes() - before.heapBytes()) / (double) count;
        }

        double directPerRegistration() {
            return (after.directBytes() - before.directBytes()) / (double) count;
        }
    }

    /**
     * One pass of {@link #streams}: MB/s (10^6 bytes) of the messages the sinks counted in the measured time; the
     * messages sent and counted in all by the streams that ended with their sink's count; the streams that failed
     * instead (their channel closed, or their sink did not answer), and the first reason; how many registrations
     * the hidden nodes made again during the pass (each after losing one); and how many streams' channels were found
     * closed before the pass and opened again (the relay host closes a client's connection that carried nothing for
     * its TCP idle timeout, 10 s, which ends the client's channel).
     */
    record Streamed(double mbps, long sent, long delivered, int failed, String firstFailure, long reregistrations, int reopened) {
    }

    /** The sums of {@link RelayPeer}'s {@code RECEIVED} answers over the hidden processes. */
    private record Received(long messages, long registrations) {
    }

    /** One client: a node of its own, its identity, the hidden node it streams to, and its channel to that node. */
    private static final class Stream {
        final String name;
        final HopsealNode node;
        final Entity me;
        /** The channel to the hidden node; null while the stream has none (not opened yet, or it failed). */
        volatile Address channel;

        Stream(String name, HopsealNode node, Entity me) {
            this.name = name;
            this.node = node;
            this.me = me;
        }
    }

    private final Path logs;
    private final List<Peer> peers = new ArrayList<>();
    private final List<Peer> hidden = new ArrayList<>();
    private final List<HopsealNode> clients = Collections.synchronizedList(new ArrayList<>());
    private final List<Stream> streams = new ArrayList<>();
    private final Peer host;
    private final String hostAddress;
    private final Route directRoute;
    private final Route relayedRoute;
    private final HopsealNode client;
    private final Entity clientIdentity;
    private int registered;

    /** Starts the relay host, the hidden node "bulk0" and the client node of {@link #direct} and {@link #relayed}. */
    RelayBench(Path logs) throws Exception {
        this.logs = logs;
        try {
            host = new Peer("relay-host", null, List.of("host"));
            hostAddress = "127.0.0.1:" + host.await(READY_TIMEOUT, "LISTENING")[1];
            Peer bulk = new Peer("bulk", null, List.of("hidden", hostAddress, "bulk", "0", "1", "1", "--listen"));
            directRoute = Route.of(Address.tcp("127.0.0.1:" + bulk.await(READY_TIMEOUT, "LISTENING")[1]), Address.of("secure"));
            if (bulk.await(RelayPeer.REGISTER_DEADLINE.plus(READY_TIMEOUT), "REGISTERED", "FAILED")[0].equals("FAILED")) {
                throw new IllegalStateException("the hidden node bulk0 did not register (its log: " + bulk.log + ")");
            }
            relayedRoute = Relay.route(hostAddress, "bulk0", "secure");
            client = HopsealNode.start();
            clients.add(client);
            client.tcp();
            clientIdentity = Entity.create(client.context());
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    /** {@code total} bytes in messages of {@code size} from the client straight to the hidden node's listener. */
    Loopback.Bulk direct(int size, long total) throws Exception {
        return Loopback.hopsealBulk(client.context(), clientIdentity, directRoute, size, total);
    }

    /** The same as {@link #direct}, to the same listener of the same hidden node, through the relay host. */
    Loopback.Bulk relayed(int size, long total) throws Exception {
        return Loopback.hopsealBulk(client.context(), clientIdentity, relayedRoute, size, total);
    }

    /** The CPU time the relay host's process has used so far (user and system). */
    Duration hostCpu() {
        return host.process.toHandle().info().totalCpuDuration().orElseThrow();
    }

    /** What the relay host holds now, after GC. */
    Heap heap() throws Exception {
        String[] h = host.ask("HEAP", "HEAP");
        return new Heap(Long.parseLong(h[1]), Long.parseLong(h[2]), Integer.parseInt(h[3]), Integer.parseInt(h[4]));
    }

    /**
     * Registers {@code count} hidden nodes at the relay host from {@code processes} processes (each holding its share
     * of the nodes, {@link #REGISTERING_AT_ONCE} registrations under way at a time in each), and measures the relay
     * host before and after. Fails unless every one registered and the relay host counts them all connected.
     */
    Registrations register(int count, int processes) throws Exception {
        Heap before = heap();
        long start = System.nanoTime();
        int first = 0;
        for (int p = 0; p < processes; p++) {
            int n = count / processes + (p < count % processes ? 1 : 0);
            hidden.add(new Peer("hidden-" + p, HIDDEN_HEAP, List.of("hidden", hostAddress, PREFIX, String.valueOf(first), String.valueOf(n),
                    String.valueOf(REGISTERING_AT_ONCE))));
            first += n;
        }
        for (Peer p : hidden) {
            String[] done = p.await(RelayPeer.REGISTER_DEADLINE.plus(READY_TIMEOUT), "REGISTERED", "FAILED");
            if (done[0].equals("FAILED")) {
                throw new IllegalStateException(p.name + " registered only " + done[1] + " of its relays: "
                        + String.join(" ", List.of(done).subList(2, done.length)) + " (its log: " + p.log + ")");
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        registered = count;
        Heap after = heap();
        if (after.connectedNames() - before.connectedNames() != count) {
            throw new IllegalStateException("the relay host counts " + (after.connectedNames() - before.connectedNames())
                    + " more connected names, not " + count);
        }
        return new Registrations(count, processes, seconds, before, after);
    }

    /** Prints the relay host's largest classes of the live heap, per item of {@code items}. */
    void histogram(long items) throws Exception {
        host.send("HISTOGRAM " + items);
        host.await(ANSWER_TIMEOUT, "END");
    }

    /**
     * Starts {@code k} clients, each a node of its own with its own identity and TCP connection to the relay host, and
     * opens client i's channel to hidden node i × registered / k (so that they are spread over all the hidden
     * processes), {@link #OPENING_AT_ONCE} at a time. Returns the seconds it took.
     */
    double openStreams(int k) throws Exception {
        if (registered < k) {
            throw new IllegalStateException("only " + registered + " hidden nodes for " + k + " streams");
        }
        long start = System.nanoTime();
        Semaphore opening = new Semaphore(OPENING_AT_ONCE);
        AtomicReference<Exception> failure = new AtomicReference<>();
        Stream[] opened = new Stream[k];
        List<Thread> openers = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            int index = i;
            String name = PREFIX + (long) i * registered / k;
            opening.acquire();
            openers.add(Thread.ofVirtual().start(() -> {
                try {
                    HopsealNode node = HopsealNode.start();
                    clients.add(node);
                    node.tcp();
                    Stream s = new Stream(name, node, Entity.create(node.context()));
                    open(s);
                    opened[index] = s;
                } catch (Exception e) {
                    failure.compareAndSet(null, new IllegalStateException("opening the channel to " + name + " failed", e));
                } finally {
                    opening.release();
                }
            }));
        }
        for (Thread t : openers) {
            if (!t.join(READY_TIMEOUT)) {
                throw new IllegalStateException("a client's channel did not open within " + READY_TIMEOUT);
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        streams.addAll(List.of(opened));
        return (System.nanoTime() - start) / 1e9;
    }

    /** Opens {@code s}'s channel through the relay host. */
    private void open(Stream s) throws Exception {
        s.channel = s.me.createSecureChannel(Relay.route(hostAddress, s.name, "secure"));
    }

    /** Whether {@code s}'s channel is open (its client still counts it among its channel ends). */
    private static boolean isOpen(Stream s) {
        Address channel = s.channel;
        return channel != null && s.node.secureChannels().stream().anyMatch(c -> c.channel().equals(channel));
    }

    /**
     * Streams 0 to k-1 at once, each sending messages of {@code size} as fast as its channel takes them (no
     * application-level window: the transports' backpressure alone, as in {@link Loopback#hopsealBulk}): untimed for
     * {@code warmUp}, then MB/s (10^6 bytes) of the messages the hidden nodes' sinks counted during {@code time}.
     * Then each stream flushes its sink, whose count tells how many of its messages arrived. Streams whose channel has
     * closed since they last ran get a new one first (untimed). A stream that fails during the pass (its channel
     * closes, its sink does not answer) is counted, not fatal: it stops, and the next pass opens it a new channel.
     */
    Streamed streams(int k, int size, Duration warmUp, Duration time) throws Exception {
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        int reopened = 0;
        for (int i = 0; i < k; i++) {
            Stream s = streams.get(i);
            if (!isOpen(s)) {
                reopened++;
                try {
                    open(s);
                } catch (Exception e) {
                    s.channel = null;
                    failures.add(s.name + ": opening a new channel failed: " + e);
                }
            }
        }
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder sent = new LongAdder();
        LongAdder delivered = new LongAdder();
        byte[] data = new byte[size];
        Received first = received();
        List<Thread> senders = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            Stream s = streams.get(i);
            if (s.channel == null) {
                continue;
            }
            senders.add(Thread.ofVirtual().name("relay-stream-" + i).start(() -> {
                try (NodeContext ctx = (NodeContext) s.node.context().newContext(Address.random())) {
                    Route sink = Route.of(s.channel, BulkSink.ADDRESS);
                    long n = 0;
                    while (!stop.get()) {
                        ctx.send(sink, data);
                        n++;
                    }
                    long got = BulkSink.flush(ctx, sink);
                    sent.add(n);
                    delivered.add(got);
                } catch (Exception e) {
                    s.channel = null;
                    failures.add(s.name + ": " + e);
                }
            }));
        }
        double mbps;
        try {
            Thread.sleep(warmUp);
            long before = received().messages();
            long start = System.nanoTime();
            Thread.sleep(time);
            long count = received().messages() - before;
            mbps = count * (double) size / 1e6 / ((System.nanoTime() - start) / 1e9);
        } finally {
            stop.set(true);
        }
        long stopBy = System.nanoTime() + STOP_TIMEOUT.toNanos();
        for (Thread t : senders) {
            if (!t.join(Duration.ofNanos(Math.max(1, stopBy - System.nanoTime())))) {
                throw new IllegalStateException("a stream did not stop within " + STOP_TIMEOUT);
            }
        }
        long again = received().registrations() - first.registrations();
        return new Streamed(mbps, sent.sum(), delivered.sum(), failures.size(), failures.isEmpty() ? "" : failures.getFirst(), again, reopened);
    }

    /** How many registrations the hidden nodes of {@link #register} have made beyond one each (each after losing one). */
    long reregistrations() throws Exception {
        return received().registrations() - registered;
    }

    /** The messages all hidden nodes' sinks have counted, and the registrations their relays have made. */
    private Received received() throws Exception {
        long messages = 0;
        long registrations = 0;
        for (Peer p : hidden) {
            String[] r = p.ask("RECEIVED", "RECEIVED");
            messages += Long.parseLong(r[1]);
            registrations += Long.parseLong(r[2]);
        }
        return new Received(messages, registrations);
    }

    @Override
    public void close() {
        for (HopsealNode n : List.copyOf(clients)) {
            try {
                n.stop();
            } catch (RuntimeException e) {
                // stopping the rest anyway
            }
        }
        for (Peer p : peers) {
            p.in.close();
            p.process.destroyForcibly();
        }
        for (Peer p : peers) {
            try {
                p.process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** A {@link RelayPeer} process: its commands, and its output lines read by a thread of their own. */
    private final class Peer {
        private static final String END = "\u0000end";
        final String name;
        final Process process;
        final PrintWriter in;
        final Path log;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        Peer(String name, String heap, List<String> args) throws IOException {
            this.name = name;
            this.log = logs.resolve(name + ".log");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
            if (heap != null) {
                command.add("-Xmx" + heap);
            }
            command.addAll(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=" + System.getProperty(LOG_LEVEL, "error"),
                    "-Dorg.slf4j.simpleLogger.showDateTime=true", "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS", "-cp", System.getProperty("java.class.path"),
                    RelayPeer.class.getName()));
            command.addAll(args);
            process = new ProcessBuilder(command).redirectError(log.toFile()).start();
            peers.add(this);
            in = new PrintWriter(process.getOutputStream(), true);
            Thread.ofVirtual().name("relay-peer-" + name).start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream()))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // ended
                } finally {
                    lines.add(END);
                }
            });
        }

        void send(String command) {
            in.println(command);
        }

        String[] ask(String command, String answer) throws Exception {
            send(command);
            return await(ANSWER_TIMEOUT, answer);
        }

        /** The next line that starts with one of {@code prefixes}, split at spaces; other lines are printed. */
        String[] await(Duration timeout, String... prefixes) throws Exception {
            long until = System.nanoTime() + timeout.toNanos();
            while (true) {
                String line = lines.poll(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null || line.equals(END)) {
                    if (line != null) {
                        lines.add(END);
                    }
                    throw new IllegalStateException(name + (line == null ? " did not answer " + String.join("|", prefixes) + " within " + timeout
                            : " ended before it answered " + String.join("|", prefixes)) + " (its log: " + log + ")");
                }
                for (String p : prefixes) {
                    if (line.startsWith(p + " ") || line.equals(p)) {
                        return line.split(" ");
                    }
                }
                System.out.println(name + ": " + line);
            }
        }
    }
}
