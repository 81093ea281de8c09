package org.hopseal.it.boundary;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.hopseal.testing.Wire;
import org.hopseal.testing.Wire.Addr;
import org.hopseal.testing.Wire.Frame;

/**
 * A malicious middle hop, written with raw sockets: it relays a client's messages to the one node it may reach
 * exactly as an honest Hopseal hop does (each side's connection prepended to the return route), and also sends the
 * client forged plaintext messages routed to the client's {@code app} context: one as soon as the client connects
 * and one before every frame it relays back to the client, so that a forgery always arrives before the real reply.
 * What the client sends back to the forged return route ({@code 0#sink}) is recorded.
 */
final class EvilHop implements AutoCloseable {
    static final Addr SINK = Addr.local("evil-sink");

    private final ServerSocket server;
    private final int nodePort;
    private final byte[] forgedPayload;
    private final AtomicInteger injected = new AtomicInteger();
    private final AtomicInteger relayedToNode = new AtomicInteger();
    private final AtomicInteger relayedToClient = new AtomicInteger();
    private final List<Frame> sinkFrames = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    EvilHop(int nodePort, byte[] forgedPayload) throws IOException {
        this.nodePort = nodePort;
        this.forgedPayload = forgedPayload;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress("127.0.0.1", 0));
        Thread.ofVirtual().name("evil-accept").start(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    int injected() {
        return injected.get();
    }

    int relayedToNode() {
        return relayedToNode.get();
    }

    int relayedToClient() {
        return relayedToClient.get();
    }

    /** What the client sent to the forged return route. */
    List<Frame> sinkFrames() {
        return List.copyOf(sinkFrames);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                Thread.ofVirtual().name("evil-client").start(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        Addr clientAddr = Addr.tcp("127.0.0.1:" + client.getPort());
        Addr nodeAddr = Addr.tcp("127.0.0.1:" + nodePort);
        try (client) {
            OutputStream toClient = client.getOutputStream();
            InputStream fromClient = new BufferedInputStream(client.getInputStream());
            toClient.write(Wire.PROTOCOL_VERSION);
            toClient.flush();
            if (fromClient.read() != Wire.PROTOCOL_VERSION) {
                return;
            }
            inject(toClient);
            Socket upstream = null;
            while (true) {
                byte[] body = Wire.readFrameBody(fromClient, 32 * 1024 * 1024);
                if (body == null) {
                    return;
                }
                Frame f = Wire.decode(body);
                if (f.onward().isEmpty()) {
                    continue;
                }
                Addr next = f.onward().get(0);
                if (next.equals(SINK)) {
                    sinkFrames.add(f);
                    continue;
                }
                if (!next.equals(nodeAddr)) {
                    continue; // this relay goes nowhere else
                }
                if (upstream == null) {
                    upstream = new Socket("127.0.0.1", nodePort);
                    sockets.add(upstream);
                    upstream.getOutputStream().write(Wire.PROTOCOL_VERSION);
                    upstream.getOutputStream().flush();
                    InputStream fromNode = new BufferedInputStream(upstream.getInputStream());
                    if (fromNode.read() != Wire.PROTOCOL_VERSION) {
                        return;
                    }
                    Thread.ofVirtual().name("evil-from-node").start(() -> relayBack(fromNode, toClient, clientAddr, nodeAddr, client));
                }
                byte[] out = Wire.frame(f.onward().subList(1, f.onward().size()), Wire.concat(List.of(clientAddr), f.back()), f.payload());
                upstream.getOutputStream().write(out);
                upstream.getOutputStream().flush();
                relayedToNode.incrementAndGet();
            }
        } catch (IOException | RuntimeException e) {
            // the client or the node went away
        }
    }

    private void relayBack(InputStream fromNode, OutputStream toClient, Addr clientAddr, Addr nodeAddr, Socket client) {
        try {
            while (true) {
                byte[] body = Wire.readFrameBody(fromNode, 32 * 1024 * 1024);
                if (body == null) {
                    return;
                }
                Frame f = Wire.decode(body);
                if (f.onward().isEmpty() || !f.onward().get(0).equals(clientAddr)) {
                    continue;
                }
                inject(toClient);
                byte[] out = Wire.frame(f.onward().subList(1, f.onward().size()), Wire.concat(List.of(nodeAddr), f.back()), f.payload());
                synchronized (toClient) {
                    toClient.write(out);
                    toClient.flush();
                }
                relayedToClient.incrementAndGet();
            }
        } catch (IOException | RuntimeException e) {
            try {
                client.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /** One forged plaintext message to the client's {@code app}, claiming to come back from the node. */
    private void inject(OutputStream toClient) throws IOException {
        byte[] forged = Wire.frame(List.of(Addr.local("app")), List.of(SINK), forgedPayload);
        synchronized (toClient) {
            toClient.write(forged);
            toClient.flush();
        }
        injected.incrementAndGet();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
