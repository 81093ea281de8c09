package org.hopseal.cli;

import org.hopseal.api.identity.Entity;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.identity.SecureChannelOptions;
import org.hopseal.api.node.HopsealNode;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.worker.AccessControl;
import org.hopseal.api.worker.Echoer;
import org.hopseal.api.worker.Exposure;

/**
 * A node in this JVM like {@code hopseal node --listen 127.0.0.1:0}: a channel listener 'secure', an Echoer 'echoer'
 * and 'mirror' reachable through its channels, an Echoer 'guarded' reachable through them whose access control admits
 * only {@link #ADMITTED}, and an Echoer 'private' reachable by local code only.
 */
final class EchoNode implements AutoCloseable {
    /** The one identity the worker 'guarded' admits: nobody's. */
    static final Identifier ADMITTED = new Identifier("I" + "0".repeat(64));

    private final Vaults vaults;
    private final HopsealNode node;
    final int port;
    final String identifier;

    EchoNode() throws Exception {
        vaults = Vaults.open("software");
        node = HopsealNode.builder().vaults(vaults).start();
        var ctx = node.context();
        Entity entity = Entity.create(ctx, vaults, "default");
        ctx.startWorker("echoer", new Echoer(), Exposure.channelsOf("secure"));
        ctx.startWorker("mirror", new Echoer(), Exposure.channelsOf("secure"));
        ctx.startWorker("private", new Echoer(), Exposure.none());
        ctx.startWorker(Address.of("guarded"), LocalMessage.class, new Echoer(), Exposure.channelsOf("secure"),
                AccessControl.identifiers(ADMITTED));
        entity.createSecureChannelListener("secure", SecureChannelOptions.defaults());
        port = node.tcp().listen("127.0.0.1:0").getPort();
        identifier = entity.identifier().value();
    }

    String to() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() throws Exception {
        node.close();
        vaults.close();
    }
}
