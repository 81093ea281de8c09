package org.hopseal.core.portal;

import java.time.Duration;
import java.util.Objects;
import org.hopseal.api.portal.Inlet;
import org.hopseal.api.portal.Outlet;
import org.hopseal.api.portal.Portal;
import org.hopseal.core.node.Node;

/** Where a node's inlets and outlets are made, and the checks their settings share. */
public final class Portals {
    private Portals() {
    }

    /** An outlet builder for {@code node}. */
    public static Outlet.Builder outlet(Node node, String name, String target) {
        return new CoreOutlet.Builder(node, name, target);
    }

    /** An inlet builder for {@code node}. */
    public static Inlet.Builder inlet(Node node, String from) {
        return new CoreInlet.Builder(node, from);
    }

    static int window(int bytes) {
        if (bytes < Portal.MIN_WINDOW || bytes > Portal.MAX_WINDOW) {
            throw new IllegalArgumentException("a portal window is " + Portal.MIN_WINDOW + " to " + Portal.MAX_WINDOW
                    + " bytes, was " + bytes);
        }
        return bytes;
    }

    static int maxConnections(int connections) {
        if (connections < 1) {
            throw new IllegalArgumentException("maxConnections must be positive, was " + connections);
        }
        return connections;
    }

    static Duration positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, was " + d);
        }
        return d;
    }
}
