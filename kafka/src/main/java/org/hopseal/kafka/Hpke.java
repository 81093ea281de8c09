package org.hopseal.kafka;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.hopseal.api.error.AuthenticationFailedException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.AeadAlgorithm;
import org.hopseal.api.vault.AeadKeyHandle;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.vault.HashAlgorithm;
import org.hopseal.api.vault.InsecureSecretAccess;
import org.hopseal.api.vault.KeyHandle;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Persistence;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.SecretHandle;
import org.hopseal.api.vault.SecureChannelVault;

/**
 * HPKE (RFC 9180) in base mode, single shot, with DHKEM(X25519, HKDF-SHA256) and HKDF-SHA256, every secret step on
 * vault handles: the X25519 agreement, the extract-and-expand steps and the AEAD. Only the base nonce leaves the vault
 * (a nonce is not a secret). Stateless: each call is one {@code SealBase} or {@code OpenBase} with sequence number 0.
 */
final class Hpke {
    /** X25519 public keys and {@code enc} are 32 bytes. */
    static final int ENC_LENGTH = 32;

    private static final int KEM_X25519_SHA256 = 0x0020;
    private static final int KDF_HKDF_SHA256 = 0x0001;
    private static final byte[] VERSION_LABEL = ascii("HPKE-v1");
    private static final byte[] KEM_SUITE = concat(ascii("KEM"), i2osp2(KEM_X25519_SHA256));
    private static final int NONCE_LENGTH = 12;

    private final SecureChannelVault vault;
    private final AeadAlgorithm aead;
    private final byte[] suite;

    Hpke(SecureChannelVault vault, AeadAlgorithm aead) {
        this.vault = vault;
        this.aead = aead;
        this.suite = concat(ascii("HPKE"), i2osp2(KEM_X25519_SHA256), i2osp2(KDF_HKDF_SHA256), i2osp2(aeadId(aead)));
    }

    /** A sealed message: the encapsulated key and the ciphertext. */
    record Sealed(byte[] enc, byte[] ciphertext) {
    }

    /** Seals {@code plaintext} to {@code recipient} with a fresh ephemeral key. */
    Sealed seal(PublicKey recipient, byte[] info, byte[] aad, byte[] plaintext) throws HopsealException {
        AgreementKeyHandle ephemeral = vault.generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL);
        try {
            return sealWith(ephemeral, recipient, info, aad, plaintext);
        } finally {
            vault.delete(ephemeral);
        }
    }

    /** Seals with the given ephemeral key (the published vectors fix it). */
    Sealed sealWith(AgreementKeyHandle ephemeral, PublicKey recipient, byte[] info, byte[] aad, byte[] plaintext)
            throws HopsealException {
        requireX25519(recipient);
        byte[] enc = vault.publicKey(ephemeral).bytes();
        List<KeyHandle> temporary = new ArrayList<>();
        try {
            SecretHandle dh = track(temporary, vault.agree(ephemeral, recipient));
            Context c = keySchedule(dh, concat(enc, recipient.bytes()), info, temporary);
            return new Sealed(enc, vault.aeadEncrypt(c.key(), c.nonce(), aad, plaintext));
        } finally {
            delete(temporary);
        }
    }

    /** Opens {@code ciphertext} sealed to {@code recipient}; a wrong key, info, aad or any changed byte fails alike. */
    byte[] open(AgreementKeyHandle recipient, byte[] enc, byte[] info, byte[] aad, byte[] ciphertext)
            throws HopsealException {
        if (enc.length != ENC_LENGTH) {
            throw new AuthenticationFailedException();
        }
        byte[] recipientPublic = vault.publicKey(recipient).bytes();
        List<KeyHandle> temporary = new ArrayList<>();
        try {
            SecretHandle dh;
            try {
                dh = track(temporary, vault.agree(recipient, new PublicKey(KeyType.X25519, enc)));
            } catch (VaultException e) {
                // A low-order enc makes an all-zero agreement, which the vault refuses: to the caller, it does not open.
                throw new AuthenticationFailedException();
            }
            Context c = keySchedule(dh, concat(enc, recipientPublic), info, temporary);
            return vault.aeadDecrypt(c.key(), c.nonce(), aad, ciphertext);
        } finally {
            delete(temporary);
        }
    }

    private record Context(AeadKeyHandle key, byte[] nonce) {
    }

    /** ExtractAndExpand of DHKEM (section 4.1), then KeySchedule for mode_base with no PSK (section 5.1). */
    private Context keySchedule(SecretHandle dh, byte[] kemContext, byte[] info, List<KeyHandle> temporary)
            throws HopsealException {
        SecretHandle empty = track(temporary, vault.importSecret(new byte[0]));
        SecretHandle eaeIkm = track(temporary, vault.concatenate(List.of(
                track(temporary, vault.importSecret(concat(VERSION_LABEL, KEM_SUITE, ascii("eae_prk")))), dh)));
        SecretHandle shared = track(temporary, vault.hkdf(HashAlgorithm.SHA256, empty, eaeIkm,
                labeledInfo(KEM_SUITE, "shared_secret", kemContext, 32), List.of(32)).get(0));

        byte[] pskIdHash = labeledExtractPublic("psk_id_hash", new byte[0]);
        byte[] infoHash = labeledExtractPublic("info_hash", info);
        byte[] context = concat(new byte[] {0}, pskIdHash, infoHash);
        SecretHandle secretIkm = track(temporary, vault.importSecret(concat(VERSION_LABEL, suite, ascii("secret"))));
        SecretHandle keySecret = track(temporary, vault.hkdf(HashAlgorithm.SHA256, shared, secretIkm,
                labeledInfo(suite, "key", context, aead.keyLength()), List.of(aead.keyLength())).get(0));
        SecretHandle nonceSecret = track(temporary, vault.hkdf(HashAlgorithm.SHA256, shared, secretIkm,
                labeledInfo(suite, "base_nonce", context, NONCE_LENGTH), List.of(NONCE_LENGTH)).get(0));
        AeadKeyHandle key = track(temporary, vault.toAeadKey(keySecret, aead));
        return new Context(key, vault.exportSecret(nonceSecret, InsecureSecretAccess.get()));
    }

    /** LabeledExtract with an empty salt over public input, computed here: nothing secret goes in. */
    private byte[] labeledExtractPublic(String label, byte[] ikm) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(new byte[32], "HmacSHA256")); // an empty salt is HashLen zero bytes (RFC 5869)
            return mac.doFinal(concat(VERSION_LABEL, suite, ascii(label), ikm));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    /** The info of LabeledExpand: I2OSP(L, 2) || "HPKE-v1" || suite_id || label || info. */
    private static byte[] labeledInfo(byte[] suiteId, String label, byte[] info, int length) {
        return concat(i2osp2(length), VERSION_LABEL, suiteId, ascii(label), info);
    }

    private static void requireX25519(PublicKey key) throws VaultException {
        if (key.type() != KeyType.X25519 || key.bytes().length != ENC_LENGTH) {
            throw new VaultException(ErrorKind.INVALID, "an HPKE recipient key here is a 32-byte X25519 key");
        }
    }

    private static int aeadId(AeadAlgorithm aead) {
        return switch (aead) {
            case AES_128_GCM -> 0x0001;
            case AES_256_GCM -> 0x0002;
            case CHACHA20_POLY1305 -> 0x0003;
            default -> throw new IllegalArgumentException(aead + " has no HPKE AEAD identifier");
        };
    }

    private static <H extends KeyHandle> H track(List<KeyHandle> temporary, H handle) {
        temporary.add(handle);
        return handle;
    }

    private void delete(List<KeyHandle> temporary) throws VaultException {
        for (KeyHandle h : temporary) {
            vault.delete(h);
        }
    }

    private static byte[] i2osp2(int value) {
        return new byte[] {(byte) (value >>> 8), (byte) value};
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
