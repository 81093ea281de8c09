package org.hopseal.vault.file;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.error.VaultException;
import org.junit.jupiter.api.Timeout;

/**
 * The file-vault reader: any file content yields a {@link VaultException} (or opens, if it is a vault with this
 * passphrase), never another exception, and the file is never written. The contents parser is fuzzed on its own too,
 * since the tag normally keeps random bytes from reaching it.
 *
 * <p>The timeout is longer than the build's default: fuzzing runs a target for its {@code maxDuration}.
 */
@Timeout(value = 11, unit = TimeUnit.MINUTES)
class VaultFileFuzzTest {
    private static final KdfParameters FAST = new KdfParameters(8, 1, 1);

    @FuzzTest(maxDuration = "10m")
    void open(byte[] input) throws Exception {
        try {
            KdfParameters kdf = VaultFileFormat.parseHeader(input).kdf();
            if (kdf.memoryKiB() > 1024 || kdf.iterations() > 2) {
                // A file may ask for up to 4 GiB of Argon2id memory (its own parameters, bounded); that is too slow
                // to fuzz, and parseHeader's bounds are fuzzed here already.
                return;
            }
        } catch (VaultException notAVault) {
            // open() must report the same
        }
        Path dir = Files.createTempDirectory("fuzz-vault");
        Path file = dir.resolve("v.vault");
        Files.write(file, input);
        try (FileVault v = FileVault.open(file, "fuzz".toCharArray(), FAST, true)) {
            v.signingKeys();
        } catch (VaultException expected) {
            // the documented failure
        } finally {
            byte[] after = Files.readAllBytes(file);
            if (!java.util.Arrays.equals(after, input)) {
                throw new AssertionError("a vault that failed to read (or only read) wrote the file");
            }
            Files.deleteIfExists(dir.resolve("v.vault.lock"));
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    @FuzzTest(maxDuration = "10m")
    void contents(byte[] input) {
        try {
            VaultFileFormat.decodeContents(input);
        } catch (DecodeException expected) {
            // the documented failure
        }
    }
}
