package org.hopseal.vault.file;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.wire.BareReader;
import org.hopseal.api.wire.BareWriter;
import org.hopseal.vault.software.store.StoredKeyPair;
import org.hopseal.vault.software.store.StoredState;

/**
 * The bytes of a vault file, version 1 (see {@code docs/file-vault-format.md}).
 *
 * <pre>
 * header   = "HOPSEALV" | u8 format (1) | u8 kdf (1 = Argon2id) | u32 memory_kib | u32 iterations | u8 parallelism
 *            | 16 salt | 16 check | 12 nonce                                        (all integers big-endian)
 * file     = header | AES-256-GCM(key, nonce, ad = header, contents)               (ciphertext then 16-byte tag)
 * check    = first 16 bytes of HMAC-SHA256(key, "hopseal/file-vault/check")
 * contents = u8 version (1) | uint n | (string id | u8 key_type | data private_key)^n | uint m | (string name | data value)^m
 * </pre>
 * The check tells a wrong passphrase (or a damaged salt) apart from damaged contents.
 */
final class VaultFileFormat {
    static final byte[] MAGIC = "HOPSEALV".getBytes(StandardCharsets.US_ASCII);
    static final int FORMAT_VERSION = 1;
    static final int KDF_ARGON2ID = 1;
    static final int SALT = 16;
    static final int CHECK = 16;
    static final int NONCE = 12;
    static final int HEADER_LENGTH = MAGIC.length + 1 + 1 + 4 + 4 + 1 + SALT + CHECK + NONCE;
    static final int TAG = 16;
    static final byte[] CHECK_LABEL = "hopseal/file-vault/check".getBytes(StandardCharsets.US_ASCII);

    private VaultFileFormat() {
    }

    /** A parsed header. */
    record Header(byte[] bytes, KdfParameters kdf, byte[] salt, byte[] check, byte[] nonce) {
    }

    static byte[] header(KdfParameters kdf, byte[] salt, byte[] check, byte[] nonce) {
        return ByteBuffer.allocate(HEADER_LENGTH).put(MAGIC).put((byte) FORMAT_VERSION).put((byte) KDF_ARGON2ID)
                .putInt(kdf.memoryKiB()).putInt(kdf.iterations()).put((byte) kdf.parallelism())
                .put(salt).put(check).put(nonce).array();
    }

    /** Parses the header of a whole file; every defect is a {@link VaultException} naming it. */
    static Header parseHeader(byte[] file) throws VaultException {
        if (file.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(file, MAGIC.length), MAGIC)) {
            throw new VaultException(ErrorKind.INVALID, "not a Hopseal vault file (bad magic bytes)");
        }
        if (file.length < HEADER_LENGTH + TAG) {
            throw new VaultException(ErrorKind.INVALID, "the vault file is truncated (" + file.length + " bytes)");
        }
        ByteBuffer b = ByteBuffer.wrap(file, MAGIC.length, HEADER_LENGTH - MAGIC.length);
        int format = b.get() & 0xFF;
        if (format != FORMAT_VERSION) {
            throw new VaultException(ErrorKind.UNSUPPORTED, "unsupported vault file format version " + format
                    + " (this Hopseal reads version " + FORMAT_VERSION + ")");
        }
        int kdfId = b.get() & 0xFF;
        if (kdfId != KDF_ARGON2ID) {
            throw new VaultException(ErrorKind.UNSUPPORTED, "unknown key derivation function " + kdfId + " in the vault header");
        }
        KdfParameters kdf;
        try {
            kdf = new KdfParameters(b.getInt(), b.getInt(), b.get() & 0xFF);
        } catch (IllegalArgumentException e) {
            throw new VaultException(ErrorKind.INVALID, "the vault header is corrupted: " + e.getMessage());
        }
        byte[] salt = new byte[SALT];
        byte[] check = new byte[CHECK];
        byte[] nonce = new byte[NONCE];
        b.get(salt).get(check).get(nonce);
        return new Header(Arrays.copyOf(file, HEADER_LENGTH), kdf, salt, check, nonce);
    }

    /** Key type codes in the file: fixed, whatever the order of {@link KeyType}. */
    static int keyCode(KeyType type) {
        return switch (type) {
            case ED25519 -> 0;
            case ECDSA_P256 -> 1;
            case X25519 -> 2;
            case P256_ECDH -> 3;
        };
    }

    static KeyType keyType(int code) throws DecodeException {
        return switch (code) {
            case 0 -> KeyType.ED25519;
            case 1 -> KeyType.ECDSA_P256;
            case 2 -> KeyType.X25519;
            case 3 -> KeyType.P256_ECDH;
            default -> throw new DecodeException("unknown key type code " + code);
        };
    }

    /** The plaintext contents for {@code state} (its keys, then its records); the caller wipes them. */
    static byte[] encodeContents(StoredState state) {
        BareWriter w = new BareWriter(1024);
        w.writeU8(1).writeUint(state.keyPairs().size());
        for (StoredKeyPair k : state.keyPairs()) {
            w.writeString(k.id()).writeU8(keyCode(k.type())).writeData(k.privateKey());
        }
        w.writeUint(state.records().size());
        state.records().forEach((name, value) -> w.writeString(name).writeData(value));
        return w.toByteArray();
    }

    /** The keys (by id; of a repeated id the last) and records of plaintext contents; the caller wipes the keys. */
    static StoredState decodeContents(byte[] plaintext) throws DecodeException {
        BareReader r = new BareReader(plaintext);
        int version = r.readU8();
        if (version != 1) {
            throw new DecodeException("unsupported contents version " + version);
        }
        Map<String, StoredKeyPair> keys = new TreeMap<>();
        try {
            int n = r.readLength(3, "keys");
            for (int i = 0; i < n; i++) {
                String id = r.readString();
                KeyType type = keyType(r.readU8());
                StoredKeyPair replaced = keys.put(id, new StoredKeyPair(id, type, r.readData()));
                if (replaced != null) {
                    replaced.wipe();
                }
            }
            Map<String, byte[]> records = new TreeMap<>();
            int m = r.readLength(2, "records");
            for (int i = 0; i < m; i++) {
                records.put(r.readString(), r.readData());
            }
            r.expectEnd("vault contents");
            return new StoredState(new ArrayList<>(keys.values()), records);
        } catch (DecodeException | RuntimeException e) {
            keys.values().forEach(StoredKeyPair::wipe);
            throw e;
        }
    }
}
