package org.hopseal.core.channel.noise;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hopseal.api.vault.Vaults;
import org.hopseal.core.vectors.VectorOutcome;
import org.hopseal.vault.software.SoftwareVault;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.opentest4j.TestAbortedException;

/** Every vector of the three shared files, each its own test; every non-PSK 25519 vector must pass. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NoiseVectorTest {
    private Vaults vaults;
    private SoftwareVault vault;

    @BeforeAll
    void open() {
        vault = new SoftwareVault();
        vaults = new Vaults(vault, vault, new org.hopseal.vault.software.SoftwareVerifier());
    }

    @AfterAll
    void close() {
        vaults.close();
    }

    static String read(String file) throws Exception {
        try (InputStream in = NoiseVectorTest.class.getResourceAsStream("/vectors/noise/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @TestFactory
    Stream<DynamicTest> cacophony() throws Exception {
        return vectors("cacophony.txt");
    }

    @TestFactory
    Stream<DynamicTest> snow() throws Exception {
        return vectors("snow.txt");
    }

    @TestFactory
    Stream<DynamicTest> noiseC() throws Exception {
        return vectors("noise-c-basic.txt");
    }

    /**
     * Hopseal's own fixed-key vectors of {@code Noise_XXhfs_25519+MLKEM768} with every cipher and hash, for regression:
     * all must pass. No public hfs vectors with ML-KEM exist; {@link HybridXxInteropTest} checks the protocol itself
     * against an independent peer.
     */
    @TestFactory
    Stream<DynamicTest> hopsealHybrid() throws Exception {
        return vectors("hopseal-hfs.txt");
    }

    @SuppressWarnings("unchecked")
    private Stream<DynamicTest> vectors(String file) throws Exception {
        Map<String, Object> root = (Map<String, Object>) org.hopseal.api.wire.Json.parse(read(file));
        NoiseVectorRunner runner = new NoiseVectorRunner(vaults);
        List<Object> all = (List<Object>) root.get("vectors");
        return java.util.stream.IntStream.range(0, all.size()).mapToObj(i -> {
            Map<String, Object> v = (Map<String, Object>) all.get(i);
            String name = (String) v.getOrDefault("protocol_name", v.get("name"));
            return DynamicTest.dynamicTest("#" + i + " " + name, () -> {
                int before = vault.size();
                VectorOutcome o = runner.run(v);
                boolean mustPass = name != null && (name.contains("_25519_") || name.contains("_25519+MLKEM768_"))
                        && !name.contains("psk") && !name.startsWith("NoisePSK");
                if (o.status() == VectorOutcome.Status.SKIPPED) {
                    assertThat(mustPass).as("a non-PSK 25519 vector was skipped: " + o.detail()).isFalse();
                    throw new TestAbortedException(o.detail());
                }
                assertThat(o.status()).as(o.detail()).isEqualTo(VectorOutcome.Status.PASSED);
                assertThat(vault.size()).as("every handshake key is deleted after the vector").isEqualTo(before);
            });
        });
    }

    @TestFactory
    Stream<DynamicTest> summary() {
        return Stream.empty();
    }

    static String join(List<String> s) {
        return s.stream().collect(Collectors.joining(", "));
    }
}
