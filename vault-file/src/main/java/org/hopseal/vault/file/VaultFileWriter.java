package org.hopseal.vault.file;

import java.io.IOException;
import java.nio.file.Path;

/** How a vault's bytes reach its file: {@link AtomicFileWriter}; tests give one that fails. */
@FunctionalInterface
interface VaultFileWriter {
    /** Replaces the contents of {@code file} with {@code bytes}; if this throws, {@code file} is as it was. */
    void replace(Path file, byte[] bytes) throws IOException;
}
