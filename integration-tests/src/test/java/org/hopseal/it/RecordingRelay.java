package org.hopseal.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;

/** A TCP relay that forwards bytes both ways to a target port and records everything that passes. */
final class RecordingRelay implements AutoCloseable {
    private final ServerSocket server;
    private final ByteArrayOutputStream recorded = new ByteArrayOutputStream();

    RecordingRelay(int targetPort) throws IOException {
        server = new ServerSocket(0);
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket in = server.accept();
                    Socket out = new Socket("127.0.0.1", targetPort);
                    Thread.ofVirtual().start(() -> pump(in, out));
                    Thread.ofVirtual().start(() -> pump(out, in));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    int port() {
        return server.getLocalPort();
    }

    private void pump(Socket from, Socket to) {
        byte[] buf = new byte[16384];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                synchronized (recorded) {
                    recorded.write(buf, 0, n);
                }
                out.write(buf, 0, n);
            }
        } catch (IOException ignored) {
            // one side closed
        } finally {
            try {
                from.close();
                to.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    byte[] recorded() {
        synchronized (recorded) {
            return recorded.toByteArray();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
