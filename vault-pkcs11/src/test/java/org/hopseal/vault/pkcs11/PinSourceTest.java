package org.hopseal.vault.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PinSourceTest {
    @TempDir
    Path dir;

    private static ErrorKind kindOf(String source) {
        try {
            PinSource.read(source);
        } catch (VaultException e) {
            return e.kind();
        }
        throw new AssertionError("read a PIN from " + source);
    }

    @Test
    void aPinFileGivesItsFirstLineWhateverTheLineEnding() throws Exception {
        Path unix = Files.writeString(dir.resolve("unix"), "12 34\nsecond line\n");
        Path windows = Files.writeString(dir.resolve("windows"), "5678\r\n");
        Path bare = Files.writeString(dir.resolve("bare"), "pïn");
        assertThat(PinSource.read("file:" + unix)).containsExactly('1', '2', ' ', '3', '4');
        assertThat(PinSource.read("file:" + windows)).containsExactly('5', '6', '7', '8');
        assertThat(PinSource.read("file://" + bare)).containsExactly('p', 'ï', 'n');
    }

    @Test
    void aPinFromTheEnvironment() throws Exception {
        Assumptions.assumeTrue(System.getenv(SoftHsm.PIN_ENV) != null, "the build sets " + SoftHsm.PIN_ENV);
        assertThat(PinSource.read("env:" + SoftHsm.PIN_ENV)).containsExactly(SoftHsm.PIN.toCharArray());
    }

    @Test
    void missingOrUnknownSourcesAreInvalid() {
        assertThatThrownBy(() -> PinSource.read("env:HOPSEAL_NO_SUCH_PIN_VARIABLE")).hasMessageContaining("is not set");
        assertThatThrownBy(() -> PinSource.read("file:" + dir.resolve("absent"))).hasMessageContaining("cannot read the PIN file");
        assertThatThrownBy(() -> PinSource.read("1234")).hasMessageContaining("pin-source must be env:NAME or file:PATH");
        for (String source : new String[] {"env:HOPSEAL_NO_SUCH_PIN_VARIABLE", "file:" + dir.resolve("absent"), "1234"}) {
            assertThat(kindOf(source)).isEqualTo(ErrorKind.INVALID);
        }
    }
}
