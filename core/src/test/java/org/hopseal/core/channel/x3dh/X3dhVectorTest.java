package org.hopseal.core.channel.x3dh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.hopseal.api.vault.Vaults;
import org.hopseal.vault.software.SoftwareVault;
import org.hopseal.core.vectors.VectorOutcome;
import org.junit.jupiter.api.Test;

class X3dhVectorTest {
    static String vectors() throws Exception {
        try (InputStream in = X3dhVectorTest.class.getResourceAsStream("/vectors/x3dh/x3dh-vectors.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void everyOfferedCasePassesAndTheRestAreSkippedWithAReason() throws Exception {
        try (Vaults v = SoftwareVault.vaults()) {
            List<VectorOutcome> outcomes = new X3dhVectorRunner(v).runFile(vectors());
            assertThat(outcomes).hasSize(6);
            assertThat(outcomes).filteredOn(o -> o.status() == VectorOutcome.Status.PASSED).hasSize(5);
            assertThat(outcomes).filteredOn(o -> o.status() == VectorOutcome.Status.SKIPPED)
                    .singleElement().extracting(VectorOutcome::detail).asString().contains("ed25519");
            assertThat(((SoftwareVault) v.channel()).size()).as("no key is left behind").isZero();
        }
    }

    private static String flipFirstHexDigitAfter(String text, String marker) {
        int at = text.indexOf(marker) + marker.length() + 10;
        char c = text.charAt(at);
        return text.substring(0, at) + (c == '0' ? '1' : '0') + text.substring(at + 1);
    }

    @Test
    void aTamperedSignatureOrSecretFails() throws Exception {
        String text = vectors();
        String sigTampered = flipFirstHexDigitAfter(text, "\"signed_pre_key_sig\": \"");
        String skTampered = flipFirstHexDigitAfter(text, "\"shared_secret\": \"");
        try (Vaults v = SoftwareVault.vaults()) {
            X3dhVectorRunner runner = new X3dhVectorRunner(v);
            assertThat(runner.runFile(sigTampered).get(0).status()).isEqualTo(VectorOutcome.Status.FAILED);
            assertThat(runner.runFile(skTampered).get(0).status()).isEqualTo(VectorOutcome.Status.FAILED);
        }
    }
}
