package org.hopseal.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.hopseal.vault.pkcs11.SoftHsm;
import org.junit.jupiter.api.Test;

/** All log output of a run with handshakes on every vault, failures included, holds no secret byte string. */
class SecretsIT {
    @Test
    void noSecretAppearsInTheLogs() throws Exception {
        List<String> args = new ArrayList<>();
        try {
            SoftHsm.require();
            args.add(SoftHsm.uri(SoftHsm.TOKEN, "secrets", "env:" + SoftHsm.PIN_ENV));
        } catch (org.opentest4j.TestAbortedException noSoftHsm) {
            // the software and file vaults are still probed
        }
        List<String> cmd = new ArrayList<>(List.of("org.hopseal.vault.file.SecretsProbe"));
        try (ChildJvm probe = ChildJvm.start(Map.of("HOPSEAL_WRONG_PIN", "9999"), "-Dorg.slf4j.simpleLogger.defaultLogLevel=trace",
                cmd, args)) {
            assertThat(probe.waitFor(Duration.ofSeconds(120))).as(String.join("\n", probe.stderr())).isZero();
            List<String> secrets = probe.stdout().stream().filter(l -> l.startsWith("SECRET ")).map(l -> l.substring(7)).toList();
            assertThat(secrets).as("the probe reports the secrets it used").hasSizeGreaterThanOrEqualTo(3);
            List<String> logs = new ArrayList<>(probe.stderr());
            logs.addAll(probe.stdout().stream().filter(l -> !l.startsWith("SECRET ")).toList());
            assertThat(logs).as("the run logged at TRACE").hasSizeGreaterThan(5);
            String all = String.join("\n", logs);
            for (String hex : secrets) {
                byte[] bytes = HexFormat.of().parseHex(hex);
                assertThat(all).doesNotContainIgnoringCase(hex)
                        .doesNotContain(Base64.getEncoder().encodeToString(bytes))
                        .doesNotContain(new String(bytes, StandardCharsets.ISO_8859_1));
            }
        }
    }
}
