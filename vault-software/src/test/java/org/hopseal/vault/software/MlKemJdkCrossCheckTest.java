package org.hopseal.vault.software;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.KEM;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.Encapsulation;
import org.hopseal.api.vault.InsecureSecretAccess;
import org.hopseal.api.vault.KemAlgorithm;
import org.hopseal.api.vault.KemKeyHandle;
import org.hopseal.api.vault.SecretHandle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The vault's ML-KEM-768 (BouncyCastle) against the JDK's own (SunJCE, an independent implementation): each
 * decapsulates what the other encapsulated, and both turn a tampered ciphertext into the same implicit-rejection
 * secret.
 */
class MlKemJdkCrossCheckTest {
    private static final KemAlgorithm ML_KEM_768 = KemAlgorithm.ML_KEM_768;
    /** The JDK's provider, named so that no other provider (BouncyCastle's, say) can stand in for it. */
    private static final String JDK = "SunJCE";
    /**
     * An ML-KEM-768 SubjectPublicKeyInfo up to the raw key: SEQUENCE of 1202 bytes, AlgorithmIdentifier with OID
     * 2.16.840.1.101.3.4.4.2 and no parameters, BIT STRING of 1185 bytes with no unused bits.
     */
    private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("308204b2300b0609608648016503040402038204a100");
    /**
     * An ML-KEM-768 PKCS#8 private key in the expanded form, up to the 2400-byte key: version 0, the OID, an OCTET
     * STRING holding the key's OCTET STRING (the only form JDK 25 imports: it refuses the seed form).
     */
    private static final byte[] PKCS8_EXPANDED_PREFIX =
            HexFormat.of().parseHex("30820978020100300b06096086480165030404020482096404820960");
    private static final int ITERATIONS = 8;

    private final SoftwareVault vault = new SoftwareVault();

    @AfterEach
    void close() {
        vault.close();
    }

    @Test
    void theJdkDecapsulatesWhatTheVaultEncapsulatesToAJdkKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("ML-KEM-768", JDK);
        KEM kem = KEM.getInstance("ML-KEM", JDK);
        for (int i = 0; i < ITERATIONS; i++) {
            KeyPair pair = generator.generateKeyPair();
            Encapsulation sent = vault.encapsulate(ML_KEM_768, rawPublicKey(pair.getPublic()));
            byte[] received = kem.newDecapsulator(pair.getPrivate()).decapsulate(sent.ciphertext()).getEncoded();
            assertThat(received).as("iteration %d", i).hasSize(32).isEqualTo(export(sent.sharedSecret()));
        }
    }

    @Test
    void theVaultDecapsulatesWhatTheJdkEncapsulatesToAVaultKey() throws Exception {
        KEM kem = KEM.getInstance("ML-KEM", JDK);
        for (int i = 0; i < ITERATIONS; i++) {
            KemKeyHandle key = vault.generateKemKey(ML_KEM_768);
            KEM.Encapsulated sent = kem.newEncapsulator(jdkPublicKey(vault.kemPublicKey(key))).encapsulate();
            byte[] received = export(vault.decapsulate(key, sent.encapsulation()));
            assertThat(received).as("iteration %d", i).hasSize(32).isEqualTo(sent.key().getEncoded());
        }
    }

    /**
     * The JDK imports no seed, so each key comes from a Wycheproof key generation vector, which gives the seed (for
     * the vault) and the expanded key derived from it (for the JDK); that the two are one key pair is checked by a
     * genuine ciphertext first.
     */
    @Test
    void aTamperedCiphertextGivesTheSameImplicitRejectionSecretInTheJdkAndTheVault() throws Exception {
        KEM kem = KEM.getInstance("ML-KEM", JDK);
        List<Map<String, String>> vectors = keygenVectors();
        assertThat(vectors).hasSizeGreaterThanOrEqualTo(ITERATIONS);
        for (int i = 0; i < ITERATIONS; i++) {
            KemKeyHandle key = vault.importKemKey(ML_KEM_768, hex(vectors.get(i), "seed"));
            KEM.Decapsulator jdk = kem.newDecapsulator(jdkPrivateKey(hex(vectors.get(i), "dk")));
            Encapsulation sent = vault.encapsulate(ML_KEM_768, vault.kemPublicKey(key));
            byte[] genuine = export(sent.sharedSecret());
            assertThat(jdk.decapsulate(sent.ciphertext()).getEncoded()).as("vector %d: the JDK's key is the vault's", i)
                    .isEqualTo(genuine);

            byte[] tampered = sent.ciphertext();
            tampered[(i * 131) % tampered.length] ^= (byte) (1 << (i % 8));
            byte[] rejectedByVault = export(vault.decapsulate(key, tampered));
            byte[] rejectedByJdk = jdk.decapsulate(tampered).getEncoded();
            assertThat(rejectedByVault).as("vector %d: the vault's implicit rejection", i).hasSize(32).isNotEqualTo(genuine);
            assertThat(rejectedByJdk).as("vector %d: the JDK's implicit rejection", i).isNotEqualTo(genuine);
            assertThat(rejectedByVault).as("vector %d: one implicit-rejection secret", i).isEqualTo(rejectedByJdk);
        }
    }

    /** The raw encapsulation key of a JDK public key: its X.509 encoding after the fixed ML-KEM-768 prefix. */
    private static byte[] rawPublicKey(PublicKey key) {
        assertThat(key.getFormat()).isEqualTo("X.509");
        byte[] der = key.getEncoded();
        assertThat(der).hasSize(SPKI_PREFIX.length + ML_KEM_768.publicKeyLength());
        assertThat(Arrays.copyOf(der, SPKI_PREFIX.length)).as("the ML-KEM-768 SubjectPublicKeyInfo prefix").isEqualTo(SPKI_PREFIX);
        return Arrays.copyOfRange(der, SPKI_PREFIX.length, der.length);
    }

    private static PublicKey jdkPublicKey(byte[] raw) throws GeneralSecurityException {
        return KeyFactory.getInstance("ML-KEM", JDK).generatePublic(new X509EncodedKeySpec(concat(SPKI_PREFIX, raw)));
    }

    private static PrivateKey jdkPrivateKey(byte[] expanded) throws GeneralSecurityException {
        return KeyFactory.getInstance("ML-KEM", JDK).generatePrivate(new PKCS8EncodedKeySpec(concat(PKCS8_EXPANDED_PREFIX, expanded)));
    }

    private byte[] export(SecretHandle secret) throws VaultException {
        return vault.exportSecret(secret, InsecureSecretAccess.get());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] hex(Map<String, String> test, String field) {
        return HexFormat.of().parseHex(test.get(field));
    }

    /** A test object of a Wycheproof file: the innermost braces around a {@code tcId}. */
    private static final Pattern TEST = Pattern.compile("\\{[^{}]*\"tcId\"[^{}]*}");
    private static final Pattern HEX_FIELD = Pattern.compile("\"(\\w+)\"\\s*:\\s*\"([0-9a-fA-F]*)\"");

    /**
     * The hex fields of each test of Wycheproof's ML-KEM-768 key generation file (in the conformance kit's resources;
     * the API's JSON reader is not exported to this module).
     */
    private static List<Map<String, String>> keygenVectors() throws IOException {
        String name = "/vectors/wycheproof/mlkem_768_keygen_seed_test.json";
        try (InputStream in = MlKemJdkCrossCheckTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<Map<String, String>> tests = new ArrayList<>();
            for (Matcher test = TEST.matcher(json); test.find(); ) {
                Map<String, String> fields = new HashMap<>();
                for (Matcher field = HEX_FIELD.matcher(test.group()); field.find(); ) {
                    fields.put(field.group(1), field.group(2));
                }
                assertThat(fields).containsKeys("seed", "dk");
                tests.add(fields);
            }
            return tests;
        }
    }
}
