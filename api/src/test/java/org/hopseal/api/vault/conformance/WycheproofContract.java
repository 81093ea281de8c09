package org.hopseal.api.vault.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.hopseal.api.error.AuthenticationFailedException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.AeadAlgorithm;
import org.hopseal.api.vault.AeadKeyHandle;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.vault.Encapsulation;
import org.hopseal.api.vault.HashAlgorithm;
import org.hopseal.api.vault.InsecureSecretAccess;
import org.hopseal.api.vault.KemAlgorithm;
import org.hopseal.api.vault.KemKeyHandle;
import org.hopseal.api.vault.KeyHandle;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Persistence;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.SecretHandle;
import org.hopseal.api.vault.SecureChannelVault;
import org.hopseal.api.vault.Vaults;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * Every Wycheproof case of the files under {@code vectors/wycheproof}, each its own reported test, run through a
 * vault's handles. A vault module extends this class with {@link #openVaults()}.
 *
 * <p>{@code valid} cases must pass and {@code invalid} ones must be rejected. Our documented choice for
 * {@code acceptable} cases: the vault either computes the expected result or rejects the input with an
 * {@code INVALID} error; the one exception is X25519's {@code ZeroSharedSecret} (low-order points), which must be
 * rejected. Algorithms a vault does not offer are skipped (reported as aborted), never silently passed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class WycheproofContract {
    private Vaults vaults;

    /** Opens the vaults under test; they are closed after all cases. */
    protected abstract Vaults openVaults() throws Exception;

    @BeforeAll
    void open() throws Exception {
        vaults = openVaults();
    }

    @AfterAll
    void close() {
        vaults.close();
    }

    private SecureChannelVault channel() {
        return vaults.channel();
    }

    private Stream<DynamicTest> cases(String file, CaseCheck check) {
        return Wycheproof.load(file).stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check.run(c)));
    }

    interface CaseCheck {
        void run(Wycheproof.Case c) throws Exception;
    }

    /** Deletes what a case created, so that the vault does not grow over thousands of cases. */
    private void deleteAll(List<KeyHandle> handles) throws VaultException {
        for (KeyHandle h : handles) {
            channel().delete(h);
        }
    }

    private void assumeAgreement(KeyType type) {
        Assumptions.assumeTrue(channel().agreementKeyTypes().contains(type), "vault lacks " + type);
    }

    /** Checks a secret against expected bytes: exported where the vault allows, else through HMAC. */
    private void assertSecretEquals(SecretHandle secret, byte[] expected) throws Exception {
        byte[] actual;
        try {
            actual = channel().exportSecret(secret, InsecureSecretAccess.get());
        } catch (VaultException e) {
            assertThat(e.kind()).isEqualTo(ErrorKind.UNSUPPORTED);
            byte[] probe = "wycheproof".getBytes();
            SecretHandle expectedHandle = channel().importSecret(expected);
            try {
                assertThat(channel().hmac(HashAlgorithm.SHA256, secret, probe))
                        .isEqualTo(channel().hmac(HashAlgorithm.SHA256, expectedHandle, probe));
            } finally {
                channel().delete(expectedHandle);
            }
            return;
        }
        assertThat(actual).isEqualTo(expected);
    }

    /** Checks that two secrets of this vault are equal, through HMAC (which every vault offers). */
    private void assertSameSecret(SecretHandle a, SecretHandle b, boolean expected) throws Exception {
        byte[] probe = "wycheproof".getBytes();
        boolean same = Arrays.equals(channel().hmac(HashAlgorithm.SHA256, a, probe), channel().hmac(HashAlgorithm.SHA256, b, probe));
        assertThat(same).as(expected ? "the two secrets are equal" : "the two secrets differ").isEqualTo(expected);
    }

    interface VaultCall {
        Object run() throws Exception;
    }

    /** An invalid input must be refused with {@code INVALID}. */
    private static void assertInvalid(String what, VaultCall call) {
        assertThatThrownBy(call::run).as(what + " is refused").isInstanceOfSatisfying(VaultException.class,
                e -> assertThat(e.kind()).as(what + " is refused as INVALID").isEqualTo(ErrorKind.INVALID));
    }

    private static void expectAcceptableRejection(Exception e) {
        if (e instanceof VaultException ve && ve.kind() == ErrorKind.INVALID) {
            return;
        }
        fail("acceptable case must either compute the expected result or be rejected as INVALID, got " + e);
    }

    // ---- X25519 -------------------------------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> x25519() {
        return cases("x25519_test.json", c -> {
            assumeAgreement(KeyType.X25519);
            List<KeyHandle> created = new ArrayList<>();
            AgreementKeyHandle key = channel().importAgreementKey(KeyType.X25519, c.bytes("private"), Persistence.EPHEMERAL);
            created.add(key);
            try {
                boolean mustReject = c.flags().contains("ZeroSharedSecret") || c.result().equals("invalid");
                try {
                    SecretHandle shared = channel().agree(key, new PublicKey(KeyType.X25519, c.bytes("public")));
                    created.add(shared);
                    if (mustReject) {
                        fail("a low-order or invalid public key must be rejected");
                    }
                    assertSecretEquals(shared, c.bytes("shared"));
                } catch (VaultException e) {
                    if (!mustReject) {
                        if (c.result().equals("acceptable")) {
                            expectAcceptableRejection(e);
                        } else {
                            throw e;
                        }
                    } else {
                        assertThat(e.kind()).isEqualTo(ErrorKind.INVALID);
                    }
                }
            } finally {
                deleteAll(created);
            }
        });
    }

    // ---- ML-KEM-768 ---------------------------------------------------------------------------------------------

    private static final KemAlgorithm ML_KEM_768 = KemAlgorithm.ML_KEM_768;

    private void assumeKem() {
        Assumptions.assumeTrue(channel().kemAlgorithms().contains(ML_KEM_768), "vault lacks " + ML_KEM_768);
    }

    /**
     * Key generation from the seed, then decapsulation: valid cases (including wrong ciphertexts, whose secret is the
     * implicit rejection's) give K; a seed or ciphertext of the wrong length is refused where it is given.
     */
    @TestFactory
    Stream<DynamicTest> mlKem768() {
        return cases("mlkem_768_test.json", c -> {
            assumeKem();
            byte[] seed = c.bytes("seed");
            if (seed.length != ML_KEM_768.seedLength()) {
                assertThat(c.result()).as("a case with a wrong-length seed").isEqualTo("invalid");
                assertInvalid("a " + seed.length + "-byte seed", () -> channel().importKemKey(ML_KEM_768, seed));
                return;
            }
            List<KeyHandle> created = new ArrayList<>();
            KemKeyHandle key = channel().importKemKey(ML_KEM_768, seed);
            created.add(key);
            try {
                assertThat(channel().kemPublicKey(key)).as("ek").isEqualTo(c.bytes("ek"));
                byte[] ciphertext = c.bytes("c");
                if (c.result().equals("valid")) {
                    SecretHandle shared = channel().decapsulate(key, ciphertext);
                    created.add(shared);
                    assertSecretEquals(shared, c.bytes("K"));
                } else {
                    assertInvalid("a " + ciphertext.length + "-byte ciphertext", () -> channel().decapsulate(key, ciphertext));
                }
            } finally {
                deleteAll(created);
            }
        });
    }

    /**
     * Encapsulation with the vector's randomness m gives c and K; an encapsulation key of the wrong length or failing
     * the modulus check is refused, with or without the caller's randomness.
     */
    @TestFactory
    Stream<DynamicTest> mlKem768Encaps() {
        return cases("mlkem_768_encaps_test.json", c -> {
            assumeKem();
            byte[] ek = c.bytes("ek");
            byte[] m = c.bytes("m");
            if (!c.result().equals("valid")) {
                assertInvalid("the encapsulation key", () -> channel().encapsulate(ML_KEM_768, ek, m));
                assertInvalid("the encapsulation key", () -> channel().encapsulate(ML_KEM_768, ek));
                return;
            }
            Encapsulation encapsulation = channel().encapsulate(ML_KEM_768, ek, m);
            try {
                assertThat(encapsulation.ciphertext()).as("c").isEqualTo(c.bytes("c"));
                assertSecretEquals(encapsulation.sharedSecret(), c.bytes("K"));
            } finally {
                channel().delete(encapsulation.sharedSecret());
            }
        });
    }

    /**
     * Key generation from the seed gives ek (the expanded dk stays in the vault): a fresh encapsulation to ek
     * decapsulates to its secret, and the same ciphertext with one bit flipped to another one.
     */
    @TestFactory
    Stream<DynamicTest> mlKem768KeygenSeed() {
        return cases("mlkem_768_keygen_seed_test.json", c -> {
            assumeKem();
            List<KeyHandle> created = new ArrayList<>();
            KemKeyHandle key = channel().importKemKey(ML_KEM_768, c.bytes("seed"));
            created.add(key);
            try {
                assertThat(channel().kemPublicKey(key)).as("ek").isEqualTo(c.bytes("ek"));
                Encapsulation encapsulation = channel().encapsulate(ML_KEM_768, c.bytes("ek"));
                created.add(encapsulation.sharedSecret());
                SecretHandle shared = channel().decapsulate(key, encapsulation.ciphertext());
                created.add(shared);
                assertSameSecret(shared, encapsulation.sharedSecret(), true);
                byte[] tampered = encapsulation.ciphertext();
                tampered[tampered.length / 2] ^= 1;
                SecretHandle rejected = channel().decapsulate(key, tampered);
                created.add(rejected);
                assertSameSecret(rejected, encapsulation.sharedSecret(), false);
            } finally {
                deleteAll(created);
            }
        });
    }

    // ---- Signatures ---------------------------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> ed25519() {
        return cases("ed25519_test.json", c -> {
            @SuppressWarnings("unchecked")
            String pk = (String) ((java.util.Map<String, Object>) c.group().get("publicKey")).get("pk");
            verifyCase(c, new PublicKey(KeyType.ED25519, java.util.HexFormat.of().parseHex(pk)));
        });
    }

    @TestFactory
    Stream<DynamicTest> ecdsaP256P1363() {
        return cases("ecdsa_secp256r1_sha256_p1363_test.json", c -> {
            @SuppressWarnings("unchecked")
            String point = (String) ((java.util.Map<String, Object>) c.group().get("publicKey")).get("uncompressed");
            PublicKey key = new PublicKey(KeyType.ECDSA_P256, java.util.HexFormat.of().parseHex(point));
            byte[] sig = c.bytes("sig");
            if (c.result().equals("valid") && isHighS(sig)) {
                // Hopseal accepts one encoding per signature: a valid high-S signature is refused, its low-S twin verifies.
                assertThatThrownBy(() -> vaults.verifier().verify(key, c.bytes("msg"), sig)).as("a high-S signature is refused")
                        .isInstanceOf(AuthenticationFailedException.class);
                vaults.verifier().verify(key, c.bytes("msg"), withLowS(sig));
                return;
            }
            verifyCase(c, key);
        });
    }

    /** The order of the P-256 group. */
    private static final BigInteger P256_ORDER = new BigInteger("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", 16);

    private static boolean isHighS(byte[] sig) {
        return sig.length == 64 && new BigInteger(1, Arrays.copyOfRange(sig, 32, 64)).compareTo(P256_ORDER.shiftRight(1)) > 0;
    }

    private static byte[] withLowS(byte[] sig) {
        byte[] s = P256_ORDER.subtract(new BigInteger(1, Arrays.copyOfRange(sig, 32, 64))).toByteArray();
        byte[] out = sig.clone();
        Arrays.fill(out, 32, 64, (byte) 0);
        int len = Math.min(32, s.length);
        System.arraycopy(s, s.length - len, out, 64 - len, len);
        return out;
    }

    private void verifyCase(Wycheproof.Case c, PublicKey key) throws Exception {
        boolean verified;
        try {
            vaults.verifier().verify(key, c.bytes("msg"), c.bytes("sig"));
            verified = true;
        } catch (AuthenticationFailedException e) {
            verified = false;
        }
        switch (c.result()) {
            case "valid" -> assertThat(verified).as("valid signature verifies").isTrue();
            case "invalid" -> assertThat(verified).as("invalid signature is rejected").isFalse();
            default -> { } // acceptable: either answer is allowed
        }
    }

    // ---- P-256 ECDH, both encodings -----------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> ecdhP256Asn1() {
        return cases("ecdh_secp256r1_test.json", c -> {
            byte[] point;
            try {
                ECPublicKey pub = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(c.bytes("public")));
                if (pub.getParams().getCurve().getField().getFieldSize() != 256 || !isP256(pub)) {
                    throw new IllegalArgumentException("not P-256");
                }
                point = uncompressed(pub);
            } catch (Exception e) {
                // Unparseable or wrong-curve SubjectPublicKeyInfo: rejected before it reaches the vault.
                assertThat(c.result()).as("a valid key failed to parse: " + e).isNotEqualTo("valid");
                return;
            }
            ecdhCase(c, point);
        });
    }

    @TestFactory
    Stream<DynamicTest> ecdhP256Point() {
        return cases("ecdh_secp256r1_ecpoint_test.json", c -> ecdhCase(c, c.bytes("public")));
    }

    private void ecdhCase(Wycheproof.Case c, byte[] point) throws Exception {
        assumeAgreement(KeyType.P256_ECDH);
        byte[] priv = fixed32(new BigInteger(c.hex("private"), 16));
        List<KeyHandle> created = new ArrayList<>();
        AgreementKeyHandle key = channel().importAgreementKey(KeyType.P256_ECDH, priv, Persistence.EPHEMERAL);
        created.add(key);
        try {
            SecretHandle shared = channel().agree(key, new PublicKey(KeyType.P256_ECDH, point));
            created.add(shared);
            assertThat(c.result()).as("an invalid public key was accepted").isNotEqualTo("invalid");
            assertSecretEquals(shared, c.bytes("shared"));
        } catch (VaultException e) {
            switch (c.result()) {
                case "valid" -> throw e;
                case "acceptable" -> expectAcceptableRejection(e);
                default -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID);
            }
        } finally {
            deleteAll(created);
        }
    }

    private static boolean isP256(ECPublicKey pub) {
        return pub.getParams().getOrder().equals(new BigInteger("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", 16))
                && pub.getParams().getCofactor() == 1;
    }

    private static byte[] uncompressed(ECPublicKey pub) {
        byte[] out = new byte[65];
        out[0] = 4;
        System.arraycopy(fixed32(pub.getW().getAffineX()), 0, out, 1, 32);
        System.arraycopy(fixed32(pub.getW().getAffineY()), 0, out, 33, 32);
        return out;
    }

    private static byte[] fixed32(BigInteger v) {
        byte[] b = v.toByteArray();
        byte[] out = new byte[32];
        int n = Math.min(b.length, 32);
        System.arraycopy(b, b.length - n, out, 32 - n, n);
        return out;
    }

    // ---- AEAD ---------------------------------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> aesGcm() {
        return cases("aes_gcm_test.json", c -> {
            Assumptions.assumeTrue(c.groupLong("ivSize") == 96 && c.groupLong("tagSize") == 128,
                    "only 96-bit nonces and 128-bit tags are offered");
            AeadAlgorithm alg = switch ((int) c.groupLong("keySize")) {
                case 128 -> AeadAlgorithm.AES_128_GCM;
                case 192 -> AeadAlgorithm.AES_192_GCM;
                default -> AeadAlgorithm.AES_256_GCM;
            };
            aeadCase(c, alg);
        });
    }

    @TestFactory
    Stream<DynamicTest> chacha20Poly1305() {
        return cases("chacha20_poly1305_test.json", c -> {
            Assumptions.assumeTrue(c.groupLong("ivSize") == 96, "only 96-bit nonces are offered");
            aeadCase(c, AeadAlgorithm.CHACHA20_POLY1305);
        });
    }

    private void aeadCase(Wycheproof.Case c, AeadAlgorithm alg) throws Exception {
        Assumptions.assumeTrue(channel().aeadAlgorithms().contains(alg), "vault lacks " + alg);
        List<KeyHandle> created = new ArrayList<>();
        SecretHandle secret = channel().importSecret(c.bytes("key"));
        created.add(secret);
        try {
            AeadKeyHandle key = channel().toAeadKey(secret, alg);
            created.add(key);
            byte[] expected = concat(c.bytes("ct"), c.bytes("tag"));
            byte[] nonce = c.bytes("iv");
            if (c.result().equals("valid")) {
                assertThat(channel().aeadEncrypt(key, nonce, c.bytes("aad"), c.bytes("msg"))).isEqualTo(expected);
                assertThat(channel().aeadDecrypt(key, nonce, c.bytes("aad"), expected)).isEqualTo(c.bytes("msg"));
            } else {
                assertThatThrownBy(() -> channel().aeadDecrypt(key, nonce, c.bytes("aad"), expected))
                        .isInstanceOfAny(AuthenticationFailedException.class);
            }
        } finally {
            deleteAll(created);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    // ---- HKDF and HMAC ------------------------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> hkdfSha256() {
        return cases("hkdf_sha256_test.json", c -> {
            List<KeyHandle> created = new ArrayList<>();
            SecretHandle salt = channel().importSecret(c.bytes("salt"));
            SecretHandle ikm = channel().importSecret(c.bytes("ikm"));
            created.add(salt);
            created.add(ikm);
            int size = (int) (long) (Long) c.test().get("size");
            try {
                List<SecretHandle> out = channel().hkdf(HashAlgorithm.SHA256, salt, ikm, c.bytes("info"), List.of(size));
                created.addAll(out);
                assertThat(c.result()).as("an invalid HKDF request was accepted").isNotEqualTo("invalid");
                assertSecretEquals(out.get(0), c.bytes("okm"));
            } catch (VaultException e) {
                if (c.result().equals("valid")) {
                    throw e;
                }
                assertThat(e.kind()).isEqualTo(ErrorKind.INVALID);
            } finally {
                deleteAll(created);
            }
        });
    }

    @TestFactory
    Stream<DynamicTest> hmacSha256() {
        return cases("hmac_sha256_test.json", c -> {
            SecretHandle key = channel().importSecret(c.bytes("key"));
            try {
                byte[] full = channel().hmac(HashAlgorithm.SHA256, key, c.bytes("msg"));
                byte[] tag = Arrays.copyOf(full, (int) c.groupLong("tagSize") / 8);
                boolean matches = java.security.MessageDigest.isEqual(tag, c.bytes("tag"));
                assertThat(matches).as("tag comparison").isEqualTo(c.result().equals("valid"));
            } finally {
                channel().delete(key);
            }
        });
    }

}
