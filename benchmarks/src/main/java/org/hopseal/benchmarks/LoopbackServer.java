package org.hopseal.benchmarks;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import javax.net.ssl.SSLServerSocket;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.worker.Echoer;
import org.hopseal.api.worker.Exposure;
import org.hopseal.core.node.Node;
import org.hopseal.core.transport.tcp.TcpTransport;

/**
 * The far side of the loopback benchmarks, in its own process: a plain TCP server, a TLS 1.3 server (mutual
 * authentication, P-256 certificates saved to the folder given as argument for the client, no session tickets: see
 * {@link TlsPeers}) and a Hopseal node (channel listener 'secure', 'echoer', {@link BulkSink} 'sink'). Both socket
 * servers speak one tiny protocol: a mode byte ('E' echo 64-byte messages, 'B' bulk: an 8-byte count then that many
 * bytes, answered with one byte). Prints {@code PORTS <tcp> <tls> <hopseal>}, then serves until killed.
 */
public final class LoopbackServer {
    private LoopbackServer() {
    }

    public static void main(String[] args) throws Exception {
        TlsPeers tls = new TlsPeers(TlsPeers.Curve.P256);
        tls.save(Path.of(args[0]));
        ServerSocket plain = new ServerSocket();
        plain.setReceiveBufferSize(SocketTuning.BUFFER_BYTES);
        plain.bind(new InetSocketAddress("127.0.0.1", 0));
        SSLServerSocket secure = tls.listen(new InetSocketAddress("127.0.0.1", 0));
        // The client makes one connection at a time, so each server serves its connections one after another in the
        // platform thread that accepts them: a blocking read wakes that thread directly (a virtual thread's wake-up
        // goes through the poller and the carrier pool), and no hand-off to another thread delays a new connection.
        Thread.ofPlatform().name("tcp-server").daemon().start(() -> serve(plain));
        Thread.ofPlatform().name("tls-server").daemon().start(() -> serve(secure));

        Node node = Node.start();
        var ctx = node.context();
        ctx.startWorker("echoer", new Echoer(), Exposure.channelsOf("secure"));
        BulkSink.start(ctx, "secure", null);
        Entity.create(ctx).createSecureChannelListener("secure");
        int hopseal = TcpTransport.create(ctx).listen("127.0.0.1:0").getPort();
        System.out.println("PORTS " + plain.getLocalPort() + " " + secure.getLocalPort() + " " + hopseal);
        System.out.flush();
        Thread.currentThread().join();
    }

    private static void serve(ServerSocket server) {
        while (true) {
            try {
                Socket s = server.accept();
                SocketTuning.apply(s);
                handle(s);
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void handle(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            DataInputStream din = new DataInputStream(in);
            int mode = din.read();
            if (mode == 'E') {
                byte[] buf = new byte[64];
                while (true) {
                    din.readFully(buf);
                    out.write(buf);
                    out.flush();
                }
            } else if (mode == 'B') {
                long n = din.readLong();
                byte[] buf = new byte[1 << 16];
                while (n > 0) {
                    int r = in.read(buf, 0, (int) Math.min(buf.length, n));
                    if (r < 0) {
                        return;
                    }
                    n -= r;
                }
                new DataOutputStream(out).writeByte(1);
                out.flush();
            }
        } catch (IOException ignored) {
            // the client went away
        }
    }
}
