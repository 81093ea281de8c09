package org.hopseal.vault.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replacing a file through a temporary file and a rename. Crashes: CrashSafetyTest. */
class AtomicFileWriterTest {
    @TempDir
    Path dir;

    private long filesInFolder() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }

    @Test
    void theFileIsReplacedOwnerOnlyAndNoTemporaryFileStays() throws Exception {
        Path file = Files.writeString(dir.resolve("v.vault"), "old");
        AtomicFileWriter.INSTANCE.replace(file, "new".getBytes());
        assertThat(file).hasContent("new");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(filesInFolder()).isEqualTo(1);
    }

    @Test
    void temporaryFilesLeftByCrashedWritersDoNotBlockLaterWrites() throws Exception {
        Path file = dir.resolve("v.vault");
        for (String suffix : new String[] {"000000000000", "ffffffffffff"}) {
            Files.writeString(dir.resolve(".v.vault.tmp-" + suffix), "left by a crash");
        }
        for (int i = 0; i < 20; i++) {
            AtomicFileWriter.INSTANCE.replace(file, new byte[] {(byte) i});
        }
        assertThat(Files.readAllBytes(file)).containsExactly(19);
        assertThat(filesInFolder()).isEqualTo(3);
    }

    @Test
    void aWriteThatFailsLeavesTheFileAndNoTemporaryFile() throws Exception {
        Path file = Files.writeString(dir.resolve("v.vault"), "old");
        Path folderAsTarget = Files.createDirectories(dir.resolve("sub.vault")).resolve("x");
        Files.writeString(folderAsTarget, "in the way");
        assertThatThrownBy(() -> AtomicFileWriter.INSTANCE.replace(dir.resolve("sub.vault"), "new".getBytes()))
                .as("a non-empty folder cannot be renamed over").isInstanceOf(IOException.class);
        assertThat(filesInFolder()).as("the temporary file is removed").isEqualTo(2);
        assertThatThrownBy(() -> AtomicFileWriter.INSTANCE.replace(dir.resolve("gone").resolve("v.vault"), "new".getBytes()))
                .isInstanceOf(NoSuchFileException.class);
        assertThat(file).hasContent("old");
    }
}
