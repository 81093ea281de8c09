package org.hopseal.core.channel.noise;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.KEM;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Persistence;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.Vaults;
import org.hopseal.vault.software.SoftwareVault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;

/**
 * {@code Noise_XXhfs_25519+MLKEM768_AESGCM_SHA256} between Hopseal's {@link HandshakeState} and an independent peer
 * written here from the Noise specification and the HFS extension, on the JDK's own X25519, ML-KEM (JEP 496),
 * HMAC-SHA256 and AES-GCM: in both roles, both sides reach the same handshake hash and exchange transport messages.
 * No code or vault of Hopseal's is on the independent side.
 */
class HybridXxInteropTest {
    private static final String NAME = NoiseProtocol.XXHFS_25519_MLKEM768_AESGCM_SHA256;
    private static final byte[] PROLOGUE = "interop prologue".getBytes(StandardCharsets.US_ASCII);
    /** The DER header of an ML-KEM-768 SubjectPublicKeyInfo (OID 2.16.840.1.101.3.4.4.2, RFC 9935), before the raw key. */
    private static final byte[] MLKEM768_SPKI_PREFIX = HexFormat.of().parseHex("308204b2300b0609608648016503040402038204a100");
    private final Vaults vaults = SoftwareVault.vaults();
    private final NoiseProtocol protocol = NoiseProtocol.parse(NAME);

    @AfterEach
    void close() {
        vaults.close();
    }

    private HandshakeState hopseal(boolean initiator) throws Exception {
        var b = initiator ? HandshakeState.initiator(protocol, vaults.channel(), vaults.verifier())
                : HandshakeState.responder(protocol, vaults.channel(), vaults.verifier());
        return b.prologue(PROLOGUE).localStatic(vaults.channel().generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL)).build();
    }

    @RepeatedTest(3)
    void hopsealInitiatesAndTheIndependentPeerResponds() throws Exception {
        HandshakeState i = hopseal(true);
        Independent r = new Independent(false);
        byte[] m1 = i.writeMessage("one".getBytes());
        assertThat(m1).hasSize(32 + 1184 + 3);
        assertThat(r.readMessage1(m1)).isEqualTo("one".getBytes());
        byte[] m2 = r.writeMessage2("two".getBytes());
        assertThat(m2).hasSize(32 + 1088 + 16 + 32 + 16 + 3 + 16);
        assertThat(i.readMessage(m2)).isEqualTo("two".getBytes());
        assertThat(i.remoteStatic().orElseThrow().bytes()).isEqualTo(r.staticPublic());
        assertThat(r.readMessage3(i.writeMessage("three".getBytes()))).isEqualTo("three".getBytes());
        HandshakeState.TransportKeys keys = i.split();
        assertThat(keys.handshakeHash()).isEqualTo(r.h);
        r.split();
        assertThat(r.decrypt(false, keys.sender().encryptWithAd(new byte[0], "to responder".getBytes()))).isEqualTo("to responder".getBytes());
        assertThat(keys.receiver().decryptWithAd(new byte[0], r.encrypt(false, "to initiator".getBytes()))).isEqualTo("to initiator".getBytes());
    }

    @RepeatedTest(3)
    void theIndependentPeerInitiatesAndHopsealResponds() throws Exception {
        Independent i = new Independent(true);
        HandshakeState r = hopseal(false);
        assertThat(r.readMessage(i.writeMessage1("one".getBytes()))).isEqualTo("one".getBytes());
        assertThat(i.readMessage2(r.writeMessage("two".getBytes()))).isEqualTo("two".getBytes());
        assertThat(r.readMessage(i.writeMessage3("three".getBytes()))).isEqualTo("three".getBytes());
        assertThat(r.remoteStatic().orElseThrow()).isEqualTo(new PublicKey(KeyType.X25519, i.staticPublic()));
        HandshakeState.TransportKeys keys = r.split();
        assertThat(keys.handshakeHash()).isEqualTo(i.h);
        i.split();
        assertThat(keys.receiver().decryptWithAd(new byte[0], i.encrypt(true, "to responder".getBytes()))).isEqualTo("to responder".getBytes());
        assertThat(i.decrypt(true, keys.sender().encryptWithAd(new byte[0], "to initiator".getBytes()))).isEqualTo("to initiator".getBytes());
    }

    /** One side of XXhfs on JDK primitives: {@code -> e, e1 | <- e, ee, ekem1, s, es | -> s, se}. */
    private static final class Independent {
        private final boolean initiator;
        private final KeyPair s;
        private KeyPair e;
        private KeyPair e1;
        private byte[] rs;
        private byte[] re;
        private byte[] rek1;
        private byte[] ck;
        private byte[] h;
        private byte[] k;
        private long n;
        private byte[][] transport;
        private final long[] transportNonces = new long[2];

        Independent(boolean initiator) throws GeneralSecurityException {
            this.initiator = initiator;
            this.s = x25519();
            byte[] name = NAME.getBytes(StandardCharsets.US_ASCII);
            h = name.length <= 32 ? Arrays.copyOf(name, 32) : sha256(name);
            ck = h.clone();
            mixHash(PROLOGUE);
        }

        byte[] staticPublic() {
            return raw(s);
        }

        byte[] writeMessage1(byte[] payload) throws GeneralSecurityException {
            e = x25519();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(raw(e));
            mixHash(raw(e));
            e1 = KeyPairGenerator.getInstance("ML-KEM-768").generateKeyPair();
            byte[] spki = e1.getPublic().getEncoded();
            if (!Arrays.equals(spki, 0, MLKEM768_SPKI_PREFIX.length, MLKEM768_SPKI_PREFIX, 0, MLKEM768_SPKI_PREFIX.length)) {
                throw new IllegalStateException("the JDK's ML-KEM-768 public key is not the expected SubjectPublicKeyInfo");
            }
            byte[] ek = Arrays.copyOfRange(spki, MLKEM768_SPKI_PREFIX.length, spki.length);
            out.writeBytes(encryptAndHash(ek));
            out.writeBytes(encryptAndHash(payload));
            return out.toByteArray();
        }

        byte[] readMessage1(byte[] m) throws GeneralSecurityException {
            ByteBuffer in = ByteBuffer.wrap(m);
            re = take(in, 32);
            mixHash(re);
            byte[] ek = decryptAndHash(take(in, 1184));
            this.rek1 = ek;
            return decryptAndHash(take(in, in.remaining()));
        }

        byte[] writeMessage2(byte[] payload) throws GeneralSecurityException {
            e = x25519();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(raw(e));
            mixHash(raw(e));
            mixKey(dh(e, re));
            KEM.Encapsulated enc = KEM.getInstance("ML-KEM").newEncapsulator(mlkemPublic(rek1)).encapsulate();
            out.writeBytes(encryptAndHash(enc.encapsulation()));
            mixKey(enc.key().getEncoded());
            out.writeBytes(encryptAndHash(raw(s)));
            mixKey(dh(s, re));
            out.writeBytes(encryptAndHash(payload));
            return out.toByteArray();
        }

        byte[] readMessage2(byte[] m) throws GeneralSecurityException {
            ByteBuffer in = ByteBuffer.wrap(m);
            re = take(in, 32);
            mixHash(re);
            mixKey(dh(e, re));
            byte[] ct = decryptAndHash(take(in, 1088 + 16));
            mixKey(KEM.getInstance("ML-KEM").newDecapsulator(e1.getPrivate()).decapsulate(ct).getEncoded());
            rs = decryptAndHash(take(in, 48));
            mixKey(dh(e, rs));
            return decryptAndHash(take(in, in.remaining()));
        }

        byte[] writeMessage3(byte[] payload) throws GeneralSecurityException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(encryptAndHash(raw(s)));
            mixKey(dh(s, re));
            out.writeBytes(encryptAndHash(payload));
            return out.toByteArray();
        }

        byte[] readMessage3(byte[] m) throws GeneralSecurityException {
            ByteBuffer in = ByteBuffer.wrap(m);
            rs = decryptAndHash(take(in, 48));
            mixKey(dh(e, rs));
            return decryptAndHash(take(in, in.remaining()));
        }

        void split() throws GeneralSecurityException {
            byte[][] out = hkdf(ck, new byte[0]);
            transport = out;
        }

        /** Transport encryption: the initiator sends with the first split key. */
        byte[] encrypt(boolean asInitiator, byte[] plaintext) throws GeneralSecurityException {
            int which = asInitiator ? 0 : 1;
            return aead(Cipher.ENCRYPT_MODE, transport[which], transportNonces[which]++, new byte[0], plaintext);
        }

        byte[] decrypt(boolean asInitiator, byte[] ciphertext) throws GeneralSecurityException {
            int which = asInitiator ? 1 : 0;
            return aead(Cipher.DECRYPT_MODE, transport[which], transportNonces[which]++, new byte[0], ciphertext);
        }

        private void mixHash(byte[] data) throws GeneralSecurityException {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(h);
            d.update(data);
            h = d.digest();
        }

        private void mixKey(byte[] ikm) throws GeneralSecurityException {
            byte[][] out = hkdf(ck, ikm);
            ck = out[0];
            k = out[1];
            n = 0;
        }

        private byte[] encryptAndHash(byte[] plaintext) throws GeneralSecurityException {
            byte[] c = k == null ? plaintext : aead(Cipher.ENCRYPT_MODE, k, n++, h, plaintext);
            mixHash(c);
            return c;
        }

        private byte[] decryptAndHash(byte[] ciphertext) throws GeneralSecurityException {
            byte[] p = k == null ? ciphertext : aead(Cipher.DECRYPT_MODE, k, n++, h, ciphertext);
            mixHash(ciphertext);
            return p;
        }

        private static byte[][] hkdf(byte[] chainingKey, byte[] ikm) throws GeneralSecurityException {
            byte[] temp = hmac(chainingKey, ikm);
            byte[] one = hmac(temp, new byte[] {1});
            byte[] two = hmac(temp, concat(one, new byte[] {2}));
            return new byte[][] {one, two};
        }

        private static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        }

        private static byte[] aead(int mode, byte[] key, long nonce, byte[] ad, byte[] input) throws GeneralSecurityException {
            byte[] iv = ByteBuffer.allocate(12).putInt(0).putLong(nonce).array();
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
            c.updateAAD(ad);
            return c.doFinal(input);
        }

        private static KeyPair x25519() throws GeneralSecurityException {
            return KeyPairGenerator.getInstance("X25519").generateKeyPair();
        }

        private static byte[] raw(KeyPair pair) {
            byte[] bigEndian = ((XECPublicKey) pair.getPublic()).getU().toByteArray();
            byte[] le = new byte[32];
            for (int i = 0; i < Math.min(32, bigEndian.length); i++) {
                le[i] = bigEndian[bigEndian.length - 1 - i];
            }
            return le;
        }

        private static byte[] dh(KeyPair mine, byte[] theirs) throws GeneralSecurityException {
            byte[] be = new byte[32];
            for (int i = 0; i < 32; i++) {
                be[i] = theirs[31 - i];
            }
            var pub = KeyFactory.getInstance("X25519").generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, be)));
            KeyAgreement ka = KeyAgreement.getInstance("X25519");
            ka.init(mine.getPrivate());
            ka.doPhase(pub, true);
            return ka.generateSecret();
        }

        private static java.security.PublicKey mlkemPublic(byte[] raw) throws GeneralSecurityException {
            return KeyFactory.getInstance("ML-KEM").generatePublic(new X509EncodedKeySpec(concat(MLKEM768_SPKI_PREFIX, raw)));
        }

        private static byte[] take(ByteBuffer in, int length) {
            byte[] b = new byte[length];
            in.get(b);
            return b;
        }

        private static byte[] sha256(byte[] data) throws GeneralSecurityException {
            return MessageDigest.getInstance("SHA-256").digest(data);
        }

        private static byte[] concat(byte[] a, byte[] b) {
            byte[] out = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, out, a.length, b.length);
            return out;
        }
    }
}
