package org.hopseal.it.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.hopseal.it.boundary.Boundary.NodeProcess;
import org.hopseal.testing.Await;
import org.hopseal.testing.RawClient;
import org.hopseal.testing.Wire;
import org.hopseal.testing.Wire.Addr;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, attack 7 (log forging and flooding): address bytes chosen by a raw client, newlines included, must
 * never start a log line of {@code hopseal node}, and a flood of bad input must cost a handful of lines, not one
 * per message.
 */
class LogForgingIT {
    private static final String FORGED = "[WARN] forged";

    @Test
    void outsideValuesCannotForgeOrFloodTheNodesLog() throws Exception {
        try (NodeProcess node = Boundary.hopsealNode("--forward")) {
            int frames = 0;
            long answered;
            try (RawClient raw = RawClient.connect(node.port())) {
                raw.discardIncoming();
                List<Addr> forgedReturn = List.of(Addr.local("r\n" + FORGED + " return route\r\n" + FORGED + " again"));
                String longName = "L".repeat(240);
                for (int i = 0; i < 1_000; i++) {
                    List<Addr> onward = switch (i % 4) {
                        // an unknown local address
                        case 0 -> List.of(Addr.local("x\n" + FORGED + " local " + i));
                        // a TCP hop that is not host:port (no ':'; never resolved)
                        case 1 -> List.of(Addr.tcp("\n" + FORGED + " tcp " + i), Addr.local("x"));
                        // an unexposed worker
                        case 2 -> List.of(Addr.local("echoer"));
                        // long values everywhere
                        default -> List.of(Addr.local(longName + "\n" + FORGED));
                    };
                    List<Addr> back = i % 4 == 3 ? Wire.times(31, Addr.local(longName + "\n" + FORGED)) : forgedReturn;
                    raw.send(onward, back, Wire.string("\n" + FORGED + " payload"));
                    frames++;
                }
                answered = Await.holds(Duration.ofSeconds(15), () -> raw.framesRead() >= 1_000) ? 1_000 : raw.framesRead();
            }
            // Connections that send undecodable frames, each closed by the node with a log line (rate-limited).
            for (int i = 0; i < 20; i++) {
                try (RawClient bad = RawClient.connect(node.port())) {
                    bad.sendBytes(Wire.frame(("\u0007\n" + FORGED + " frame").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                    assertThat(bad.awaitEnd(Duration.ofSeconds(5))).isTrue();
                }
            }
            assertThat(node.jvm().terminate()).isEqualTo(143);
            List<String> err = node.jvm().stderr();
            List<String> all = new ArrayList<>(err);
            all.addAll(node.jvm().stdout());
            assertThat(all).as("no line starts with text a peer chose").noneMatch(l -> l.stripLeading().startsWith("[WARN] forged"))
                    .noneMatch(l -> l.startsWith(" return route") || l.startsWith(" again") || l.startsWith(" payload"));
            // Whatever mentions the forged text shows the newline escaped, on the same line.
            assertThat(all).filteredOn(l -> l.contains("forged")).allSatisfy(l -> assertThat(l).contains("\\u000a"));
            assertThat(err).as("the flood was logged at all (so this test can see forging)")
                    .anyMatch(l -> l.contains("WARN") && l.contains("forged"));
            Boundary.report("%d bad frames and 20 bad connections: %d lines of standard error: %s", frames, err.size(), err);
            assertThat(err).as("%d bad frames and 20 bad connections cost a handful of lines", frames).hasSizeLessThanOrEqualTo(8);
            assertThat(err).as("every line is bounded").allSatisfy(l -> assertThat(l.length()).isLessThan(1_024));
            assertThat(answered).as("an error reply for each bad frame").isEqualTo(1_000);
        }
    }
}
