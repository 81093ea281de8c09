package org.hopseal.cli;

import java.util.ArrayList;
import java.util.List;
import org.hopseal.api.relay.Relay;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import picocli.CommandLine.Option;

/**
 * The {@code --to}, {@code --via} and {@code --relay} options: the routes to the secure-channel listener ('secure') of
 * the node a command reaches, directly or through the relay it registered at, one route per {@code --to} node, tried
 * in order.
 */
final class Destination {
    @Option(names = "--to", required = true, split = ",", paramLabel = "HOST:PORT",
            description = "the node to reach, or with --relay the relay host; several (comma-separated) are tried in order")
    List<String> to = new ArrayList<>();

    @Option(names = "--via", paramLabel = "HOST:PORT", description = "nodes to pass through, in order")
    List<String> via = new ArrayList<>();

    @Option(names = "--relay", paramLabel = "NAME",
            description = "reach the node registered as NAME at the --to relay host ('hopseal node --relay NAME@HOST:PORT')")
    String relay;

    /** One route per {@code --to} node, in order. */
    List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        for (String node : to) {
            List<Address> hops = new ArrayList<>();
            for (String v : via) {
                hops.add(Address.tcp(v));
            }
            hops.add(Address.tcp(node));
            if (relay != null) {
                hops.add(Relay.address(relay));
            }
            hops.add(Address.of("secure"));
            routes.add(Route.of(hops));
        }
        return routes;
    }
}
