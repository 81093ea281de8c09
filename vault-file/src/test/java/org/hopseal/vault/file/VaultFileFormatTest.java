package org.hopseal.vault.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.KeyType;
import org.hopseal.vault.software.store.StoredKeyPair;
import org.hopseal.vault.software.store.StoredState;
import org.junit.jupiter.api.Test;

/** The bytes of format version 1, pinned: files written before must still read, and new files must read elsewhere. */
class VaultFileFormatTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] SALT = filled(16, 0x11);
    private static final byte[] CHECK = filled(16, 0x22);
    private static final byte[] NONCE = filled(12, 0x33);

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private static byte[] file(byte[] header, int bodyLength) {
        return ByteBuffer.allocate(header.length + bodyLength).put(header).array();
    }

    private static ErrorKind kindOf(byte[] file) {
        try {
            VaultFileFormat.parseHeader(file);
        } catch (VaultException e) {
            return e.kind();
        }
        throw new AssertionError("parsed");
    }

    @Test
    void theHeaderIsMagicVersionKdfParametersSaltCheckAndNonceBigEndian() {
        byte[] header = VaultFileFormat.header(new KdfParameters(65536, 3, 4), SALT, CHECK, NONCE);
        assertThat(HEX.formatHex(header)).isEqualTo("484f505345414c56" + "01" + "01" + "00010000" + "00000003" + "04"
                + "11".repeat(16) + "22".repeat(16) + "33".repeat(12));
        assertThat(header).hasSize(VaultFileFormat.HEADER_LENGTH).hasSize(63);
    }

    @Test
    void aHeaderParsesBackToItsValues() throws Exception {
        byte[] header = VaultFileFormat.header(new KdfParameters(8192, 2, 3), SALT, CHECK, NONCE);
        VaultFileFormat.Header h = VaultFileFormat.parseHeader(file(header, VaultFileFormat.TAG));
        assertThat(h.kdf()).isEqualTo(new KdfParameters(8192, 2, 3));
        assertThat(h.salt()).isEqualTo(SALT);
        assertThat(h.check()).isEqualTo(CHECK);
        assertThat(h.nonce()).isEqualTo(NONCE);
        assertThat(h.bytes()).isEqualTo(header);
    }

    @Test
    void aFileShorterThanHeaderAndTagIsTruncatedAndOneWithoutTheMagicIsNoVault() {
        byte[] header = VaultFileFormat.header(new KdfParameters(8192, 2, 3), SALT, CHECK, NONCE);
        assertThatThrownBy(() -> VaultFileFormat.parseHeader(file(header, VaultFileFormat.TAG - 1)))
                .hasMessageContaining("truncated (78 bytes)");
        assertThatThrownBy(() -> VaultFileFormat.parseHeader("HOPSEAL".getBytes())).hasMessageContaining("bad magic bytes");
        assertThatThrownBy(() -> VaultFileFormat.parseHeader(new byte[0])).hasMessageContaining("bad magic bytes");
        assertThat(kindOf(Arrays.copyOf(header, 8))).isEqualTo(ErrorKind.INVALID);
    }

    @Test
    void anotherFormatVersionOrKdfIsUnsupportedAndParametersOutOfRangeAreCorruption() {
        byte[] header = VaultFileFormat.header(new KdfParameters(8192, 2, 3), SALT, CHECK, NONCE);
        byte[] version = file(header, 16);
        version[8] = 2;
        assertThat(kindOf(version)).isEqualTo(ErrorKind.UNSUPPORTED);
        assertThatThrownBy(() -> VaultFileFormat.parseHeader(version)).hasMessageContaining("format version 2");
        byte[] kdf = file(header, 16);
        kdf[9] = 2;
        assertThat(kindOf(kdf)).isEqualTo(ErrorKind.UNSUPPORTED);
        byte[] lanes = file(header, 16);
        lanes[18] = 0;
        assertThat(kindOf(lanes)).isEqualTo(ErrorKind.INVALID);
        assertThatThrownBy(() -> VaultFileFormat.parseHeader(lanes)).hasMessageContaining("header is corrupted");
    }

    @Test
    void contentsAreVersionKeysThenRecordsWithFixedKeyTypeCodes() throws Exception {
        StoredState state = new StoredState(List.of(
                new StoredKeyPair("a", KeyType.ED25519, new byte[] {0x0a}),
                new StoredKeyPair("b", KeyType.ECDSA_P256, new byte[] {0x0b}),
                new StoredKeyPair("c", KeyType.X25519, new byte[] {0x0c}),
                new StoredKeyPair("d", KeyType.P256_ECDH, new byte[] {0x0d})), Map.of("r", new byte[] {5, 6}));
        byte[] encoded = VaultFileFormat.encodeContents(state);
        assertThat(HEX.formatHex(encoded)).isEqualTo("01" + "04" + "016100010a" + "016201010b" + "016302010c" + "016403010d"
                + "01" + "0172" + "020506");
        StoredState decoded = VaultFileFormat.decodeContents(encoded);
        assertThat(decoded.keyPairs()).extracting(StoredKeyPair::id).containsExactly("a", "b", "c", "d");
        assertThat(decoded.keyPairs()).extracting(StoredKeyPair::type)
                .containsExactly(KeyType.ED25519, KeyType.ECDSA_P256, KeyType.X25519, KeyType.P256_ECDH);
        assertThat(decoded.keyPairs().get(3).privateKey()).containsExactly(0x0d);
        assertThat(decoded.records()).containsOnlyKeys("r");
        assertThat(decoded.records().get("r")).containsExactly(5, 6);
    }

    @Test
    void ofARepeatedIdTheLastKeyIsKept() throws Exception {
        StoredState decoded = VaultFileFormat.decodeContents(HEX.parseHex("01" + "02" + "016100010a" + "016102010c" + "00"));
        assertThat(decoded.keyPairs()).hasSize(1);
        assertThat(decoded.keyPairs().getFirst().type()).isEqualTo(KeyType.X25519);
        assertThat(decoded.keyPairs().getFirst().privateKey()).containsExactly(0x0c);
    }

    @Test
    void malformedContentsAreDecodeErrorsNamingTheDefect() {
        assertThatThrownBy(() -> VaultFileFormat.decodeContents(HEX.parseHex("020000")))
                .isInstanceOf(DecodeException.class).hasMessageContaining("contents version 2");
        assertThatThrownBy(() -> VaultFileFormat.decodeContents(HEX.parseHex("01" + "01" + "016104010a" + "00")))
                .isInstanceOf(DecodeException.class).hasMessageContaining("unknown key type code 4");
        assertThatThrownBy(() -> VaultFileFormat.decodeContents(HEX.parseHex("01000000")))
                .isInstanceOf(DecodeException.class).hasMessageContaining("vault contents");
        assertThatThrownBy(() -> VaultFileFormat.decodeContents(HEX.parseHex("0101")))
                .isInstanceOf(DecodeException.class);
        assertThat(VaultFileFormat.keyCode(KeyType.P256_ECDH)).isEqualTo(3);
    }
}
