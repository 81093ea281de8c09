package org.hopseal.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.hopseal.vault.pkcs11.SoftHsm;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/**
 * All log output of a run with handshakes on every vault, failures included, holds no secret byte string: no
 * identity key, no handshake secret (Diffie-Hellman outputs, chaining and handshake keys), no session key, no
 * passphrase or PIN.
 */
class SecretsIT {
    /** One secret the probe reports: {@code SECRET <what> <hex>}. */
    private record Secret(String what, byte[] bytes) {
        static Secret parse(String line) {
            String[] parts = line.split(" ");
            return new Secret(parts[1], HexFormat.of().parseHex(parts[2]));
        }
    }

    @Test
    void noIdentityHandshakeOrSessionSecretAppearsInTheLogs() throws Exception {
        List<String> args = new ArrayList<>();
        try {
            SoftHsm.require();
            args.add(SoftHsm.uri(SoftHsm.TOKEN, "secrets", "env:" + SoftHsm.PIN_ENV));
        } catch (TestAbortedException noSoftHsm) {
            // the software and file vaults are still probed
        }
        List<String> cmd = new ArrayList<>(List.of("org.hopseal.vault.file.SecretsProbe"));
        try (ChildJvm probe = ChildJvm.start(Map.of("HOPSEAL_WRONG_PIN", "9999"), "-Dorg.slf4j.simpleLogger.defaultLogLevel=trace",
                cmd, args)) {
            assertThat(probe.waitFor(Duration.ofSeconds(120))).as(String.join("\n", probe.stderr())).isZero();
            List<Secret> secrets = probe.stdout().stream().filter(l -> l.startsWith("SECRET ")).map(Secret::parse).toList();
            assertThat(secrets.stream().map(Secret::what).collect(Collectors.toSet()))
                    .as("the probe reports the secrets it used, of every kind")
                    .contains("identity", "handshake", "session", "passphrase");
            assertThat(secrets.stream().filter(s -> s.what().equals("session")))
                    .as("two session keys per successful handshake").hasSizeGreaterThanOrEqualTo(2);
            List<String> logs = new ArrayList<>(probe.stderr());
            logs.addAll(probe.stdout().stream().filter(l -> !l.startsWith("SECRET ")).toList());
            assertThat(logs).as("the run logged at TRACE").hasSizeGreaterThan(5);
            String all = String.join("\n", logs);
            for (Secret secret : secrets) {
                String hex = HexFormat.of().formatHex(secret.bytes());
                assertThat(all).as("a %s secret", secret.what()).doesNotContainIgnoringCase(hex)
                        .doesNotContain(Base64.getEncoder().encodeToString(secret.bytes()))
                        .doesNotContain(new String(secret.bytes(), StandardCharsets.ISO_8859_1));
            }
        }
    }
}
