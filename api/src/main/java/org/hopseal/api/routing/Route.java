package org.hopseal.api.routing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * An immutable sequence of addresses: the onward route a message still has to travel, or the return route a reply
 * travels back along. Every hop removes itself from the onward route ({@link #stepForward()}) and prepends itself to
 * the return route ({@link #prepend(Address)}).
 *
 * <p>Thread safety: immutable.
 *
 * @since 0.1
 */
public final class Route {
    /**
     * The hop limit: the most addresses a route read from outside may hold, and the longest return route a node
     * forwards to another node (every hop adds its address to the return route).
     */
    public static final int MAX_LENGTH = 32;

    private static final Route EMPTY = new Route(List.of());

    private final List<Address> addresses;

    private Route(List<Address> addresses) {
        this.addresses = addresses;
    }

    /** The route that goes nowhere. */
    public static Route empty() {
        return EMPTY;
    }

    public static Route of(Address... addresses) {
        return new Route(List.of(addresses));
    }

    /** Each string in the text form of {@link Address#of(String)}. */
    public static Route of(String... addresses) {
        return new Route(Arrays.stream(addresses).map(Address::of).toList());
    }

    public static Route of(List<Address> addresses) {
        return new Route(List.copyOf(addresses));
    }

    /** The first address; throws {@link NoSuchElementException} when the route is empty. */
    public Address next() {
        if (addresses.isEmpty()) {
            throw new NoSuchElementException("the route is empty");
        }
        return addresses.get(0);
    }

    /** This route without its first address. */
    public Route stepForward() {
        if (addresses.isEmpty()) {
            throw new NoSuchElementException("the route is empty");
        }
        return new Route(addresses.subList(1, addresses.size()));
    }

    /** This route with {@code address} in front. */
    public Route prepend(Address address) {
        Objects.requireNonNull(address, "address");
        List<Address> list = new ArrayList<>(addresses.size() + 1);
        list.add(address);
        list.addAll(addresses);
        return new Route(List.copyOf(list));
    }

    /** This route followed by {@code other}. */
    public Route append(Route other) {
        List<Address> list = new ArrayList<>(addresses);
        list.addAll(other.addresses);
        return new Route(List.copyOf(list));
    }

    /** This route with {@code address} at the end. */
    public Route append(Address address) {
        return append(Route.of(address));
    }

    public boolean isEmpty() {
        return addresses.isEmpty();
    }

    public int size() {
        return addresses.size();
    }

    public List<Address> addresses() {
        return addresses;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Route r && r.addresses.equals(addresses);
    }

    @Override
    public int hashCode() {
        return addresses.hashCode();
    }

    @Override
    public String toString() {
        return addresses.stream().map(Address::toString).collect(Collectors.joining(" => ", "[", "]"));
    }
}
