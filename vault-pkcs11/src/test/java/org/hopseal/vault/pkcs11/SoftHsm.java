package org.hopseal.vault.pkcs11;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Assumptions;

/**
 * A throw-away SoftHSM2 setup for tests: a configuration and token folder under {@code target/softhsm} (surefire
 * points {@code SOFTHSM2_CONF} there), with the tokens the tests use created once per JVM by {@code softhsm2-util}.
 * Without SoftHSM the tests are skipped with a loud notice, unless {@code HOPSEAL_REQUIRE_SOFTHSM=true} (set by
 * {@code .ci/run}), in which case they fail.
 */
public final class SoftHsm {
    public static final String MODULE = "/usr/lib/softhsm/libsofthsm2.so";
    public static final String TOKEN = "hopseal-test";
    public static final String OTHER_TOKEN = "hopseal-other";
    public static final String PIN = "4321";
    public static final String PIN_ENV = "HOPSEAL_TEST_PIN";
    private static final ReentrantLock LOCK = new ReentrantLock();
    private static boolean ready;

    private SoftHsm() {
    }

    /** Makes sure the tokens exist, or skips (fails in CI) when SoftHSM is missing. */
    public static void require() {
        boolean present = Files.isRegularFile(Path.of(MODULE)) && onPath("softhsm2-util");
        if (!present) {
            String why = "SoftHSM2 is not installed (" + MODULE + ", softhsm2-util); install Debian's softhsm2";
            if ("true".equals(System.getenv("HOPSEAL_REQUIRE_SOFTHSM")) || Boolean.getBoolean("hopseal.requireSoftHsm")) {
                throw new AssertionError(why + " — required here (HOPSEAL_REQUIRE_SOFTHSM=true)");
            }
            System.err.println("!!! SKIPPING PKCS#11 TESTS: " + why + " !!!");
            Assumptions.abort(why);
        }
        LOCK.lock();
        try {
            if (!ready) {
                Path dir = Path.of(System.getProperty("hopseal.softhsm.dir", "target/softhsm")).toAbsolutePath();
                Path conf = dir.resolve("softhsm2.conf");
                if (!conf.toString().equals(System.getenv("SOFTHSM2_CONF"))) {
                    throw new AssertionError("SOFTHSM2_CONF must be " + conf + " (set by the build), is " + System.getenv("SOFTHSM2_CONF"));
                }
                deleteTree(dir);
                Files.createDirectories(dir.resolve("tokens"));
                Files.writeString(conf, "directories.tokendir = " + dir.resolve("tokens") + "\nobjectstore.backend = file\nlog.level = ERROR\n");
                initToken(conf, TOKEN);
                initToken(conf, OTHER_TOKEN);
                ready = true;
            }
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("could not set up SoftHSM: " + e, e);
        } finally {
            LOCK.unlock();
        }
    }

    /**
     * What a process needs to reach the test tokens: {@code SOFTHSM2_CONF}, as the build set it for this JVM (checked
     * by {@link #require()}).
     */
    public static Map<String, String> environment() {
        return Map.of("SOFTHSM2_CONF", System.getenv("SOFTHSM2_CONF"));
    }

    /** The URI of the test token, with the PIN from {@link #PIN_ENV}... or a given pin source. */
    public static String uri(String token, String object, String pinSource) {
        return "pkcs11:token=" + token + ";object=" + object + "?module-path=" + MODULE + "&pin-source=" + pinSource;
    }

    private static void initToken(Path conf, String label) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("softhsm2-util", "--init-token", "--free", "--label", label,
                "--so-pin", "123456", "--pin", PIN).redirectErrorStream(true);
        pb.environment().put("SOFTHSM2_CONF", conf.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("softhsm2-util failed: " + out);
        }
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
