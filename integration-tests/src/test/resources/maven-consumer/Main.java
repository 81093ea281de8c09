import org.hopseal.api.identity.Entity;
import org.hopseal.api.identity.TrustIdentifierPolicy;
import org.hopseal.api.node.HopsealNode;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.worker.Echoer;

/**
 * An application built from one of README's Maven snippets (MavenCoordinatesIT): it compiles against hopseal-api alone,
 * opens the vault its argument names, and echoes through a secure channel from an identity in that vault.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        try (Vaults vaults = Vaults.open(args[0])) {
            HopsealNode.run(ctx -> {
                ctx.startWorker("echoer", new Echoer());
                Entity alice = Entity.create(ctx, vaults);
                Entity bob = Entity.create(ctx);
                bob.createSecureChannelListener("bob", new TrustIdentifierPolicy(alice.identifier()));
                Address channel = alice.createSecureChannel("bob", new TrustIdentifierPolicy(bob.identifier()));
                ctx.send(Route.of(channel, Address.of("echoer")), "hello from " + args[0].split(":")[0]);
                System.out.println("reply: " + ctx.receive(String.class));
                ctx.stop();
            });
        }
    }
}
