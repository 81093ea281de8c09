package org.hopseal.testing;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hopseal.api.codec.MessageCodecs;
import org.hopseal.api.credential.Authority;
import org.hopseal.api.credential.Credential;
import org.hopseal.api.credential.EnrollmentTicket;
import org.hopseal.api.credential.MemberCredentials;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.RoutingException;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.node.ChannelStatistics;
import org.hopseal.api.node.HopsealNode;
import org.hopseal.api.node.NodeFactory;
import org.hopseal.api.node.Tcp;
import org.hopseal.api.node.TcpTransportOptions;
import org.hopseal.api.portal.Inlet;
import org.hopseal.api.portal.Outlet;
import org.hopseal.api.relay.Relay;
import org.hopseal.api.relay.RelayService;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.Routed;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.worker.AccessControl;
import org.hopseal.api.worker.Context;
import org.hopseal.api.worker.Exposure;
import org.hopseal.api.worker.Worker;

/**
 * A runtime that runs nothing: its nodes only record which workers were started where, with which exposure, and
 * whether they were stopped. test-fixtures cannot see hopseal-core (core's tests use the fixtures), so the
 * fixtures' own tests find this one through {@code META-INF/services}.
 */
final class RecordingRuntime {
    /** An address at which starting a worker fails, as if something ran there already; {@code null} for none. */
    static volatile String occupied;
    /** The node started last. */
    static volatile Node last;
    /** The port every recording node's TCP transport says it bound. */
    static final int PORT = 4321;

    private RecordingRuntime() {
    }

    /** A worker started on a recording node. */
    record Started(Worker<?> worker, Exposure exposure) {
    }

    /** The service the API finds. */
    public static final class Factory implements NodeFactory {
        @Override
        public HopsealNode.Builder builder() {
            return new Builder();
        }

        @Override
        public HopsealNode nodeOf(Context ctx) {
            throw new IllegalArgumentException("not a recording context");
        }
    }

    private static final class Builder implements HopsealNode.Builder {
        private Vaults vaults;
        private String spec;
        private boolean forwardAnywhere;

        @Override
        public HopsealNode.Builder vault(String spec) {
            this.spec = spec;
            return this;
        }

        @Override
        public HopsealNode.Builder vaults(Vaults vaults) {
            this.vaults = vaults;
            return this;
        }

        @Override
        public HopsealNode.Builder forwardAnywhere() {
            forwardAnywhere = true;
            return this;
        }

        @Override
        public HopsealNode.Builder forwardTo(List<String> destinations) {
            throw new UnsupportedOperationException();
        }

        @Override
        public HopsealNode.Builder tcp(TcpTransportOptions options) {
            throw new UnsupportedOperationException();
        }

        @Override
        public HopsealNode start() {
            last = new Node(vaults, spec, forwardAnywhere);
            return last;
        }
    }

    /** A node that records. */
    static final class Node implements HopsealNode {
        final Vaults vaults;
        final String spec;
        final boolean forwardAnywhere;
        final Map<String, Started> workers = new ConcurrentHashMap<>();
        /** What the node's TCP transport was asked to listen on. */
        final List<String> listening = new CopyOnWriteArrayList<>();
        private volatile boolean running = true;
        private final Context context = new RecordingContext();

        Node(Vaults vaults, String spec, boolean forwardAnywhere) {
            this.vaults = vaults;
            this.spec = spec;
            this.forwardAnywhere = forwardAnywhere;
        }

        @Override
        public Context context() {
            return context;
        }

        @Override
        public Vaults vaults() {
            return vaults;
        }

        @Override
        public Tcp tcp() {
            return new Tcp() {
                @Override
                public InetSocketAddress listen(String hostAndPort) {
                    listening.add(hostAndPort);
                    return new InetSocketAddress(InetAddress.getLoopbackAddress(), PORT);
                }

                @Override
                public int connectionCount() {
                    return 0;
                }
            };
        }

        @Override
        public Outlet.Builder outlet(String name, String target) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Inlet.Builder inlet(String from) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Relay.Builder relay(String name, String relayHost) {
            throw new UnsupportedOperationException();
        }

        @Override
        public RelayService.Builder relayService() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Authority.Builder authority(Entity authority) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Credential enroll(Entity member, EnrollmentTicket ticket) {
            throw new UnsupportedOperationException();
        }

        @Override
        public MemberCredentials memberCredentials(Entity member) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<ChannelStatistics> secureChannels() {
            return List.of();
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public void stop() {
            running = false;
        }

        private final class RecordingContext implements Context {
            @Override
            public Address address() {
                return Address.of("app");
            }

            @Override
            public <M> void startWorker(String address, Worker<M> worker) throws HopsealException {
                startWorker(address, worker, Exposure.none());
            }

            @Override
            public <M> void startWorker(Address address, Worker<M> worker) throws HopsealException {
                startWorker(address.toString(), worker, Exposure.none());
            }

            @Override
            public <M> void startWorker(String address, Worker<M> worker, Exposure exposure) throws HopsealException {
                if (!running) {
                    throw new RoutingException(ErrorKind.SHUTDOWN, "stopped");
                }
                if (address.equals(occupied) || workers.putIfAbsent(address, new Started(worker, exposure)) != null) {
                    throw new RoutingException(ErrorKind.ALREADY_EXISTS, address);
                }
            }

            @Override
            public <M> void startWorker(String address, Class<M> type, Worker<M> worker) throws HopsealException {
                startWorker(address, worker, Exposure.none());
            }

            @Override
            public <M> void startWorker(Address address, Class<M> type, Worker<M> worker, Exposure exposure,
                    AccessControl accessControl) throws HopsealException {
                startWorker(address.toString(), worker, exposure);
            }

            @Override
            public void stopWorker(Address address) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void send(Route route, Object body) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void send(Route route, Route returnRoute, Object body) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void forward(LocalMessage message) {
                throw new UnsupportedOperationException();
            }

            @Override
            public <T> Routed<T> receiveRouted(Class<T> type, Duration timeout) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Context newContext(Address address) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Context newContext(Address address, Exposure exposure) {
                throw new UnsupportedOperationException();
            }

            @Override
            public MessageCodecs codecs() {
                throw new UnsupportedOperationException();
            }

            @Override
            public void stop() {
                Node.this.stop();
            }
        }
    }
}
