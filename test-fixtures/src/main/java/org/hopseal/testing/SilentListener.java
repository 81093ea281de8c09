package org.hopseal.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback port that never answers a connection attempt: nothing accepts, and its backlog is filled until the
 * kernel drops further attempts unanswered, so a dial to it ends only at the dialer's connect timeout.
 */
public final class SilentListener implements AutoCloseable {
    private static final int MAX_FILLERS = 16;
    private static final int FILLER_TIMEOUT_MILLIS = 200;

    private final ServerSocket server;
    private final List<Socket> fillers = new ArrayList<>();

    private SilentListener(ServerSocket server) {
        this.server = server;
    }

    /** Opens the port and fills its backlog; fails if the kernel still answered after {@value #MAX_FILLERS} attempts. */
    public static SilentListener open() throws IOException {
        SilentListener listener = new SilentListener(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
        try {
            for (int i = 0; i < MAX_FILLERS; i++) {
                Socket s = new Socket();
                listener.fillers.add(s);
                try {
                    s.connect(listener.server.getLocalSocketAddress(), FILLER_TIMEOUT_MILLIS);
                } catch (SocketTimeoutException e) {
                    return listener;
                }
            }
            throw new IOException("the backlog of port " + listener.port() + " never filled");
        } catch (IOException e) {
            listener.close();
            throw e;
        }
    }

    /** The silent port. */
    public int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        for (Socket s : fillers) {
            s.close();
        }
        server.close();
    }
}
