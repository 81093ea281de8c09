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

    /** {@return the route that goes nowhere: no addresses} */
    public static Route empty() {
        return EMPTY;
    }

    /**
     * The route through {@code addresses}, in order. No length limit is applied here: {@link #MAX_LENGTH} bounds what
     * is decoded from outside and what a node forwards.
     *
     * @param addresses the hops, the next one first
     * @return the route
     * @throws NullPointerException if an address is {@code null}
     */
    public static Route of(Address... addresses) {
        return new Route(List.of(addresses));
    }

    /**
     * The route through addresses written in text form.
     *
     * @param addresses the hops, the next one first, each as {@link Address#of(String)} reads it ({@code "echoer"},
     *     {@code "1#host:port"})
     * @return the route
     * @throws IllegalArgumentException if an address names a transport type above 255
     */
    public static Route of(String... addresses) {
        return new Route(Arrays.stream(addresses).map(Address::of).toList());
    }

    /**
     * The route through {@code addresses}, in order; the list is copied.
     *
     * @param addresses the hops, the next one first
     * @return the route
     * @throws NullPointerException if an address is {@code null}
     */
    public static Route of(List<Address> addresses) {
        return new Route(List.copyOf(addresses));
    }

    /**
     * {@return the first address: where a message on this route goes next}
     *
     * @throws NoSuchElementException if the route is empty
     */
    public Address next() {
        if (addresses.isEmpty()) {
            throw new NoSuchElementException("the route is empty");
        }
        return addresses.get(0);
    }

    /**
     * {@return this route without its first address}
     *
     * @throws NoSuchElementException if the route is empty
     */
    public Route stepForward() {
        if (addresses.isEmpty()) {
            throw new NoSuchElementException("the route is empty");
        }
        return new Route(addresses.subList(1, addresses.size()));
    }

    /**
     * This route with {@code address} in front: how a hop adds itself to a return route.
     *
     * @param address the new first hop
     * @return a new route; this one is unchanged
     */
    public Route prepend(Address address) {
        Objects.requireNonNull(address, "address");
        List<Address> list = new ArrayList<>(addresses.size() + 1);
        list.add(address);
        list.addAll(addresses);
        return new Route(List.copyOf(list));
    }

    /**
     * This route followed by {@code other}.
     *
     * @param other the hops to add at the end
     * @return a new route; this one is unchanged
     */
    public Route append(Route other) {
        List<Address> list = new ArrayList<>(addresses);
        list.addAll(other.addresses);
        return new Route(List.copyOf(list));
    }

    /**
     * This route with {@code address} at the end.
     *
     * @param address the new last hop
     * @return a new route; this one is unchanged
     */
    public Route append(Address address) {
        return append(Route.of(address));
    }

    /** {@return whether the route has no addresses} */
    public boolean isEmpty() {
        return addresses.isEmpty();
    }

    /** {@return how many addresses the route has} */
    public int size() {
        return addresses.size();
    }

    /** {@return the addresses, the next one first, as an unmodifiable list} */
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
