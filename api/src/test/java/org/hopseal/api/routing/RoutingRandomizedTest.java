package org.hopseal.api.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.wire.BareWriter;
import org.junit.jupiter.api.Test;

/**
 * Seeded-random checks of routing values and of the {@link TransportMessage} codec.
 *
 * <p>Every test has its own fixed seed and runs {@value #CASES} cases; case {@code i} draws from
 * {@code caseRandom(seed, i)}, so a failure (whose message names seed and case) replays alone and identically.
 * Generated messages respect the decoder's limits ({@value Route#MAX_LENGTH} addresses per route,
 * {@value Address#MAX_VALUE_LENGTH} bytes per address value) unless a test goes beyond them on purpose.
 */
class RoutingRandomizedTest {
    private static final int CASES = 2_000;
    private static final int MAX_PAYLOAD = 1_024;

    /** One generated case: its random source and the words that identify it in assertion messages. */
    private record Case(long seed, int index, Random random) {
        @Override
        public String toString() {
            return String.format("seed 0x%016x, case %d", seed, index);
        }
    }

    private static Case caseOf(long seed, int index) {
        return new Case(seed, index, new Random(seed ^ (index * 0x9E3779B97F4A7C15L)));
    }

    // ---- generators ----

    /** 0..max, with both ends more likely than in a uniform draw. */
    private static int size(Random rnd, int max) {
        return switch (rnd.nextInt(8)) {
            case 0 -> 0;
            case 1 -> max;
            default -> rnd.nextInt(max + 1);
        };
    }

    private static byte[] bytes(Random rnd, int length) {
        byte[] b = new byte[length];
        rnd.nextBytes(b);
        return b;
    }

    /** A value length within the limit, mostly short as real addresses are. */
    private static int valueLength(Random rnd) {
        return rnd.nextInt(4) == 0 ? size(rnd, Address.MAX_VALUE_LENGTH) : rnd.nextInt(41);
    }

    private static Address address(Random rnd) {
        return Address.of(rnd.nextInt(256), bytes(rnd, valueLength(rnd)));
    }

    private static Route route(Random rnd) {
        return route(rnd, size(rnd, Route.MAX_LENGTH));
    }

    private static Route route(Random rnd, int length) {
        List<Address> list = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            list.add(address(rnd));
        }
        return Route.of(list);
    }

    private static TransportMessage message(Random rnd) {
        return new TransportMessage(route(rnd), route(rnd), bytes(rnd, size(rnd, MAX_PAYLOAD)));
    }

    /**
     * The wire form written by hand from the class documentation ({@code u8 version | route | route | data}), so that
     * messages beyond the limits can be built without relying on what the encoder accepts.
     */
    private static byte[] wire(List<Address> onward, List<Address> back, byte[] payload) {
        BareWriter w = new BareWriter();
        w.writeU8(TransportMessage.VERSION);
        for (List<Address> route : List.of(onward, back)) {
            w.writeUint(route.size());
            for (Address a : route) {
                w.writeU8(a.type());
                w.writeData(a.value());
            }
        }
        w.writeData(payload);
        return w.toByteArray();
    }

    /** Decodes, failing the test on anything thrown but {@link DecodeException}; null when refused. */
    private static TransportMessage decodeOrNull(byte[] bytes, Case c) {
        Throwable thrown = catchThrowable(() -> TransportMessage.decode(bytes));
        if (thrown == null) {
            try {
                return TransportMessage.decode(bytes);
            } catch (DecodeException e) {
                throw new AssertionError(c + ": decoding is not deterministic", e);
            }
        }
        assertThat(thrown).as("%s: decoding %d bytes threw something other than DecodeException", c, bytes.length)
                .isInstanceOf(DecodeException.class);
        return null;
    }

    /** Whatever the decoder accepts lies within the limits and survives a round trip. */
    private static void assertAcceptedMessageIsSound(TransportMessage m, Case c) throws DecodeException {
        for (Route r : List.of(m.onwardRoute(), m.returnRoute())) {
            assertThat(r.size()).as("%s: decoded route length", c).isLessThanOrEqualTo(Route.MAX_LENGTH);
            for (Address a : r.addresses()) {
                assertThat(a.value().length).as("%s: decoded address value length", c)
                        .isLessThanOrEqualTo(Address.MAX_VALUE_LENGTH);
                assertThat(a.type()).as("%s: decoded transport type", c).isBetween(0, 255);
            }
        }
        assertThat(TransportMessage.decode(m.encode())).as("%s: re-decoding an accepted message", c).isEqualTo(m);
    }

    // ---- the codec ----

    @Test
    void messagesWithinTheLimitsSurviveARoundTrip() throws Exception {
        long seed = 0x5EED_0001L;
        for (int i = 0; i < CASES; i++) {
            Case c = caseOf(seed, i);
            TransportMessage m = message(c.random());
            byte[] encoded = m.encode();
            assertThat(m.encodedSize()).as("%s: encodedSize of %s", c, m).isEqualTo(encoded.length);
            assertThat(encoded).as("%s: encoding of %s against the documented wire form", c, m)
                    .isEqualTo(wire(m.onwardRoute().addresses(), m.returnRoute().addresses(), m.payload()));
            TransportMessage decoded = TransportMessage.decode(encoded);
            assertThat(decoded).as("%s: round trip of %s", c, m).isEqualTo(m).hasSameHashCodeAs(m);
            assertThat(decoded.payload()).as("%s: payload", c).isEqualTo(m.payload());
            assertThat(decoded.encode()).as("%s: re-encoding", c).isEqualTo(encoded);
        }
    }

    @Test
    void messagesBeyondTheLimitsAreRefused() {
        long seed = 0x5EED_0002L;
        for (int i = 0; i < CASES; i++) {
            Case c = caseOf(seed, i);
            Random rnd = c.random();
            List<Address> onward = new ArrayList<>(route(rnd).addresses());
            List<Address> back = new ArrayList<>(route(rnd).addresses());
            List<Address> broken = rnd.nextBoolean() ? onward : back;
            String expected;
            if (rnd.nextBoolean()) {
                // Too many hops: 33 up to 48 addresses.
                while (broken.size() <= Route.MAX_LENGTH) {
                    broken.add(address(rnd));
                }
                int extra = rnd.nextInt(16);
                for (int k = 0; k < extra; k++) {
                    broken.add(address(rnd));
                }
                expected = "route of " + broken.size() + " addresses exceeds the hop limit of " + Route.MAX_LENGTH;
            } else {
                // One address value of 256 up to 1,024 bytes, anywhere in the route, all other addresses valid.
                int length = Address.MAX_VALUE_LENGTH + 1 + (rnd.nextBoolean() ? 0 : rnd.nextInt(769));
                Address tooLong = Address.of(rnd.nextInt(256), bytes(rnd, length));
                if (broken.size() == Route.MAX_LENGTH) {
                    broken.set(rnd.nextInt(broken.size()), tooLong);
                } else {
                    broken.add(rnd.nextInt(broken.size() + 1), tooLong);
                }
                expected = "address length " + length + " is out of range (at most " + Address.MAX_VALUE_LENGTH + ")";
            }
            byte[] bytes = wire(onward, back, bytes(rnd, size(rnd, MAX_PAYLOAD)));
            Throwable thrown = catchThrowable(() -> TransportMessage.decode(bytes));
            assertThat(thrown).as("%s: decoding a message of routes %d/%d addresses", c, onward.size(), back.size())
                    .isInstanceOf(DecodeException.class).hasMessageContaining(expected);
        }
    }

    @Test
    void randomBytesNeverEscapeTheDecodeException() throws Exception {
        long seed = 0x5EED_0003L;
        for (int i = 0; i < CASES; i++) {
            Case c = caseOf(seed, i);
            Random rnd = c.random();
            byte[] bytes = bytes(rnd, rnd.nextInt(rnd.nextBoolean() ? 16 : 512));
            if (bytes.length > 0 && rnd.nextInt(4) != 0) {
                // Mostly get past the version byte so that routes and lengths are reached.
                bytes[0] = (byte) TransportMessage.VERSION;
                // Small counts and lengths go deeper still.
                for (int k = 1; k < bytes.length; k++) {
                    if (rnd.nextInt(3) == 0) {
                        bytes[k] = (byte) rnd.nextInt(4);
                    }
                }
            }
            TransportMessage m = decodeOrNull(bytes, c);
            if (m != null) {
                assertAcceptedMessageIsSound(m, c);
            }
        }
    }

    @Test
    void mutatedMessagesNeverEscapeTheDecodeException() throws Exception {
        long seed = 0x5EED_0004L;
        int accepted = 0;
        for (int i = 0; i < CASES; i++) {
            Case c = caseOf(seed, i);
            Random rnd = c.random();
            byte[] bytes = message(rnd).encode();
            int mutations = 1 + rnd.nextInt(4);
            for (int k = 0; k < mutations; k++) {
                int at = rnd.nextInt(bytes.length);
                bytes = switch (rnd.nextInt(5)) {
                    case 0 -> flipBit(bytes, at, rnd.nextInt(8));
                    case 1 -> setByte(bytes, at, (byte) rnd.nextInt(256));
                    case 2 -> setByte(bytes, at, (byte) (0x80 | rnd.nextInt(128))); // a continuation byte
                    case 3 -> insert(bytes, at, bytes(rnd, 1 + rnd.nextInt(8)));
                    default -> bytes.length > 1 ? delete(bytes, at, 1 + rnd.nextInt(Math.min(8, bytes.length - at))) : bytes;
                };
            }
            TransportMessage m = decodeOrNull(bytes, c);
            if (m != null) {
                accepted++;
                assertAcceptedMessageIsSound(m, c);
            }
        }
        // A guard against mutations that never reach the interesting paths: some mutants decode, most do not.
        assertThat(accepted).as("seed 0x%016x: mutants accepted out of %d", seed, CASES).isBetween(1, CASES - 1);
    }

    @Test
    void truncatedOrExtendedMessagesAreRefused() {
        long seed = 0x5EED_0005L;
        for (int i = 0; i < CASES; i++) {
            Case c = caseOf(seed, i);
            Random rnd = c.random();
            byte[] encoded = message(rnd).encode();
            int cut = rnd.nextInt(encoded.length);
            byte[] truncated = Arrays.copyOf(encoded, cut);
            assertThat(catchThrowable(() -> TransportMessage.decode(truncated)))
                    .as("%s: decoding the first %d of %d bytes", c, cut, encoded.length)
                    .isInstanceOf(DecodeException.class);
            byte[] extended = insert(encoded, encoded.length, bytes(rnd, 1 + rnd.nextInt(16)));
            assertThat(catchThrowable(() -> TransportMessage.decode(extended)))
                    .as("%s: decoding %d bytes with %d trailing", c, extended.length, extended.length - encoded.length)
                    .isInstanceOf(DecodeException.class).hasMessageContaining("trailing bytes");
        }
    }

    // ---- routes and addresses ----

    @Test
    void stepForwardAndPrependAreInverseOnTheFront() {
        long seed = 0x5EED_0006L;
        for (int i = 0; i < CASES; i++) {
            Case c = caseOf(seed, i);
            Route route = route(c.random());
            Address a = address(c.random());
            assertThat(route.prepend(a).next()).as("%s: next after prepend", c).isEqualTo(a);
            assertThat(route.prepend(a).stepForward()).as("%s: stepForward after prepend", c).isEqualTo(route);
            assertThat(route.prepend(a).size()).as("%s: size after prepend", c).isEqualTo(route.size() + 1);
        }
    }

    @Test
    void textFormRoundTripsForTextAddresses() {
        long seed = 0x5EED_0007L;
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        for (int i = 0; i < CASES; i++) {
            Case c = caseOf(seed, i);
            Random rnd = c.random();
            StringBuilder value = new StringBuilder();
            int length = 1 + rnd.nextInt(20);
            for (int k = 0; k < length; k++) {
                value.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            }
            Address a = Address.of(rnd.nextInt(256), value.toString().getBytes(StandardCharsets.UTF_8));
            assertThat(Address.of(a.toString())).as("%s: parsing the text form %s", c, a).isEqualTo(a);
        }
    }

    @Test
    void routeEqualityIsByValue() {
        long seed = 0x5EED_0008L;
        for (int i = 0; i < CASES; i++) {
            Case c = caseOf(seed, i);
            Route r = route(c.random());
            // The same seed draws the same route again, from fresh Address objects.
            Route again = route(caseOf(seed, i).random());
            assertThat(Route.of(List.copyOf(r.addresses()))).as("%s: copy of %s", c, r).isEqualTo(r).hasSameHashCodeAs(r);
            assertThat(again).as("%s: regenerated %s", c, r).isEqualTo(r).hasSameHashCodeAs(r);
        }
    }

    // ---- byte array edits ----

    private static byte[] flipBit(byte[] b, int at, int bit) {
        byte[] out = b.clone();
        out[at] ^= (byte) (1 << bit);
        return out;
    }

    private static byte[] setByte(byte[] b, int at, byte value) {
        byte[] out = b.clone();
        out[at] = value;
        return out;
    }

    private static byte[] insert(byte[] b, int at, byte[] extra) {
        byte[] out = new byte[b.length + extra.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(extra, 0, out, at, extra.length);
        System.arraycopy(b, at, out, at + extra.length, b.length - at);
        return out;
    }

    private static byte[] delete(byte[] b, int at, int count) {
        byte[] out = new byte[b.length - count];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(b, at + count, out, at, b.length - at - count);
        return out;
    }
}
