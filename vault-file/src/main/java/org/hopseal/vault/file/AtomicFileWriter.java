package org.hopseal.vault.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * Replaces a file atomically and durably: a temporary file in the same folder (mode 0600, created exclusively),
 * fsync, an atomic rename over the file, fsync of the folder. A crash leaves the old file or the new one, never a
 * mix; a failure leaves the old one (and removes the temporary file if it can).
 */
final class AtomicFileWriter implements VaultFileWriter {
    static final AtomicFileWriter INSTANCE = new AtomicFileWriter();
    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFileWriter() {
    }

    @Override
    public void replace(Path file, byte[] bytes) throws IOException {
        Path dir = file.getParent();
        byte[] suffix = new byte[6];
        RANDOM.nextBytes(suffix);
        Path tmp = dir.resolve("." + file.getFileName() + ".tmp-" + HexFormat.of().formatHex(suffix));
        try {
            try (FileChannel ch = createOwnerOnly(tmp)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system cannot rename atomically", e);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort
            }
            throw e;
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // some platforms cannot open a folder for fsync; the rename is still atomic
        }
    }

    private static FileChannel createOwnerOnly(Path tmp) throws IOException {
        Set<StandardOpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            return FileChannel.open(tmp, options, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            return FileChannel.open(tmp, options);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("temporary file " + tmp + " exists already", e);
        }
    }
}
