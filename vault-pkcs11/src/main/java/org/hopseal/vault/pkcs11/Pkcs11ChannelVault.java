package org.hopseal.vault.pkcs11;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_EC_PARAMS;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_ID;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_KEY_TYPE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_VALUE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKD_NULL;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKK_EC;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKK_EC_EDWARDS;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKK_EC_MONTGOMERY;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKK_GENERIC_SECRET;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKM_ECDH1_DERIVE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKM_EC_EDWARDS_KEY_PAIR_GEN;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKM_EC_KEY_PAIR_GEN;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKM_EC_MONTGOMERY_KEY_PAIR_GEN;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKO_PRIVATE_KEY;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKO_PUBLIC_KEY;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_ARGUMENTS_BAD;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_DOMAIN_PARAMS_INVALID;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_FUNCTION_FAILED;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_GENERAL_ERROR;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_MECHANISM_PARAM_INVALID;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.ckmCodeToName;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
import org.hopseal.vault.software.P256;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.KeyPairTemplate;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.PKCS11KeyPair;
import org.xipki.pkcs11.wrapper.Session;
import org.xipki.pkcs11.wrapper.params.ECDH1_DERIVE_PARAMS;

/**
 * Secure-channel operations with agreement private keys on a PKCS#11 token where the user asked for them, and
 * everything else (ephemeral X25519 keys, ML-KEM keys, HKDF, AEAD) in a software vault.
 *
 * <h2>Security guarantees</h2>
 * P-256 ECDH keys are always generated (or imported) on the token, {@code CKA_SENSITIVE} true and
 * {@code CKA_EXTRACTABLE} false, and derive with {@code CKM_ECDH1_DERIVE}. Every usage attribute is set (see
 * {@link KeyUsage}): the private key derives and nothing else ({@code CKA_SIGN}, {@code CKA_DECRYPT},
 * {@code CKA_UNWRAP} false), so it can never sign as an ECDSA key; the public key does nothing. Like the signing
 * vault, this one makes its keys with the URI's {@code object=} label and sees only keys so labelled that derive.
 * A token without {@code CKM_ECDH1_DERIVE} makes them
 * {@code UNSUPPORTED}, never software keys. With {@code x-channel-key=token}, persistent X25519 keys (an entity's
 * static key) are on the token as well (standard {@code CKK_EC_MONTGOMERY} keys, or SoftHSM's Edwards-typed
 * "curve25519" keys); ephemeral X25519 keys stay in software, since every handshake makes one. The private keys never
 * leave the token; the shared secret a derivation gives is read once into the software vault (tokens offer no HKDF
 * for Noise) and wiped from the heap. Peers' P-256 points are checked on the curve before they reach the token, and
 * an all-zero X25519 result (a low-order point) is rejected. ML-KEM keys, always ephemeral like the handshake's X25519
 * key, are the software vault's (tokens offer no ML-KEM mechanism here), with its guarantees.
 *
 * <h2>Thread safety</h2>
 * Thread safe; token calls are bounded by {@link Pkcs11Token}.
 *
 * @since 0.1
 */
public final class Pkcs11ChannelVault implements SecureChannelVault {
    private static final Logger LOG = LoggerFactory.getLogger(Pkcs11ChannelVault.class);
    /** Handles of keys on the token start with this; all others are the software vault's. */
    private static final String PREFIX = "p11-";

    private final Pkcs11Token token;
    private final String keyLabel;
    private final SecureChannelVault software;
    private final boolean x25519OnToken;
    private final boolean montgomery;
    private final Set<KeyType> types;
    private final Map<String, TokenKey> keys = new ConcurrentHashMap<>();

    private record TokenKey(KeyType type, long privateHandle, PublicKey publicKey) {
    }

    /**
     * Channel keys on {@code token} (labelled {@code keyLabel}) and in {@code software}; persistent X25519 keys on
     * the token when {@code x25519OnToken}.
     */
    Pkcs11ChannelVault(Pkcs11Token token, String keyLabel, SecureChannelVault software, boolean x25519OnToken) throws VaultException {
        this.token = token;
        this.keyLabel = keyLabel;
        this.software = software;
        this.montgomery = token.has(CKM_EC_MONTGOMERY_KEY_PAIR_GEN);
        boolean derive = token.has(CKM_ECDH1_DERIVE);
        if (x25519OnToken && !(derive && (montgomery || token.has(CKM_EC_EDWARDS_KEY_PAIR_GEN)))) {
            throw new VaultException(ErrorKind.UNSUPPORTED, "x-channel-key=token asks for X25519 keys on token '" + token.label()
                    + "', which offers no X25519 derivation");
        }
        this.x25519OnToken = x25519OnToken;
        Set<KeyType> offered = EnumSet.noneOf(KeyType.class);
        offered.add(KeyType.X25519);
        if (derive && token.has(CKM_EC_KEY_PAIR_GEN)) {
            offered.add(KeyType.P256_ECDH);
        }
        this.types = offered;
        token.onReset(keys::clear);
    }

    private boolean onToken(KeyType type, Persistence persistence) {
        return type == KeyType.P256_ECDH || (x25519OnToken && persistence == Persistence.PERSISTENT);
    }

    private static boolean onToken(KeyHandle handle) {
        return handle instanceof AgreementKeyHandle && handle.id().startsWith(PREFIX);
    }

    private void requireOffered(KeyType type) throws VaultException {
        if (!types.contains(type)) {
            throw new VaultException(ErrorKind.UNSUPPORTED, "token '" + token.label() + "' cannot derive with " + type
                    + " keys (its agreement types: " + types + "); nothing was created in software instead");
        }
    }

    @Override
    public Set<KeyType> agreementKeyTypes() {
        return types;
    }

    @Override
    public AgreementKeyHandle generateAgreementKey(KeyType type, Persistence persistence) throws VaultException {
        if (!onToken(type, persistence)) {
            return software.generateAgreementKey(type, persistence);
        }
        requireOffered(type);
        byte[] id = EcKeys.newId();
        String handleId = PREFIX + HexFormat.of().formatHex(id);
        boolean persistent = persistence == Persistence.PERSISTENT;
        token.withSession("generate " + (persistent ? "a persistent " : "an ephemeral ") + type + " key", s -> {
            long keyType = type == KeyType.P256_ECDH ? CKK_EC : montgomery ? CKK_EC_MONTGOMERY : CKK_EC_EDWARDS;
            long mechanism = type == KeyType.P256_ECDH ? CKM_EC_KEY_PAIR_GEN
                    : montgomery ? CKM_EC_MONTGOMERY_KEY_PAIR_GEN : CKM_EC_EDWARDS_KEY_PAIR_GEN;
            byte[] params = type == KeyType.P256_ECDH ? EcKeys.P256_PARAMS : montgomery ? EcKeys.X25519_OID_PARAMS : EcKeys.X25519_NAME_PARAMS;
            AttributeVector pub = KeyUsage.agreementPublic(AttributeVector.newPublicKey(keyType).token(persistent).id(id).label(keyLabel))
                    .ecParams(params);
            AttributeVector priv = KeyUsage.agreementPrivate(AttributeVector.newPrivateKey(keyType).token(persistent).private_(true)
                    .sensitive(true).extractable(false).id(id).label(keyLabel));
            PKCS11KeyPair pair;
            try {
                pair = s.generateKeyPair(new Mechanism(mechanism), new KeyPairTemplate(priv, pub));
            } catch (PKCS11Exception e) {
                if (Pkcs11Token.sessionLost(e.getErrorCode())) {
                    throw e;
                }
                throw token.refused("generate a " + type + " key pair (C_GenerateKeyPair with " + ckmCodeToName(mechanism)
                        + "; private key " + Refusal.describe(priv) + "; public key " + Refusal.describe(pub) + ")", e);
            }
            keys.put(handleId, new TokenKey(type, pair.getPrivateKey(), EcKeys.readPublic(s, pair.getPublicKey(), type)));
            return null;
        });
        if (persistent) {
            LOG.info("generated a persistent {} key on token '{}' (id {})", type, token.label(), handleId);
        }
        return new AgreementKeyHandle(handleId, type);
    }

    @Override
    public AgreementKeyHandle importAgreementKey(KeyType type, byte[] privateKey, Persistence persistence) throws VaultException {
        if (!onToken(type, persistence)) {
            return software.importAgreementKey(type, privateKey, persistence);
        }
        requireOffered(type);
        if (type != KeyType.P256_ECDH) {
            throw new VaultException(ErrorKind.UNSUPPORTED, "X25519 keys are not imported onto token '" + token.label()
                    + "'; generate them there");
        }
        if (!P256.validPrivate(privateKey)) {
            throw new VaultException(ErrorKind.INVALID, "not a valid P-256 private key");
        }
        PublicKey publicKey = new PublicKey(type, P256.publicFromPrivate(privateKey));
        byte[] id = EcKeys.newId();
        String handleId = PREFIX + HexFormat.of().formatHex(id);
        boolean persistent = persistence == Persistence.PERSISTENT;
        token.withSession("import a P256_ECDH key (C_CreateObject of its private and public halves)", s -> {
            long priv = s.createObject(KeyUsage.agreementPrivate(AttributeVector.newPrivateKey(CKK_EC).token(persistent).private_(true)
                    .sensitive(true).extractable(false).id(id).label(keyLabel)).ecParams(EcKeys.P256_PARAMS).value(privateKey));
            s.createObject(KeyUsage.agreementPublic(AttributeVector.newPublicKey(CKK_EC).token(persistent).id(id).label(keyLabel))
                    .ecParams(EcKeys.P256_PARAMS).ecPoint(EcKeys.octetString(publicKey.bytes())));
            keys.put(handleId, new TokenKey(type, priv, publicKey));
            return null;
        });
        return new AgreementKeyHandle(handleId, type);
    }

    private TokenKey key(AgreementKeyHandle handle) throws VaultException {
        TokenKey k = keys.get(handle.id());
        if (k != null) {
            return k;
        }
        byte[] id;
        try {
            id = HexFormat.of().parseHex(handle.id().substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw notFound(handle);
        }
        TokenKey found = token.withSession("find the " + handle.type() + " key " + handle.id() + " labelled '" + keyLabel + "'", s -> {
            long[] privs = s.findObjectsSingle(agreementKeyTemplate().id(id), 2);
            long[] pubs = s.findObjectsSingle(publicKeyTemplate(id), 2);
            if (privs.length == 0 || pubs.length == 0) {
                return null;
            }
            KeyType type = agreementTypeOf(s, privs[0]);
            return type == null ? null : new TokenKey(type, privs[0], EcKeys.readPublic(s, pubs[0], type));
        });
        if (found == null || found.type() != handle.type()) {
            throw notFound(handle);
        }
        keys.put(handle.id(), found);
        return found;
    }

    /** This vault's private agreement keys: labelled so, deriving. */
    private AttributeVector agreementKeyTemplate() {
        return new AttributeVector().class_(CKO_PRIVATE_KEY).label(keyLabel).derive(true);
    }

    private AttributeVector publicKeyTemplate(byte[] id) {
        return new AttributeVector().class_(CKO_PUBLIC_KEY).label(keyLabel).id(id);
    }

    private VaultException notFound(AgreementKeyHandle handle) {
        return new VaultException(ErrorKind.NOT_FOUND, "no " + handle.type() + " key with id " + handle.id() + " on token '" + token.label() + "'");
    }

    /** The agreement type of a token private key, or {@code null} if it is none of ours. */
    private static KeyType agreementTypeOf(Session s, long privateHandle) throws PKCS11Exception {
        AttributeVector a = s.getAttrValues(privateHandle, CKA_KEY_TYPE, CKA_EC_PARAMS);
        Long kt = a.keyType();
        byte[] params = a.ecParams();
        if (kt == null) {
            return null;
        }
        if (kt == CKK_EC && Arrays.equals(params, EcKeys.P256_PARAMS)) {
            return KeyType.P256_ECDH;
        }
        // SoftHSM keeps the "curve25519" name it was given as the X25519 OID.
        boolean x25519 = kt == CKK_EC_MONTGOMERY || (kt == CKK_EC_EDWARDS
                && (Arrays.equals(params, EcKeys.X25519_OID_PARAMS) || Arrays.equals(params, EcKeys.X25519_NAME_PARAMS)));
        return x25519 ? KeyType.X25519 : null;
    }

    @Override
    public PublicKey publicKey(AgreementKeyHandle key) throws VaultException {
        return onToken(key) ? key(key).publicKey() : software.publicKey(key);
    }

    @Override
    public List<AgreementKeyHandle> agreementKeys() throws VaultException {
        List<AgreementKeyHandle> out = new ArrayList<>(software.agreementKeys());
        out.addAll(token.withSession("list the agreement keys labelled '" + keyLabel + "'", s -> {
            List<AgreementKeyHandle> found = new ArrayList<>();
            for (long h : s.findObjectsSingle(agreementKeyTemplate().token(true), 100_000)) {
                KeyType type = agreementTypeOf(s, h);
                byte[] id = s.getAttrValues(h, CKA_ID).id();
                if (type != null && id != null) {
                    found.add(new AgreementKeyHandle(PREFIX + HexFormat.of().formatHex(id), type));
                }
            }
            found.sort(Comparator.comparing(AgreementKeyHandle::id));
            return found;
        }));
        return out;
    }

    @Override
    public SecretHandle agree(AgreementKeyHandle key, PublicKey peer) throws VaultException {
        if (!onToken(key)) {
            return software.agree(key, peer);
        }
        TokenKey k = key(key);
        if (peer.type() != k.type()) {
            throw new VaultException(ErrorKind.INVALID, "cannot agree a " + k.type() + " key with a " + peer.type() + " key");
        }
        byte[] point = peer.bytes();
        if (k.type() == KeyType.P256_ECDH ? !P256.isValidPoint(point) : point.length != 32) {
            throw new VaultException(ErrorKind.INVALID, "invalid " + k.type() + " public key");
        }
        byte[] shared = token.withSession("derive with the " + k.type() + " key " + key.id() + " (C_DeriveKey with CKM_ECDH1_DERIVE)", s -> {
            AttributeVector template = KeyUsage.derivedSecret(AttributeVector.newSecretKey(CKK_GENERIC_SECRET).token(false)
                    .sensitive(false).extractable(true).valueLen(32));
            long derived;
            try {
                derived = s.deriveKey(new Mechanism(CKM_ECDH1_DERIVE, new ECDH1_DERIVE_PARAMS(CKD_NULL, null, point)),
                        k.privateHandle(), template);
            } catch (PKCS11Exception e) {
                long code = e.getErrorCode();
                // SoftHSM (through OpenSSL) answers an X25519 low-order point, whose result is all zero, with a
                // general error; the point was checked already for P-256.
                boolean refused = code == CKR_FUNCTION_FAILED || code == CKR_ARGUMENTS_BAD || code == CKR_MECHANISM_PARAM_INVALID
                        || code == CKR_DOMAIN_PARAMS_INVALID || (k.type() == KeyType.X25519 && code == CKR_GENERAL_ERROR);
                if (refused) {
                    throw new VaultException(ErrorKind.INVALID, "token '" + token.label() + "' refused to derive with this "
                            + k.type() + " public key (" + e.getErrorName() + "; a low-order point gives this)");
                }
                throw e;
            }
            try {
                return s.getAttrValues(derived, CKA_VALUE).value();
            } finally {
                s.destroyObject(derived);
            }
        });
        try {
            if (shared == null || shared.length != 32) {
                throw new VaultException(ErrorKind.INTERNAL, "token '" + token.label() + "' gave no 32-byte shared secret");
            }
            if (k.type() == KeyType.X25519 && isAllZero(shared)) {
                throw new VaultException(ErrorKind.INVALID, "X25519 agreement gave the all-zero secret (a low-order public key)");
            }
            return software.importSecret(shared);
        } finally {
            if (shared != null) {
                Arrays.fill(shared, (byte) 0);
            }
        }
    }

    private static boolean isAllZero(byte[] b) {
        int acc = 0;
        for (byte x : b) {
            acc |= x;
        }
        return acc == 0;
    }

    @Override
    public void delete(KeyHandle key) throws VaultException {
        if (!onToken(key)) {
            software.delete(key);
            return;
        }
        AgreementKeyHandle handle = (AgreementKeyHandle) key;
        key(handle);
        byte[] id = HexFormat.of().parseHex(handle.id().substring(PREFIX.length()));
        token.withSession("delete the " + handle.type() + " key " + handle.id() + " (C_DestroyObject)", s -> {
            for (long h : s.findObjectsSingle(new AttributeVector().id(id).label(keyLabel), 10)) {
                s.destroyObject(h);
            }
            return null;
        });
        keys.remove(handle.id());
    }

    // ---- everything below runs in the software vault --------------------------------------------------------------

    @Override
    public Set<AeadAlgorithm> aeadAlgorithms() {
        return software.aeadAlgorithms();
    }

    @Override
    public Set<HashAlgorithm> hashAlgorithms() {
        return software.hashAlgorithms();
    }

    @Override
    public SecretHandle importSecret(byte[] secret) throws VaultException {
        return software.importSecret(secret);
    }

    @Override
    public List<SecretHandle> hkdf(HashAlgorithm hash, SecretHandle salt, SecretHandle ikm, byte[] info, List<Integer> lengths)
            throws VaultException {
        return software.hkdf(hash, salt, ikm, info, lengths);
    }

    @Override
    public byte[] hmac(HashAlgorithm hash, SecretHandle key, byte[] data) throws VaultException {
        return software.hmac(hash, key, data);
    }

    @Override
    public AeadKeyHandle toAeadKey(SecretHandle secret, AeadAlgorithm algorithm) throws VaultException {
        return software.toAeadKey(secret, algorithm);
    }

    @Override
    public AeadKeyHandle rekey(AeadKeyHandle key) throws VaultException {
        return software.rekey(key);
    }

    @Override
    public byte[] aeadEncrypt(AeadKeyHandle key, byte[] nonce, byte[] associatedData, byte[] plaintext) throws VaultException {
        return software.aeadEncrypt(key, nonce, associatedData, plaintext);
    }

    @Override
    public byte[] aeadDecrypt(AeadKeyHandle key, byte[] nonce, byte[] associatedData, byte[] ciphertext)
            throws VaultException, AuthenticationFailedException {
        return software.aeadDecrypt(key, nonce, associatedData, ciphertext);
    }

    @Override
    public byte[] aeadEncrypt(AeadKeyHandle key, byte[] nonce, byte[] associatedData, byte[] plaintext, int headroom)
            throws VaultException {
        return software.aeadEncrypt(key, nonce, associatedData, plaintext, headroom);
    }

    @Override
    public byte[] aeadEncrypt(AeadKeyHandle key, byte[] nonce, byte[] associatedData, byte[] head, byte[] body,
            int bodyOffset, int bodyLength, int headroom) throws VaultException {
        return software.aeadEncrypt(key, nonce, associatedData, head, body, bodyOffset, bodyLength, headroom);
    }

    @Override
    public byte[] aeadDecrypt(AeadKeyHandle key, byte[] nonce, byte[] associatedData, byte[] input, int offset, int length)
            throws VaultException, AuthenticationFailedException {
        return software.aeadDecrypt(key, nonce, associatedData, input, offset, length);
    }

    @Override
    public SecretHandle concatenate(List<SecretHandle> parts) throws VaultException {
        return software.concatenate(parts);
    }

    @Override
    public byte[] xeddsaSign(AgreementKeyHandle key, byte[] message) throws VaultException {
        if (onToken(key)) {
            throw new VaultException(ErrorKind.UNSUPPORTED, "token '" + token.label() + "' does not sign with X25519 keys (XEdDSA)");
        }
        return software.xeddsaSign(key, message);
    }

    @Override
    public Set<KemAlgorithm> kemAlgorithms() {
        return software.kemAlgorithms();
    }

    @Override
    public KemKeyHandle generateKemKey(KemAlgorithm algorithm) throws VaultException {
        return software.generateKemKey(algorithm);
    }

    @Override
    public KemKeyHandle importKemKey(KemAlgorithm algorithm, byte[] seed) throws VaultException {
        return software.importKemKey(algorithm, seed);
    }

    @Override
    public byte[] kemPublicKey(KemKeyHandle key) throws VaultException {
        return software.kemPublicKey(key);
    }

    @Override
    public Encapsulation encapsulate(KemAlgorithm algorithm, byte[] publicKey) throws VaultException {
        return software.encapsulate(algorithm, publicKey);
    }

    @Override
    public Encapsulation encapsulate(KemAlgorithm algorithm, byte[] publicKey, byte[] randomness) throws VaultException {
        return software.encapsulate(algorithm, publicKey, randomness);
    }

    @Override
    public SecretHandle decapsulate(KemKeyHandle key, byte[] ciphertext) throws VaultException {
        return software.decapsulate(key, ciphertext);
    }

    @Override
    public byte[] exportSecret(SecretHandle secret, InsecureSecretAccess access) throws VaultException {
        return software.exportSecret(secret, access);
    }

    @Override
    public void close() {
        software.close();
        token.close();
    }

    @Override
    public String toString() {
        return "Pkcs11ChannelVault{token=" + token.label() + ", label=" + keyLabel + ", types=" + types + ", x25519OnToken=" + x25519OnToken + "}";
    }
}
