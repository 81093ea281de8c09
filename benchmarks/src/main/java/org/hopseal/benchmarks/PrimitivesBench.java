package org.hopseal.benchmarks;

import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.hopseal.api.vault.AeadAlgorithm;
import org.hopseal.api.vault.AeadKeyHandle;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Persistence;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.SigningKeyHandle;
import org.hopseal.vault.software.SoftwareVault;
import org.hopseal.vault.software.SoftwareVerifier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** Vault operations beside the raw library calls they wrap, in the same run (operations per second). */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PrimitivesBench {
    private final SecureRandom random = new SecureRandom();
    private final byte[] message = new byte[64];
    private byte[] xPriv;
    private byte[] xPeer;
    private byte[] edPriv;
    private byte[] edPub;
    private byte[] edSig;
    private KeyPair p256;
    private byte[] p256Sig;
    private SecretKeySpec aesKey;
    private Cipher aes;
    private byte[] k1;
    private byte[] k64;
    private long nonce;

    private SoftwareVault vault;
    private SoftwareVerifier verifier;
    private AgreementKeyHandle vx;
    private PublicKey vxPeer;
    private SigningKeyHandle ved;
    private PublicKey vedPub;
    private byte[] vedSig;
    private SigningKeyHandle vp256;
    private PublicKey vp256Pub;
    private byte[] vp256Sig;
    private AeadKeyHandle vaes;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        random.nextBytes(message);
        xPriv = new byte[32];
        X25519.generatePrivateKey(random, xPriv);
        byte[] other = new byte[32];
        X25519.generatePrivateKey(random, other);
        xPeer = new byte[32];
        X25519.scalarMultBase(other, 0, xPeer, 0);
        edPriv = new byte[32];
        Ed25519.generatePrivateKey(random, edPriv);
        edPub = new byte[32];
        Ed25519.generatePublicKey(edPriv, 0, edPub, 0);
        edSig = new byte[64];
        Ed25519.sign(edPriv, 0, edPub, 0, message, 0, message.length, edSig, 0);
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        p256 = g.generateKeyPair();
        Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
        s.initSign(p256.getPrivate());
        s.update(message);
        p256Sig = s.sign();
        byte[] key = new byte[32];
        random.nextBytes(key);
        aesKey = new SecretKeySpec(key, "AES");
        aes = Cipher.getInstance("AES/GCM/NoPadding");
        k1 = new byte[1024];
        k64 = new byte[65536];

        vault = new SoftwareVault();
        verifier = new SoftwareVerifier();
        vx = vault.generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL);
        vxPeer = new PublicKey(KeyType.X25519, xPeer);
        ved = vault.generateSigningKey(KeyType.ED25519);
        vedPub = vault.publicKey(ved);
        vedSig = vault.sign(ved, message);
        vp256 = vault.generateSigningKey(KeyType.ECDSA_P256);
        vp256Pub = vault.publicKey(vp256);
        vp256Sig = vault.sign(vp256, message);
        vaes = vault.toAeadKey(vault.importSecret(key), AeadAlgorithm.AES_256_GCM);
    }

    @TearDown(Level.Trial)
    public void close() {
        vault.close();
    }

    private byte[] nextNonce() {
        return ByteBuffer.allocate(12).putLong(4, ++nonce).array();
    }

    // ---- raw library calls ----------------------------------------------------------------------------------

    @Benchmark
    public byte[] rawX25519Keygen() {
        byte[] k = new byte[32];
        X25519.generatePrivateKey(random, k);
        byte[] pub = new byte[32];
        X25519.scalarMultBase(k, 0, pub, 0);
        return pub;
    }

    @Benchmark
    public byte[] rawX25519Agree() {
        byte[] out = new byte[32];
        X25519.calculateAgreement(xPriv, 0, xPeer, 0, out, 0);
        return out;
    }

    @Benchmark
    public byte[] rawEd25519Sign() {
        byte[] sig = new byte[64];
        Ed25519.sign(edPriv, 0, edPub, 0, message, 0, message.length, sig, 0);
        return sig;
    }

    @Benchmark
    public boolean rawEd25519Verify() {
        return Ed25519.verify(edSig, 0, edPub, 0, message, 0, message.length);
    }

    @Benchmark
    public byte[] rawP256Sign() throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
        s.initSign(p256.getPrivate());
        s.update(message);
        return s.sign();
    }

    @Benchmark
    public boolean rawP256Verify() throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
        s.initVerify(p256.getPublic());
        s.update(message);
        return s.verify(p256Sig);
    }

    @Benchmark
    public byte[] rawAesGcm1k() throws Exception {
        aes.init(Cipher.ENCRYPT_MODE, aesKey, new GCMParameterSpec(128, nextNonce()));
        return aes.doFinal(k1);
    }

    @Benchmark
    public byte[] rawAesGcm64k() throws Exception {
        aes.init(Cipher.ENCRYPT_MODE, aesKey, new GCMParameterSpec(128, nextNonce()));
        return aes.doFinal(k64);
    }

    // ---- the same through the vault ---------------------------------------------------------------------------

    @Benchmark
    public Object vaultX25519Keygen() throws Exception {
        AgreementKeyHandle k = vault.generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL);
        vault.delete(k);
        return k;
    }

    @Benchmark
    public Object vaultX25519Agree() throws Exception {
        var secret = vault.agree(vx, vxPeer);
        vault.delete(secret);
        return secret;
    }

    @Benchmark
    public byte[] vaultEd25519Sign() throws Exception {
        return vault.sign(ved, message);
    }

    @Benchmark
    public Object vaultEd25519Verify() throws Exception {
        verifier.verify(vedPub, message, vedSig);
        return vedSig;
    }

    @Benchmark
    public byte[] vaultP256Sign() throws Exception {
        return vault.sign(vp256, message);
    }

    @Benchmark
    public Object vaultP256Verify() throws Exception {
        verifier.verify(vp256Pub, message, vp256Sig);
        return vp256Sig;
    }

    @Benchmark
    public byte[] vaultAesGcm1k() throws Exception {
        return vault.aeadEncrypt(vaes, nextNonce(), new byte[0], k1);
    }

    @Benchmark
    public byte[] vaultAesGcm64k() throws Exception {
        return vault.aeadEncrypt(vaes, nextNonce(), new byte[0], k64);
    }
}
