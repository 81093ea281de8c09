package org.hopseal.api.vault.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.hopseal.api.error.AuthenticationFailedException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.AeadAlgorithm;
import org.hopseal.api.vault.AeadKeyHandle;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.vault.Encapsulation;
import org.hopseal.api.vault.HashAlgorithm;
import org.hopseal.api.vault.KemAlgorithm;
import org.hopseal.api.vault.KemKeyHandle;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Persistence;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.SecretHandle;
import org.hopseal.api.vault.SecureChannelVault;
import org.hopseal.api.vault.SigningKeyHandle;
import org.hopseal.api.vault.SigningVault;
import org.hopseal.api.vault.Vaults;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every vault must do with its handles, whatever holds the keys. A vault module extends this class with
 * {@link #openVaults()}; operations a vault does not offer must fail with {@code UNSUPPORTED}, and the checks that
 * need them are skipped.
 */
public abstract class VaultContract {
    protected Vaults vaults;

    /** Opens fresh vaults for one test; they are closed after it. */
    protected abstract Vaults openVaults() throws Exception;

    @BeforeEach
    void open() throws Exception {
        vaults = openVaults();
    }

    @AfterEach
    void close() {
        vaults.close();
    }

    private SigningVault signing() {
        return vaults.identity();
    }

    private SecureChannelVault channel() {
        return vaults.channel();
    }

    private static ErrorKind kindOf(ThrowingCall call) {
        try {
            call.run();
        } catch (HopsealException e) {
            return e.kind();
        }
        throw new AssertionError("expected an error");
    }

    interface ThrowingCall {
        void run() throws HopsealException;
    }

    // ---- signing ----------------------------------------------------------------------------------------------

    @Test
    void signsAndVerifiesWithEverySupportedKeyType() throws Exception {
        assertThat(signing().signingKeyTypes()).isNotEmpty();
        for (KeyType type : signing().signingKeyTypes()) {
            SigningKeyHandle key = signing().generateSigningKey(type);
            PublicKey pub = signing().publicKey(key);
            assertThat(pub.type()).isEqualTo(type);
            byte[] data = ("message for " + type).getBytes(StandardCharsets.UTF_8);
            byte[] sig = signing().sign(key, data);
            assertThat(sig).hasSize(64);
            vaults.verifier().verify(pub, data, sig);
            byte[] other = ("other message for " + type).getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> vaults.verifier().verify(pub, other, sig)).isInstanceOf(AuthenticationFailedException.class);
            assertThat(signing().find(pub)).contains(key);
            assertThat(signing().signingKeys()).contains(key);
        }
    }

    @Test
    void ecdsaSignaturesAreLowSAndTheirHighSTwinsAreRefused() throws Exception {
        if (!signing().signingKeyTypes().contains(KeyType.ECDSA_P256)) {
            return;
        }
        BigInteger n = new BigInteger("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", 16);
        SigningKeyHandle key = signing().generateSigningKey(KeyType.ECDSA_P256);
        PublicKey pub = signing().publicKey(key);
        for (int i = 0; i < 32; i++) {
            byte[] data = ("low-S " + i).getBytes(StandardCharsets.UTF_8);
            byte[] sig = signing().sign(key, data);
            BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
            assertThat(s).as("signature %d is in low-S form", i).isLessThanOrEqualTo(n.shiftRight(1));
            vaults.verifier().verify(pub, data, sig);
            byte[] twin = sig.clone();
            byte[] high = n.subtract(s).toByteArray();
            Arrays.fill(twin, 32, 64, (byte) 0);
            int len = Math.min(32, high.length);
            System.arraycopy(high, high.length - len, twin, 64 - len, len);
            assertThatThrownBy(() -> vaults.verifier().verify(pub, data, twin)).as("the (r, n−s) twin is refused")
                    .isInstanceOf(AuthenticationFailedException.class);
        }
    }

    @Test
    void unsupportedSigningTypesAreUnsupportedErrors() {
        for (KeyType type : KeyType.values()) {
            if (!signing().signingKeyTypes().contains(type)) {
                assertThat(kindOf(() -> signing().generateSigningKey(type))).isEqualTo(ErrorKind.UNSUPPORTED);
            }
        }
    }

    @Test
    void deletedSigningKeyIsNotFound() throws Exception {
        KeyType type = signing().signingKeyTypes().iterator().next();
        SigningKeyHandle key = signing().generateSigningKey(type);
        PublicKey pub = signing().publicKey(key);
        signing().delete(key);
        assertThat(kindOf(() -> signing().sign(key, new byte[1]))).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(kindOf(() -> signing().delete(key))).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(signing().find(pub)).isEmpty();
    }

    @Test
    void unknownHandleIsNotFound() {
        KeyType type = signing().signingKeyTypes().iterator().next();
        SigningKeyHandle forged = new SigningKeyHandle("no-such-key", type);
        assertThat(kindOf(() -> signing().sign(forged, new byte[1]))).isEqualTo(ErrorKind.NOT_FOUND);
    }

    @Test
    void everySignatureFromSixtyFourVirtualThreadsVerifies() throws Exception {
        KeyType type = signing().signingKeyTypes().contains(KeyType.ED25519) ? KeyType.ED25519 : KeyType.ECDSA_P256;
        SigningKeyHandle key = signing().generateSigningKey(type);
        PublicKey pub = signing().publicKey(key);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Void>> results = new ArrayList<>();
            for (int t = 0; t < 64; t++) {
                int id = t;
                results.add(pool.submit((Callable<Void>) () -> {
                    for (int i = 0; i < 20; i++) {
                        byte[] data = (id + "/" + i).getBytes(StandardCharsets.UTF_8);
                        vaults.verifier().verify(pub, data, signing().sign(key, data));
                    }
                    return null;
                }));
            }
            for (Future<Void> f : results) {
                f.get();
            }
        }
    }

    // ---- secure channel ---------------------------------------------------------------------------------------

    private void assumeChannel() {
        Assumptions.assumeTrue(channel().agreementKeyTypes().contains(KeyType.X25519), "vault has no X25519");
    }

    private AeadKeyHandle aeadKey(AeadAlgorithm alg) throws VaultException {
        SecretHandle s = channel().importSecret(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18,
                19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});
        AeadKeyHandle k = channel().toAeadKey(s, alg);
        channel().delete(s);
        return k;
    }

    @Test
    void x25519AgreementGivesBothSidesTheSameSecret() throws Exception {
        assumeChannel();
        AgreementKeyHandle a = channel().generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL);
        AgreementKeyHandle b = channel().generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL);
        SecretHandle ab = channel().agree(a, channel().publicKey(b));
        SecretHandle ba = channel().agree(b, channel().publicKey(a));
        byte[] probe = "probe".getBytes(StandardCharsets.UTF_8);
        assertThat(channel().hmac(HashAlgorithm.SHA256, ab, probe)).isEqualTo(channel().hmac(HashAlgorithm.SHA256, ba, probe));
    }

    @Test
    void lowOrderAndWrongLengthPointsAreRejected() throws Exception {
        assumeChannel();
        AgreementKeyHandle a = channel().generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL);
        assertThat(kindOf(() -> channel().agree(a, new PublicKey(KeyType.X25519, new byte[32])))).isEqualTo(ErrorKind.INVALID);
        byte[] one = new byte[32];
        one[0] = 1;
        assertThat(kindOf(() -> channel().agree(a, new PublicKey(KeyType.X25519, one)))).isEqualTo(ErrorKind.INVALID);
        assertThat(kindOf(() -> channel().agree(a, new PublicKey(KeyType.X25519, new byte[31])))).isEqualTo(ErrorKind.INVALID);
        assertThat(kindOf(() -> channel().agree(a, new PublicKey(KeyType.ED25519, new byte[32])))).isEqualTo(ErrorKind.INVALID);
    }

    @Test
    void aeadRoundTripsWithEveryOfferedAlgorithm() throws Exception {
        for (AeadAlgorithm alg : channel().aeadAlgorithms()) {
            AeadKeyHandle k = aeadKey(alg);
            byte[] nonce = new byte[12];
            byte[] ct = channel().aeadEncrypt(k, nonce, "ad".getBytes(), "hello".getBytes());
            assertThat(ct).hasSize(5 + 16);
            assertThat(channel().aeadDecrypt(k, nonce, "ad".getBytes(), ct)).isEqualTo("hello".getBytes());
        }
    }

    @Test
    void aeadOfAHeadAndABodyRangeIsTheAeadOfTheTwoJoined() throws Exception {
        byte[] body = new byte[70_000];
        new Random(7).nextBytes(body);
        for (AeadAlgorithm alg : channel().aeadAlgorithms()) {
            AeadKeyHandle k = aeadKey(alg);
            int counter = 0;
            for (int headLength : new int[] {0, 1, 15, 16, 17, 33}) {
                for (int[] range : new int[][] {{0, 0}, {5, 1}, {3, 100}, {16, 4096}, {2, 16_383}, {7, 16_384}, {1, 69_999}}) {
                    byte[] head = new byte[headLength];
                    new Random(headLength).nextBytes(head);
                    byte[] nonce = ByteBuffer.allocate(12).putInt(4, ++counter).array();
                    byte[] sealed = channel().aeadEncrypt(k, nonce, "ad".getBytes(), head, body, range[0], range[1], 7);
                    byte[] joined = Arrays.copyOf(head, headLength + range[1]);
                    System.arraycopy(body, range[0], joined, headLength, range[1]);
                    assertThat(sealed).as("%s head %d body %s", alg, headLength, Arrays.toString(range))
                            .hasSize(7 + joined.length + 16).startsWith(new byte[7]);
                    assertThat(channel().aeadDecrypt(k, nonce, "ad".getBytes(), sealed, 7, sealed.length - 7))
                            .as("%s head %d body %s", alg, headLength, Arrays.toString(range)).isEqualTo(joined);
                }
            }
        }
    }

    @Test
    void aeadWithHeadroomAndOnARangeMatchesThePlainCalls() throws Exception {
        for (AeadAlgorithm alg : channel().aeadAlgorithms()) {
            AeadKeyHandle k = aeadKey(alg);
            byte[] nonce = new byte[12];
            nonce[0] = 1;
            byte[] plain = channel().aeadEncrypt(k, nonce, "ad".getBytes(), "framed".getBytes());
            nonce[0] = 2;
            byte[] framed = channel().aeadEncrypt(k, nonce, "ad".getBytes(), "framed".getBytes(), 9);
            assertThat(framed).hasSize(9 + plain.length).startsWith(new byte[9]);
            nonce[0] = 1;
            byte[] around = new byte[3 + plain.length + 4];
            System.arraycopy(plain, 0, around, 3, plain.length);
            assertThat(channel().aeadDecrypt(k, nonce, "ad".getBytes(), around, 3, plain.length)).isEqualTo("framed".getBytes());
            nonce[0] = 2;
            assertThat(channel().aeadDecrypt(k, nonce, "ad".getBytes(), framed, 9, framed.length - 9)).isEqualTo("framed".getBytes());
            around[3] ^= 1;
            nonce[0] = 1;
            assertThatThrownBy(() -> channel().aeadDecrypt(k, nonce, "ad".getBytes(), around, 3, plain.length))
                    .isInstanceOf(AuthenticationFailedException.class).hasNoCause();
            assertThatThrownBy(() -> channel().aeadDecrypt(k, nonce, "ad".getBytes(), around, 3, 15))
                    .isInstanceOf(AuthenticationFailedException.class);
        }
    }

    @Test
    void everySingleBitFlipFailsToDecryptWithoutDetail() throws Exception {
        for (AeadAlgorithm alg : channel().aeadAlgorithms()) {
            AeadKeyHandle k = aeadKey(alg);
            byte[] nonce = new byte[12];
            nonce[11] = 7;
            byte[] ct = channel().aeadEncrypt(k, nonce, new byte[0], "sixteen byte msg".getBytes());
            for (int bit = 0; bit < ct.length * 8; bit++) {
                byte[] flipped = ct.clone();
                flipped[bit / 8] ^= (byte) (1 << (bit % 8));
                assertThatThrownBy(() -> channel().aeadDecrypt(k, nonce, new byte[0], flipped))
                        .isInstanceOf(AuthenticationFailedException.class)
                        .hasMessage("authentication failed")
                        .hasNoCause();
            }
            assertThatThrownBy(() -> channel().aeadDecrypt(k, nonce, new byte[0], new byte[5]))
                    .isInstanceOf(AuthenticationFailedException.class);
        }
    }

    @Test
    void handleOfTheWrongKindIsInvalid() throws Exception {
        AeadKeyHandle k = aeadKey(channel().aeadAlgorithms().iterator().next());
        SecretHandle asSecret = new SecretHandle(k.id(), 32);
        assertThat(kindOf(() -> channel().hmac(HashAlgorithm.SHA256, asSecret, new byte[1]))).isEqualTo(ErrorKind.INVALID);
        KeyType type = signing().signingKeyTypes().iterator().next();
        SigningKeyHandle sk = signing().generateSigningKey(type);
        if (vaults.channel() == (Object) vaults.identity()) {
            AeadKeyHandle asAead = new AeadKeyHandle(sk.id(), AeadAlgorithm.AES_256_GCM);
            assertThat(kindOf(() -> channel().aeadEncrypt(asAead, new byte[12], new byte[0], new byte[1]))).isEqualTo(ErrorKind.INVALID);
        }
    }

    @Test
    void deletedSecretIsNotFound() throws Exception {
        SecretHandle s = channel().importSecret(new byte[32]);
        channel().delete(s);
        assertThat(kindOf(() -> channel().hmac(HashAlgorithm.SHA256, s, new byte[1]))).isEqualTo(ErrorKind.NOT_FOUND);
    }

    @Test
    void hkdfMatchesOckamsVectorAndSplitsOutputs() throws Exception {
        // ockam_vault_test_suite: HKDF-SHA256(salt "hkdf_test", ikm "a", info "", 24 bytes).
        SecretHandle salt = channel().importSecret("hkdf_test".getBytes(StandardCharsets.UTF_8));
        SecretHandle ikm = channel().importSecret("a".getBytes(StandardCharsets.UTF_8));
        List<SecretHandle> out = channel().hkdf(HashAlgorithm.SHA256, salt, ikm, new byte[0], List.of(24));
        byte[] probe = "x".getBytes();
        SecretHandle expected = channel().importSecret(java.util.HexFormat.of().parseHex("921ab9f260544b71941dbac2ca2d42c417aa07b53e055a8f"));
        assertThat(channel().hmac(HashAlgorithm.SHA256, out.get(0), probe)).isEqualTo(channel().hmac(HashAlgorithm.SHA256, expected, probe));
        List<SecretHandle> two = channel().hkdf(HashAlgorithm.SHA256, salt, ikm, new byte[0], List.of(12, 12));
        assertThat(two).extracting(SecretHandle::length).containsExactly(12, 12);
        assertThat(kindOf(() -> channel().hkdf(HashAlgorithm.SHA256, salt, ikm, new byte[0], List.of(255 * 32 + 1))))
                .isEqualTo(ErrorKind.INVALID);
    }

    @Test
    void rekeyGivesADifferentWorkingKey() throws Exception {
        AeadKeyHandle k = aeadKey(AeadAlgorithm.AES_256_GCM);
        AeadKeyHandle k2 = channel().rekey(k);
        byte[] nonce = new byte[12];
        byte[] c1 = channel().aeadEncrypt(k, nonce, new byte[0], new byte[8]);
        byte[] c2 = channel().aeadEncrypt(k2, nonce, new byte[0], new byte[8]);
        assertThat(c1).isNotEqualTo(c2);
        assertThat(channel().aeadDecrypt(k2, nonce, new byte[0], c2)).isEqualTo(new byte[8]);
    }

    @Test
    void aeadFromSixtyFourVirtualThreads() throws Exception {
        AeadKeyHandle k = aeadKey(AeadAlgorithm.AES_256_GCM);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Void>> results = new ArrayList<>();
            for (int t = 0; t < 64; t++) {
                int id = t;
                results.add(pool.submit((Callable<Void>) () -> {
                    for (int i = 0; i < 50; i++) {
                        byte[] nonce = java.nio.ByteBuffer.allocate(12).putInt(4, id).putInt(8, i).array();
                        byte[] msg = (id + ":" + i).getBytes();
                        assertThat(channel().aeadDecrypt(k, nonce, new byte[0], channel().aeadEncrypt(k, nonce, new byte[0], msg))).isEqualTo(msg);
                    }
                    return null;
                }));
            }
            for (Future<Void> f : results) {
                f.get();
            }
        }
    }

    // ---- key encapsulation ------------------------------------------------------------------------------------

    private KemAlgorithm assumeKem() {
        Assumptions.assumeFalse(channel().kemAlgorithms().isEmpty(), "vault offers no key encapsulation");
        return channel().kemAlgorithms().iterator().next();
    }

    private boolean sameSecret(SecretHandle a, SecretHandle b) throws VaultException {
        byte[] probe = "probe".getBytes(StandardCharsets.UTF_8);
        return Arrays.equals(channel().hmac(HashAlgorithm.SHA256, a, probe), channel().hmac(HashAlgorithm.SHA256, b, probe));
    }

    @Test
    void kemEncapsulationAndDecapsulationGiveTheSameSecret() throws Exception {
        assumeKem();
        for (KemAlgorithm alg : channel().kemAlgorithms()) {
            KemKeyHandle key = channel().generateKemKey(alg);
            assertThat(key.algorithm()).isEqualTo(alg);
            byte[] publicKey = channel().kemPublicKey(key);
            assertThat(publicKey).hasSize(alg.publicKeyLength());
            Encapsulation sent = channel().encapsulate(alg, publicKey);
            assertThat(sent.ciphertext()).hasSize(alg.ciphertextLength());
            assertThat(sent.sharedSecret().length()).isEqualTo(alg.sharedSecretLength());
            SecretHandle received = channel().decapsulate(key, sent.ciphertext());
            assertThat(received.length()).isEqualTo(alg.sharedSecretLength());
            assertThat(sameSecret(sent.sharedSecret(), received)).as("decapsulated secret = encapsulated secret").isTrue();
            // The secrets are usable as any other: as AEAD keys, one decrypts what the other encrypted.
            AeadKeyHandle senderKey = channel().toAeadKey(sent.sharedSecret(), AeadAlgorithm.AES_256_GCM);
            AeadKeyHandle receiverKey = channel().toAeadKey(received, AeadAlgorithm.AES_256_GCM);
            byte[] sealed = channel().aeadEncrypt(senderKey, new byte[12], new byte[0], "kem".getBytes(StandardCharsets.UTF_8));
            assertThat(channel().aeadDecrypt(receiverKey, new byte[12], new byte[0], sealed)).isEqualTo("kem".getBytes(StandardCharsets.UTF_8));

            Encapsulation again = channel().encapsulate(alg, publicKey);
            assertThat(again.ciphertext()).as("a fresh encapsulation").isNotEqualTo(sent.ciphertext());
            assertThat(sameSecret(again.sharedSecret(), sent.sharedSecret())).as("a fresh secret").isFalse();
            assertThat(channel().kemPublicKey(channel().generateKemKey(alg))).as("a fresh key pair").isNotEqualTo(publicKey);
        }
    }

    @Test
    void aTamperedCiphertextDecapsulatesToAnotherSecretWithoutAnError() throws Exception {
        KemAlgorithm alg = assumeKem();
        KemKeyHandle key = channel().generateKemKey(alg);
        Encapsulation sent = channel().encapsulate(alg, channel().kemPublicKey(key));
        byte[] tampered = sent.ciphertext();
        tampered[0] ^= 1;
        SecretHandle rejected = channel().decapsulate(key, tampered);
        assertThat(rejected.length()).isEqualTo(alg.sharedSecretLength());
        assertThat(sameSecret(rejected, sent.sharedSecret())).as("implicit rejection gives another secret").isFalse();
        assertThat(sameSecret(rejected, channel().decapsulate(key, tampered))).as("the same one each time").isTrue();
    }

    @Test
    void kemWithGivenSeedAndRandomnessIsDeterministic() throws Exception {
        KemAlgorithm alg = assumeKem();
        byte[] seed = new byte[alg.seedLength()];
        Arrays.fill(seed, (byte) 7);
        KemKeyHandle first = channel().importKemKey(alg, seed);
        KemKeyHandle second = channel().importKemKey(alg, seed);
        byte[] publicKey = channel().kemPublicKey(first);
        assertThat(channel().kemPublicKey(second)).isEqualTo(publicKey);
        byte[] m = new byte[32];
        Arrays.fill(m, (byte) 9);
        Encapsulation a = channel().encapsulate(alg, publicKey, m);
        Encapsulation b = channel().encapsulate(alg, publicKey, m);
        assertThat(a.ciphertext()).isEqualTo(b.ciphertext());
        assertThat(sameSecret(a.sharedSecret(), b.sharedSecret())).isTrue();
        assertThat(sameSecret(a.sharedSecret(), channel().decapsulate(second, a.ciphertext()))).isTrue();
        m[31] ^= 1;
        assertThat(channel().encapsulate(alg, publicKey, m).ciphertext()).as("other randomness").isNotEqualTo(a.ciphertext());
    }

    @Test
    void unofferedKemAlgorithmsAreUnsupported() {
        for (KemAlgorithm alg : KemAlgorithm.values()) {
            if (!channel().kemAlgorithms().contains(alg)) {
                assertThat(kindOf(() -> channel().generateKemKey(alg))).isEqualTo(ErrorKind.UNSUPPORTED);
                assertThat(kindOf(() -> channel().importKemKey(alg, new byte[alg.seedLength()]))).isEqualTo(ErrorKind.UNSUPPORTED);
                assertThat(kindOf(() -> channel().encapsulate(alg, new byte[alg.publicKeyLength()]))).isEqualTo(ErrorKind.UNSUPPORTED);
                assertThat(kindOf(() -> channel().encapsulate(alg, new byte[alg.publicKeyLength()], new byte[32])))
                        .isEqualTo(ErrorKind.UNSUPPORTED);
            }
        }
    }

    @Test
    void kemInputsOfTheWrongLengthAreInvalid() throws Exception {
        KemAlgorithm alg = assumeKem();
        KemKeyHandle key = channel().generateKemKey(alg);
        byte[] publicKey = channel().kemPublicKey(key);
        for (int delta : new int[] {-1, 1}) {
            byte[] seed = new byte[alg.seedLength() + delta];
            assertThat(kindOf(() -> channel().importKemKey(alg, seed))).as("seed %+d", delta).isEqualTo(ErrorKind.INVALID);
            byte[] ek = Arrays.copyOf(publicKey, publicKey.length + delta);
            assertThat(kindOf(() -> channel().encapsulate(alg, ek))).as("ek %+d", delta).isEqualTo(ErrorKind.INVALID);
            assertThat(kindOf(() -> channel().encapsulate(alg, ek, new byte[32]))).as("ek %+d", delta).isEqualTo(ErrorKind.INVALID);
            byte[] m = new byte[32 + delta];
            assertThat(kindOf(() -> channel().encapsulate(alg, publicKey, m))).as("m %+d", delta).isEqualTo(ErrorKind.INVALID);
            byte[] ciphertext = new byte[alg.ciphertextLength() + delta];
            assertThat(kindOf(() -> channel().decapsulate(key, ciphertext))).as("c %+d", delta).isEqualTo(ErrorKind.INVALID);
        }
        assertThat(kindOf(() -> channel().decapsulate(key, new byte[0]))).isEqualTo(ErrorKind.INVALID);
    }

    @Test
    void anEncapsulationKeyFailingTheModulusCheckIsInvalid() throws Exception {
        KemAlgorithm alg = assumeKem();
        byte[] publicKey = channel().kemPublicKey(channel().generateKemKey(alg));
        // The first two 12-bit coefficients set to 4095 (not below q = 3329); the rest of the key is untouched.
        byte[] overflow = publicKey.clone();
        overflow[0] = (byte) 0xFF;
        overflow[1] = (byte) 0xFF;
        overflow[2] = (byte) 0xFF;
        assertThat(kindOf(() -> channel().encapsulate(alg, overflow))).isEqualTo(ErrorKind.INVALID);
        assertThat(kindOf(() -> channel().encapsulate(alg, overflow, new byte[32]))).isEqualTo(ErrorKind.INVALID);
        // The last coefficient of t exactly q: the smallest value refused.
        byte[] lastIsQ = publicKey.clone();
        int t = alg.publicKeyLength() - 32;
        lastIsQ[t - 2] = (byte) ((lastIsQ[t - 2] & 0x0F) | ((3329 & 0x0F) << 4));
        lastIsQ[t - 1] = (byte) (3329 >> 4);
        assertThat(kindOf(() -> channel().encapsulate(alg, lastIsQ))).isEqualTo(ErrorKind.INVALID);
        byte[] lastIsQMinusOne = lastIsQ.clone();
        lastIsQMinusOne[t - 2] = (byte) ((lastIsQ[t - 2] & 0x0F) | ((3328 & 0x0F) << 4));
        assertThat(channel().encapsulate(alg, lastIsQMinusOne).ciphertext()).as("q - 1 is a valid coefficient")
                .hasSize(alg.ciphertextLength());
    }

    @Test
    void deletedKemKeyIsNotFound() throws Exception {
        KemAlgorithm alg = assumeKem();
        KemKeyHandle key = channel().generateKemKey(alg);
        byte[] ciphertext = channel().encapsulate(alg, channel().kemPublicKey(key)).ciphertext();
        channel().delete(key);
        assertThat(kindOf(() -> channel().kemPublicKey(key))).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(kindOf(() -> channel().decapsulate(key, ciphertext))).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(kindOf(() -> channel().delete(key))).isEqualTo(ErrorKind.NOT_FOUND);
        KemKeyHandle forged = new KemKeyHandle("no-such-key", alg);
        assertThat(kindOf(() -> channel().kemPublicKey(forged))).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(kindOf(() -> channel().decapsulate(forged, ciphertext))).isEqualTo(ErrorKind.NOT_FOUND);
    }

    @Test
    void kemKeysAreNeitherAgreementNorSigningKeys() throws Exception {
        KemAlgorithm alg = assumeKem();
        KemKeyHandle key = channel().generateKemKey(alg);
        assertThat(channel().agreementKeys()).extracting(AgreementKeyHandle::id).doesNotContain(key.id());
        assertThat(signing().signingKeys()).extracting(SigningKeyHandle::id).doesNotContain(key.id());
    }

    @Test
    void aKemHandleOfTheWrongKindIsInvalid() throws Exception {
        KemAlgorithm alg = assumeKem();
        KemKeyHandle key = channel().generateKemKey(alg);
        byte[] ciphertext = channel().encapsulate(alg, channel().kemPublicKey(key)).ciphertext();
        SecretHandle secret = channel().importSecret(new byte[32]);
        KemKeyHandle secretAsKem = new KemKeyHandle(secret.id(), alg);
        assertThat(kindOf(() -> channel().kemPublicKey(secretAsKem))).isEqualTo(ErrorKind.INVALID);
        assertThat(kindOf(() -> channel().decapsulate(secretAsKem, ciphertext))).isEqualTo(ErrorKind.INVALID);
        SecretHandle kemAsSecret = new SecretHandle(key.id(), 32);
        assertThat(kindOf(() -> channel().hmac(HashAlgorithm.SHA256, kemAsSecret, new byte[1]))).isEqualTo(ErrorKind.INVALID);
        assertThat(kindOf(() -> channel().toAeadKey(kemAsSecret, AeadAlgorithm.AES_256_GCM))).isEqualTo(ErrorKind.INVALID);
        AeadKeyHandle kemAsAead = new AeadKeyHandle(key.id(), AeadAlgorithm.AES_256_GCM);
        assertThat(kindOf(() -> channel().aeadEncrypt(kemAsAead, new byte[12], new byte[0], new byte[1]))).isEqualTo(ErrorKind.INVALID);
        if (channel().agreementKeyTypes().contains(KeyType.X25519)) {
            AgreementKeyHandle agreement = channel().generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL);
            KemKeyHandle agreementAsKem = new KemKeyHandle(agreement.id(), alg);
            assertThat(kindOf(() -> channel().decapsulate(agreementAsKem, ciphertext))).isEqualTo(ErrorKind.INVALID);
            AgreementKeyHandle kemAsAgreement = new AgreementKeyHandle(key.id(), KeyType.X25519);
            assertThat(kindOf(() -> channel().publicKey(kemAsAgreement))).isEqualTo(ErrorKind.INVALID);
            assertThat(kindOf(() -> channel().agree(kemAsAgreement, channel().publicKey(agreement)))).isEqualTo(ErrorKind.INVALID);
        }
        if (vaults.channel() == (Object) vaults.identity()) {
            SigningKeyHandle kemAsSigning = new SigningKeyHandle(key.id(), KeyType.ED25519);
            assertThat(kindOf(() -> signing().sign(kemAsSigning, new byte[1]))).isEqualTo(ErrorKind.INVALID);
        }
        // After all this, the KEM key still works.
        assertThat(channel().decapsulate(key, ciphertext).length()).isEqualTo(alg.sharedSecretLength());
    }

    // ---- records ----------------------------------------------------------------------------------------------

    /** Stores a record, or skips the test when the vault stores none ({@code UNSUPPORTED}). */
    private void putRecordOrSkip(String name, byte[] value) throws VaultException {
        try {
            signing().putRecord(name, value);
        } catch (VaultException e) {
            Assumptions.assumeTrue(e.kind() != ErrorKind.UNSUPPORTED, "this vault stores no records");
            throw e;
        }
    }

    @Test
    void recordsAreStoredReplacedAndListed() throws Exception {
        putRecordOrSkip("contract/b", new byte[] {1});
        signing().putRecord("contract/a", new byte[] {2});
        signing().putRecord("contract/b", new byte[] {3, 4});
        assertThat(signing().record("contract/b")).hasValueSatisfying(v -> assertThat(v).containsExactly(3, 4));
        assertThat(signing().record("contract/a")).hasValueSatisfying(v -> assertThat(v).containsExactly(2));
        assertThat(signing().recordNames()).containsSubsequence("contract/a", "contract/b");
        assertThat(signing().record("contract/none")).isEmpty();
    }

    @Test
    void deletedRecordIsGoneAndTheOthersStay() throws Exception {
        putRecordOrSkip("contract/keep", new byte[] {1});
        signing().putRecord("contract/drop", new byte[] {2});
        signing().deleteRecord("contract/drop");
        assertThat(signing().record("contract/drop")).isEmpty();
        assertThat(signing().recordNames()).contains("contract/keep").doesNotContain("contract/drop");
        assertThat(signing().record("contract/keep")).hasValueSatisfying(v -> assertThat(v).containsExactly(1));
    }

    @Test
    void deletingARecordThatDoesNotExistDoesNothing() throws Exception {
        putRecordOrSkip("contract/keep", new byte[] {1});
        signing().deleteRecord("contract/never-stored");
        signing().deleteRecord("contract/keep");
        signing().deleteRecord("contract/keep");
        assertThat(signing().recordNames()).doesNotContain("contract/keep", "contract/never-stored");
    }

    @Test
    void aDeletedRecordCanBeStoredAgain() throws Exception {
        putRecordOrSkip("contract/again", new byte[] {1});
        signing().deleteRecord("contract/again");
        signing().putRecord("contract/again", new byte[] {5});
        assertThat(signing().record("contract/again")).hasValueSatisfying(v -> assertThat(v).containsExactly(5));
    }
}
