package org.hopseal.cli;

import java.util.ArrayList;
import java.util.List;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;

/** The route to the secure-channel listener ('secure') of the node a command names, through its --via nodes. */
final class ListenerRoute {
    private ListenerRoute() {
    }

    static Route of(List<String> via, String to) {
        List<Address> hops = new ArrayList<>();
        for (String v : via) {
            hops.add(Address.tcp(v));
        }
        hops.add(Address.tcp(to));
        hops.add(Address.of("secure"));
        return Route.of(hops);
    }
}
