package org.hopseal.vault.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.SigningKeyHandle;
import org.hopseal.vault.software.SoftwareVerifier;
import org.hopseal.vault.software.store.StoredKeyPair;
import org.hopseal.vault.software.store.StoredState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A vault file written by the file vault as it was before the software vault was sealed (when the file vault still
 * subclassed it) opens with the same keys and records: the format did not change.
 */
class FileFormatCompatibilityTest {
    private static final String PASSPHRASE = "format v1 fixture";
    private static final HexFormat HEX = HexFormat.of();
    private static final PublicKey ED25519 = new PublicKey(KeyType.ED25519,
            HEX.parseHex("1d6c6d59ec55b84afb0978007358f8a2c5049f7fcf97f34bfb3d785b268bd520"));
    private static final PublicKey ECDSA_P256 = new PublicKey(KeyType.ECDSA_P256, HEX.parseHex("041a6a53aee4d5bfd3372e8d5ec2aa95"
            + "32b487c2243faf7ddf44e84dd951737e2798e6f91cb1fd2db816a60cfb4b811ddbc7639833d900a92c776bf3ed61071582"));
    private static final PublicKey X25519 = new PublicKey(KeyType.X25519,
            HEX.parseHex("fdd49c3f94755be8b17ff9e747461410191b38563121a7eb792b59e2d089fb65"));
    private static final PublicKey P256_ECDH = new PublicKey(KeyType.P256_ECDH, HEX.parseHex("0460fed4ba255a9d31c961eb74c6356d"
            + "68c049b8923b61fa6ce669622e60f29fb67903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299"));

    @TempDir
    Path dir;

    private Path fixture() throws Exception {
        Path file = dir.resolve("format-v1.vault");
        try (InputStream in = getClass().getResourceAsStream("/format-v1.vault")) {
            Files.copy(in, file);
        }
        return file;
    }

    @Test
    void aVaultWrittenBeforeTheSealOpensWithItsKeysAndRecordsAndIsNotRewritten() throws Exception {
        Path file = fixture();
        byte[] before = Files.readAllBytes(file);
        try (FileVault v = FileVault.open(file, PASSPHRASE.toCharArray(), FileVaultContractTest.FAST, true)) {
            for (PublicKey identity : new PublicKey[] {ED25519, ECDSA_P256}) {
                SigningKeyHandle key = v.find(identity).orElseThrow();
                byte[] signature = v.sign(key, "still mine".getBytes());
                new SoftwareVerifier().verify(identity, "still mine".getBytes(), signature);
            }
            assertThat(v.signingKeys()).hasSize(2);
            assertThat(v.agreementKeys()).hasSize(2);
            for (AgreementKeyHandle key : v.agreementKeys()) {
                assertThat(v.publicKey(key)).isIn(X25519, P256_ECDH);
            }
            assertThat(v.recordNames()).containsExactly("contacts/bob", "identity/default");
            assertThat(v.record("identity/default")).hasValueSatisfying(r -> assertThat(r).containsExactly(1, 2, 3));
        }
        assertThat(Files.readAllBytes(file)).as("opening and reading never writes").isEqualTo(before);
    }

    @Test
    void aChangeKeepsTheStoredIdsAndTheFormat() throws Exception {
        Path file = fixture();
        StoredState stored = VaultFileReader.read(file, PASSPHRASE);
        List<String> ids = stored.keyPairs().stream().map(StoredKeyPair::id).toList();
        stored.wipe();
        try (FileVault v = FileVault.open(file, PASSPHRASE.toCharArray(), FileVaultContractTest.FAST, true)) {
            assertThat(v.signingKeys().stream().map(SigningKeyHandle::id)).isSubsetOf(ids);
            v.putRecord("identity/new", new byte[] {9});
        }
        StoredState after = VaultFileReader.read(file, PASSPHRASE);
        assertThat(after.keyPairs().stream().map(StoredKeyPair::id).toList()).isEqualTo(ids);
        assertThat(after.records()).containsOnlyKeys("contacts/bob", "identity/default", "identity/new");
        after.wipe();
    }
}
