package org.hopseal.vault.file;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.hopseal.vault.software.store.StoredState;

/**
 * Reads a vault file with nothing but its passphrase and the documented format, as anyone holding both could: tests
 * use it to see what a file really stores, without asking the vault. The caller wipes the returned state.
 */
final class VaultFileReader {
    private VaultFileReader() {
    }

    static StoredState read(Path file, String passphrase) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        VaultFileFormat.Header header = VaultFileFormat.parseHeader(bytes);
        byte[] key = header.kdf().derive(passphrase.toCharArray(), header.salt());
        byte[] plaintext = null;
        try {
            Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
            aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, header.nonce()));
            aes.updateAAD(header.bytes());
            plaintext = aes.doFinal(bytes, VaultFileFormat.HEADER_LENGTH, bytes.length - VaultFileFormat.HEADER_LENGTH);
            return VaultFileFormat.decodeContents(plaintext);
        } finally {
            Arrays.fill(key, (byte) 0);
            if (plaintext != null) {
                Arrays.fill(plaintext, (byte) 0);
            }
        }
    }

    /** The Argon2id parameters in the file's header. */
    static KdfParameters kdf(Path file) throws Exception {
        return VaultFileFormat.parseHeader(Files.readAllBytes(file)).kdf();
    }
}
