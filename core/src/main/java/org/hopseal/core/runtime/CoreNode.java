package org.hopseal.core.runtime;

import java.util.List;
import org.hopseal.api.credential.Authority;
import org.hopseal.api.credential.Credential;
import org.hopseal.api.credential.EnrollmentTicket;
import org.hopseal.api.credential.MemberCredentials;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.identity.PeerIdentity;
import org.hopseal.api.node.ChannelStatistics;
import org.hopseal.api.node.HopsealNode;
import org.hopseal.api.node.Tcp;
import org.hopseal.api.portal.Inlet;
import org.hopseal.api.portal.Outlet;
import org.hopseal.api.relay.Relay;
import org.hopseal.api.relay.RelayService;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.worker.Context;
import org.hopseal.core.authority.Authorities;
import org.hopseal.core.channel.ChannelInfo;
import org.hopseal.core.channel.ChannelStats;
import org.hopseal.core.channel.SecureChannelRegistry;
import org.hopseal.core.node.Node;
import org.hopseal.core.portal.Portals;
import org.hopseal.core.relay.Relays;
import org.hopseal.core.transport.tcp.TcpTransport;

/** The API's {@link HopsealNode} over the runtime's {@link Node}. */
final class CoreNode implements HopsealNode {
    private final Node node;

    CoreNode(Node node) {
        this.node = node;
    }

    @Override
    public Context context() {
        return node.context();
    }

    @Override
    public Vaults vaults() throws HopsealException {
        return node.vaults();
    }

    @Override
    public Tcp tcp() throws HopsealException {
        return TcpTransport.create(node.context());
    }

    @Override
    public Outlet.Builder outlet(String name, String target) {
        return Portals.outlet(node, name, target);
    }

    @Override
    public Inlet.Builder inlet(String from) {
        return Portals.inlet(node, from);
    }

    @Override
    public Relay.Builder relay(String name, String relayHost) {
        return Relays.relay(node, name, relayHost);
    }

    @Override
    public RelayService.Builder relayService() {
        return Relays.service(node);
    }

    @Override
    public Authority.Builder authority(Entity authority) {
        return Authorities.service(node, authority);
    }

    @Override
    public Credential enroll(Entity member, EnrollmentTicket ticket) throws HopsealException {
        tcp(); // authorities are reached over TCP
        return Authorities.enroll(node, member, ticket);
    }

    @Override
    public MemberCredentials memberCredentials(Entity member) throws HopsealException {
        tcp(); // authorities are reached over TCP
        return Authorities.memberCredentials(node, member);
    }

    @Override
    public List<ChannelStatistics> secureChannels() {
        return SecureChannelRegistry.of(node).all().stream().map(CoreNode::statistics).toList();
    }

    private static ChannelStatistics statistics(ChannelInfo info) {
        ChannelStats s = info.stats();
        return new ChannelStatistics(info.encryptor(), info.peer().map(PeerIdentity::identifier), s.delivered(), s.tampered(), s.replayed(),
                s.tooOld());
    }

    @Override
    public boolean isRunning() {
        return node.isRunning();
    }

    @Override
    public void stop() {
        node.stop();
    }

    @Override
    public String toString() {
        return node.toString();
    }
}
