package org.hopseal.benchmarks;

import java.util.concurrent.CountDownLatch;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.node.HopsealNode;
import org.hopseal.api.portal.Inlet;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;

/**
 * One end of the portal benchmarks, in its own process, as an application embeds Hopseal:
 * <ul>
 *   <li>{@code outlet NAME=HOST:PORT...}: a node on a free loopback port with the channel listener 'secure' and
 *       these outlets; prints {@code LISTENING <port>};</li>
 *   <li>{@code inlet NODE_PORT NAME...}: one inlet per outlet NAME on a free loopback port, all to that node; prints
 *       {@code INLET <name> <port>} for each.</li>
 * </ul>
 * Runs until killed.
 */
public final class PortalPeer {
    private PortalPeer() {
    }

    public static void main(String[] args) throws Exception {
        HopsealNode node = HopsealNode.start();
        Entity me = Entity.create(node.context());
        if (args[0].equals("outlet")) {
            me.createSecureChannelListener("secure");
            for (int i = 1; i < args.length; i++) {
                String[] nameAndTarget = args[i].split("=", 2);
                node.outlet(nameAndTarget[0], nameAndTarget[1]).reachableThrough("secure").start();
            }
            System.out.println("LISTENING " + node.tcp().listen("127.0.0.1:0").getPort());
        } else {
            Route listener = Route.of(Address.tcp("127.0.0.1:" + args[1]), Address.of("secure"));
            for (int i = 2; i < args.length; i++) {
                Inlet inlet = node.inlet("127.0.0.1:0").to(listener).outlet(args[i]).entity(me).start();
                System.out.println("INLET " + args[i] + " " + inlet.address().getPort());
            }
        }
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
