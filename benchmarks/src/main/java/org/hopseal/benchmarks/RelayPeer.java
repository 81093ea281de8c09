package org.hopseal.benchmarks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.node.HopsealNode;
import org.hopseal.api.node.TcpTransportOptions;
import org.hopseal.api.relay.Relay;
import org.hopseal.api.relay.RelayService;

/**
 * One process of the relay benchmarks ({@link RelayBench}), as an application embeds Hopseal. Every mode prints its
 * ready line, then answers commands read from standard input, one per line, and exits when its input ends (so a
 * bench that dies takes its peers with it):
 * <ul>
 *   <li>{@code host}: the relay host. One node whose TCP transport admits {@link #HOST_CONNECTIONS} connections in
 *       all and from one address (every peer of the bench connects from 127.0.0.1, where the defaults, 1,024 and
 *       64, would refuse most of them), an identity, the channel listener 'secure' and the relay service reachable
 *       through it, with its default bounds (10,000 names, 64 per identity). Prints {@code LISTENING <port>}.
 *       {@code HEAP} answers {@code HEAP <heap bytes after GC> <direct buffer bytes> <connected names> <TCP
 *       connections>}; {@code HISTOGRAM <items>} prints the largest classes of the live heap per item
 *       ({@link HeapHistogram}) and then {@code END}.</li>
 *   <li>{@code hidden RELAY_HOST PREFIX FIRST COUNT AT_ONCE [--listen]}: COUNT hidden nodes, each a node of its own
 *       (its own in-memory vault, identity, TCP connection to the relay host, channel listener 'secure' and
 *       {@link BulkSink}), registered as PREFIX + (FIRST + i), at most AT_ONCE registrations under way at a time.
 *       With {@code --listen} (one node) the node also listens on a free loopback port, printed first as
 *       {@code LISTENING <port>}, so that clients can reach it directly as well. Prints {@code REGISTERED <count>
 *       <seconds>}, or {@code FAILED <registered> <reason>} when a registration failed or took longer than
 *       {@link #REGISTER_DEADLINE}. {@code RECEIVED} answers {@code RECEIVED <messages> <registrations>}: what all its
 *       sinks have counted so far, flushes left out, and how many registrations its relays have made (the first ones
 *       and every one after a registration was lost).</li>
 * </ul>
 */
public final class RelayPeer {
    /** The relay host's bound on TCP connections, in all and from one IP address. */
    static final int HOST_CONNECTIONS = 8_192;
    /** The longest all registrations of one process may take. */
    static final Duration REGISTER_DEADLINE = Duration.ofMinutes(3);

    private RelayPeer() {
    }

    public static void main(String[] args) throws Exception {
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in));
        switch (args[0]) {
            case "host" -> host(commands);
            case "hidden" -> hidden(commands, args);
            default -> throw new IllegalArgumentException("unknown mode: " + args[0]);
        }
        System.exit(0);
    }

    private static void host(BufferedReader commands) throws Exception {
        HopsealNode node = HopsealNode.builder()
                .tcp(TcpTransportOptions.defaults().withMaxConnections(HOST_CONNECTIONS, HOST_CONNECTIONS)).start();
        Entity me = Entity.create(node.context());
        me.createSecureChannelListener("secure");
        RelayService service = node.relayService().reachableThrough("secure").start();
        int port = node.tcp().listen("127.0.0.1:0").getPort();
        say("LISTENING " + port);
        String line;
        while ((line = commands.readLine()) != null) {
            String[] c = line.trim().split(" ");
            switch (c[0]) {
                case "HEAP" -> say("HEAP " + ScaleHarness.heapAfterGc() + " " + directBytes() + " " + service.connected().size() + " "
                        + node.tcp().connectionCount());
                case "HISTOGRAM" -> {
                    HeapHistogram.print(System.out, 20, Long.parseLong(c[1]));
                    say("END");
                }
                default -> say("UNKNOWN " + line);
            }
        }
    }

    /** The bytes of the JVM's direct buffers (where each connection's write staging buffer lives). */
    private static long directBytes() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream().filter(b -> b.getName().equals("direct"))
                .mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
    }

    private static void hidden(BufferedReader commands, String[] args) throws Exception {
        String relayHost = args[1];
        String prefix = args[2];
        int first = Integer.parseInt(args[3]);
        int count = Integer.parseInt(args[4]);
        int atOnce = Integer.parseInt(args[5]);
        boolean listen = args.length > 6 && args[6].equals("--listen");
        LongAdder received = new LongAdder();
        LongAdder registrations = new LongAdder();
        long start = System.nanoTime();
        long deadline = start + REGISTER_DEADLINE.toNanos();
        Semaphore underWay = new Semaphore(atOnce);
        AtomicInteger registered = new AtomicInteger();
        List<String> failures = new ArrayList<>();
        List<Thread> waiters = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            HopsealNode node = HopsealNode.start();
            Entity me = Entity.create(node.context());
            me.createSecureChannelListener("secure");
            BulkSink.start(node.context(), "secure", received);
            if (listen) {
                say("LISTENING " + node.tcp().listen("127.0.0.1:0").getPort());
            }
            if (!underWay.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                break;
            }
            Relay relay = node.relay(prefix + (first + i), relayHost).entity(me).onRegistered(r -> registrations.increment()).start();
            waiters.add(Thread.ofVirtual().start(() -> {
                try {
                    relay.awaitRegistered(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                    registered.incrementAndGet();
                } catch (Exception e) {
                    synchronized (failures) {
                        failures.add(relay.name() + ": " + e.getMessage());
                    }
                } finally {
                    underWay.release();
                }
            }));
        }
        for (Thread t : waiters) {
            t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        }
        if (registered.get() == count) {
            say("REGISTERED " + count + " " + (System.nanoTime() - start) / 1e9);
        } else {
            say("FAILED " + registered.get() + " " + (failures.isEmpty() ? "deadline of " + REGISTER_DEADLINE + " passed" : failures.getFirst()));
        }
        String line;
        while ((line = commands.readLine()) != null) {
            if (line.trim().equals("RECEIVED")) {
                say("RECEIVED " + received.sum() + " " + registrations.sum());
            } else {
                say("UNKNOWN " + line);
            }
        }
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
