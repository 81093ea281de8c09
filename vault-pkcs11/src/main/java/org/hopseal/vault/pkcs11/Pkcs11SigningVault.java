package org.hopseal.vault.pkcs11;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_EC_PARAMS;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_ID;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_KEY_TYPE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_LABEL;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_VALUE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKK_EC;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKK_EC_EDWARDS;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKM_ECDSA;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKM_EC_EDWARDS_KEY_PAIR_GEN;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKM_EC_KEY_PAIR_GEN;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKM_EDDSA;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKO_DATA;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKO_PRIVATE_KEY;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKO_PUBLIC_KEY;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.ckmCodeToName;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.SigningKeyHandle;
import org.hopseal.api.vault.SigningVault;
import org.hopseal.vault.software.P256;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.KeyPairTemplate;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.PKCS11KeyPair;
import org.xipki.pkcs11.wrapper.Session;

/**
 * Identity signing keys generated and kept inside a PKCS#11 token, through the IAIK wrapper.
 *
 * <h2>Security guarantees</h2>
 * Keys are generated on the token with {@code CKA_TOKEN}, {@code CKA_PRIVATE} and {@code CKA_SENSITIVE} true and
 * {@code CKA_EXTRACTABLE} false: they can never be read out. Every usage attribute is set (see {@link KeyUsage}):
 * the private key signs and nothing else ({@code CKA_DECRYPT}, {@code CKA_UNWRAP}, {@code CKA_DERIVE},
 * {@code CKA_SIGN_RECOVER} false), the public key verifies and nothing else. A token that ties the public key's
 * {@code CKA_VERIFY} and {@code CKA_ENCRYPT} to the private key's usage (a TPM through tpm2-pkcs11) refuses that
 * public template and gets one that leaves those two to it. Either way the new private key is read back and destroyed
 * unless it signs and does nothing else, so no token default can widen it. Ed25519 signs with {@code CKM_EDDSA};
 * ECDSA P-256 hashes in software and signs the digest with {@code CKM_ECDSA} (raw r‖s). Key types come from the
 * token's mechanism list; a missing one is {@code UNSUPPORTED}, never a software fallback (a TPM offers no EdDSA, so
 * identities there are P-256). Login and PIN handling are {@link Pkcs11Token}'s; a refusal names the token, the
 * operation and the attributes given.
 *
 * <h2>Labels</h2>
 * The URI's {@code object=} ({@code hopseal} when absent) is the {@code CKA_LABEL} of the keys this vault makes,
 * and the vault sees only keys so labelled, of a signing key type, with {@code CKA_SIGN} true and {@code CKA_DERIVE}
 * false (so a P-256 ECDH key, which derives, is never taken for an ECDSA identity key). A label names one identity's
 * key: generating a key under a label that already names a signing key on the token is refused
 * ({@code ALREADY_EXISTS}), unless this vault has generated or opened a key so labelled itself, as a rotation does
 * (the identity's current key, found by its public key, signs the change to the new one). Records (public change histories) are {@code CKO_DATA}
 * objects of application {@code hopseal:LABEL}, so they too belong to the label; they are {@code CKA_PRIVATE} (read
 * after login only), which every token accepts and a TPM token requires. Records stored as public objects by earlier
 * versions are found as before.
 *
 * <h2>Thread safety</h2>
 * Thread safe. PKCS#11 calls are native and pin a virtual thread's carrier, so at most {@link #concurrency()} run at
 * once, each on a session from a pool sized from the token's limits. A closed session or a token that went away
 * is reopened on the next operation; the operation in between fails with {@code UNAVAILABLE}.
 *
 * @since 0.1
 */
public final class Pkcs11SigningVault implements SigningVault {
    private static final Logger LOG = LoggerFactory.getLogger(Pkcs11SigningVault.class);
    /** Records are data objects of application {@code hopseal:} and the key label. */
    private static final String APPLICATION_PREFIX = "hopseal:";

    private final Pkcs11Token token;
    private final String keyLabel;
    private final Set<KeyType> types;
    private final Map<String, CachedKey> keys = new ConcurrentHashMap<>();
    /** The ids of the keys this vault generated or opened: a new key beside one is a rotation, not a second identity. */
    private final Set<String> held = ConcurrentHashMap.newKeySet();

    private record CachedKey(KeyType type, long privateHandle, PublicKey publicKey) {
    }

    /** Signing keys labelled {@code keyLabel} on {@code token}; keys come from the token's mechanism list. */
    Pkcs11SigningVault(Pkcs11Token token, String keyLabel) {
        this.token = token;
        this.keyLabel = keyLabel;
        Set<KeyType> offered = EnumSet.noneOf(KeyType.class);
        if (token.has(CKM_EC_EDWARDS_KEY_PAIR_GEN) && token.has(CKM_EDDSA)) {
            offered.add(KeyType.ED25519);
        }
        if (token.has(CKM_EC_KEY_PAIR_GEN) && token.has(CKM_ECDSA)) {
            offered.add(KeyType.ECDSA_P256);
        }
        this.types = offered;
        token.onReset(keys::clear);
    }

    /** Opens the token a PKCS#11 URI names and logs in with the PIN from its {@code pin-source}. */
    public static Pkcs11SigningVault open(String uri) throws VaultException {
        Pkcs11Uri parsed = Pkcs11Uri.parse(uri);
        return new Pkcs11SigningVault(Pkcs11Token.open(parsed), parsed.path("object").orElse("hopseal"));
    }

    /** How many PKCS#11 calls may run at once. */
    public int concurrency() {
        return token.concurrency();
    }

    private <T> T withSession(String operation, Pkcs11Token.SessionCall<T> call) throws VaultException {
        return token.withSession(operation, call);
    }

    /** This vault's private signing keys: labelled so, signing, not deriving. */
    private AttributeVector signingKeyTemplate() {
        return new AttributeVector().class_(CKO_PRIVATE_KEY).label(keyLabel).sign(true).derive(false);
    }

    private AttributeVector publicKeyTemplate(byte[] id) {
        return new AttributeVector().class_(CKO_PUBLIC_KEY).label(keyLabel).id(id);
    }

    private AttributeVector recordsTemplate() {
        return new AttributeVector().class_(CKO_DATA).application(APPLICATION_PREFIX + keyLabel);
    }

    @Override
    public Set<KeyType> signingKeyTypes() {
        return types;
    }

    @Override
    public SigningKeyHandle generateSigningKey(KeyType type) throws VaultException {
        if (!types.contains(type)) {
            throw new VaultException(ErrorKind.UNSUPPORTED, "token '" + token.label() + "' cannot generate " + type
                    + " keys (its mechanisms: " + types + "); nothing was created in software instead");
        }
        byte[] id = EcKeys.newId();
        String hex = HexFormat.of().formatHex(id);
        withSession("generate a " + type + " identity key", s -> {
            refuseALabelInUse(s);
            PKCS11KeyPair pair = generatePair(s, type, id);
            KeyUsage.requireSigningOnly(s, pair, token, type);
            held.add(hex);
            keys.put(hex, new CachedKey(type, pair.getPrivateKey(), EcKeys.readPublic(s, pair.getPublicKey(), type)));
            return null;
        });
        LOG.info("generated a {} key labelled '{}' on token '{}' (id {})", type, keyLabel, token.label(), hex);
        return new SigningKeyHandle(hex, type);
    }

    /**
     * Generates the pair with every usage attribute set ({@link KeyUsage}); a token that refuses that template gets it
     * again with the public half's {@code CKA_VERIFY} and {@code CKA_ENCRYPT} left to it, as tpm2-pkcs11 needs (which
     * is remembered, so that its later keys go straight there; tpm2-pkcs11 itself goes there at once). Ed25519
     * parameters go as the OID, then as the curve's name (tokens before PKCS#11 3.0, SoftHSM 2.6). A refusal of every
     * template names each, and the codes.
     */
    private PKCS11KeyPair generatePair(Session s, KeyType type, byte[] id) throws PKCS11Exception, VaultException {
        boolean ed25519 = type == KeyType.ED25519;
        long keyType = ed25519 ? CKK_EC_EDWARDS : CKK_EC;
        Mechanism mechanism = new Mechanism(ed25519 ? CKM_EC_EDWARDS_KEY_PAIR_GEN : CKM_EC_KEY_PAIR_GEN);
        AttributeVector priv = KeyUsage.signingPrivate(AttributeVector.newPrivateKey(keyType).token(true).private_(true)
                .sensitive(true).extractable(false).id(id).label(keyLabel));
        List<byte[]> curves = ed25519 ? List.of(EcKeys.ED25519_OID_PARAMS, EcKeys.ED25519_NAME_PARAMS) : List.of(EcKeys.P256_PARAMS);
        List<Boolean> ties = token.publicUsageTied() ? List.of(true) : List.of(false, true);
        List<String> refusals = new ArrayList<>();
        PKCS11Exception last = null;
        for (boolean tied : ties) {
            for (byte[] curve : curves) {
                AttributeVector base = AttributeVector.newPublicKey(keyType).token(true).id(id).label(keyLabel);
                AttributeVector pub = (tied ? KeyUsage.signingPublicTied(base) : KeyUsage.signingPublic(base)).ecParams(curve);
                try {
                    PKCS11KeyPair pair = s.generateKeyPair(mechanism, new KeyPairTemplate(priv, pub));
                    if (tied && !token.publicUsageTied()) {
                        token.publicUsageTied(true);
                        LOG.info("token '{}' ({}) ties its public keys' CKA_VERIFY and CKA_ENCRYPT to the private key's usage (as a TPM"
                                + " does); they are left to it, and the private key is checked after each generation",
                                token.label(), token.library());
                    }
                    return pair;
                } catch (PKCS11Exception e) {
                    if (Pkcs11Token.sessionLost(e.getErrorCode())) {
                        throw e;
                    }
                    last = e;
                    refusals.add("public key " + Refusal.describe(pub) + ": " + Refusal.explain(e.getErrorCode()));
                }
            }
        }
        throw new VaultException(Refusal.kind(last.getErrorCode()), "token '" + token.label() + "' (" + token.library()
                + ") refused to generate a " + type + " key pair (C_GenerateKeyPair with " + ckmCodeToName(mechanism.getMechanismCode()) + "; private key "
                + Refusal.describe(priv) + ") with each public key template: " + String.join("; ", refusals), last);
    }

    /**
     * Refuses a new key under a label that names a signing key already, unless this vault uses a key so labelled (a
     * rotation): a fresh vault making one is creating a second identity, and {@code object=} would become ambiguous.
     */
    private void refuseALabelInUse(Session s) throws PKCS11Exception, VaultException {
        if (!held.isEmpty()) {
            return;
        }
        for (long h : s.findObjectsSingle(signingKeyTemplate(), 1_000)) {
            if (typeOf(s, h) != null) {
                throw new VaultException(ErrorKind.ALREADY_EXISTS, "token '" + token.label() + "' already holds an identity key labelled '"
                        + keyLabel + "' (object=" + keyLabel + "); a label names one identity's key, so no key was created: use that"
                        + " identity, or choose another object= label");
            }
        }
    }

    private CachedKey key(SigningKeyHandle handle) throws VaultException {
        CachedKey k = keys.get(handle.id());
        if (k != null) {
            return k;
        }
        byte[] id;
        try {
            id = HexFormat.of().parseHex(handle.id());
        } catch (IllegalArgumentException e) {
            throw new VaultException(ErrorKind.NOT_FOUND, "no key with id " + handle.id() + " on token '" + token.label() + "'");
        }
        CachedKey found = withSession("find the identity key " + handle.id() + " labelled '" + keyLabel + "'", s -> {
            long[] privs = s.findObjectsSingle(signingKeyTemplate().id(id), 2);
            long[] pubs = s.findObjectsSingle(publicKeyTemplate(id), 2);
            if (privs.length == 0 || pubs.length == 0) {
                return null;
            }
            KeyType type = typeOf(s, privs[0]);
            return type == null ? null : new CachedKey(type, privs[0], EcKeys.readPublic(s, pubs[0], type));
        });
        if (found == null) {
            throw new VaultException(ErrorKind.NOT_FOUND, "no key with id " + handle.id() + " on token '" + token.label() + "'");
        }
        if (found.type() != handle.type()) {
            throw new VaultException(ErrorKind.INVALID, "key " + handle.id() + " is " + found.type() + ", not " + handle.type());
        }
        held.add(handle.id());
        keys.put(handle.id(), found);
        return found;
    }

    private static KeyType typeOf(Session s, long privateHandle) throws PKCS11Exception {
        AttributeVector a = s.getAttrValues(privateHandle, CKA_KEY_TYPE, CKA_EC_PARAMS);
        Long kt = a.keyType();
        if (kt == null) {
            return null;
        }
        if (kt == CKK_EC_EDWARDS) {
            // SoftHSM types its X25519 keys as Edwards keys too; their parameters tell them apart.
            boolean ed25519 = Arrays.equals(a.ecParams(), EcKeys.ED25519_OID_PARAMS) || Arrays.equals(a.ecParams(), EcKeys.ED25519_NAME_PARAMS);
            return ed25519 ? KeyType.ED25519 : null;
        }
        return kt == CKK_EC && Arrays.equals(a.ecParams(), EcKeys.P256_PARAMS) ? KeyType.ECDSA_P256 : null;
    }

    @Override
    public PublicKey publicKey(SigningKeyHandle key) throws VaultException {
        return key(key).publicKey();
    }

    @Override
    public Optional<SigningKeyHandle> find(PublicKey publicKey) throws VaultException {
        for (SigningKeyHandle h : signingKeys()) {
            if (key(h).publicKey().equals(publicKey)) {
                return Optional.of(h);
            }
        }
        return Optional.empty();
    }

    @Override
    public List<SigningKeyHandle> signingKeys() throws VaultException {
        return withSession("list the identity keys labelled '" + keyLabel + "'", s -> {
            List<SigningKeyHandle> out = new ArrayList<>();
            for (long h : s.findObjectsSingle(signingKeyTemplate(), 100_000)) {
                KeyType type = typeOf(s, h);
                byte[] id = s.getAttrValues(h, CKA_ID).id();
                if (type != null && id != null) {
                    out.add(new SigningKeyHandle(HexFormat.of().formatHex(id), type));
                }
            }
            out.sort(Comparator.comparing(SigningKeyHandle::id));
            return out;
        });
    }

    @Override
    public byte[] sign(SigningKeyHandle key, byte[] data) throws VaultException {
        CachedKey k = key(key);
        String mechanism = k.type() == KeyType.ED25519 ? "CKM_EDDSA" : "CKM_ECDSA";
        return withSession("sign with the " + k.type() + " key " + key.id() + " (C_Sign with " + mechanism + ")", s -> {
            if (k.type() == KeyType.ED25519) {
                return s.signSingle(new Mechanism(CKM_EDDSA), k.privateHandle(), data);
            }
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(data);
                // Tokens return either S; Hopseal accepts only low-S (one encoding per signature).
                return P256.lowS(s.signSingle(new Mechanism(CKM_ECDSA), k.privateHandle(), digest));
            } catch (NoSuchAlgorithmException e) {
                throw new VaultException(ErrorKind.INTERNAL, "SHA-256 is missing from this JDK", e);
            }
        });
    }

    @Override
    public void delete(SigningKeyHandle key) throws VaultException {
        key(key);
        byte[] id = HexFormat.of().parseHex(key.id());
        withSession("delete the identity key " + key.id() + " (C_DestroyObject)", s -> {
            for (long h : s.findObjectsSingle(new AttributeVector().id(id).label(keyLabel), 10)) {
                s.destroyObject(h);
            }
            return null;
        });
        keys.remove(key.id());
        held.remove(key.id());
    }

    @Override
    public void putRecord(String name, byte[] value) throws VaultException {
        // CKA_PRIVATE true: records are read only after login anyway, and a TPM token refuses public data objects.
        AttributeVector record = recordTemplate(name).token(true).private_(true).value(value);
        withSession("store the record '" + name + "' (C_CreateObject: " + Refusal.describe(record) + ")", s -> {
            long[] old = s.findObjectsSingle(recordTemplate(name), 10);
            s.createObject(record);
            for (long h : old) {
                s.destroyObject(h);
            }
            return null;
        });
    }

    @Override
    public void deleteRecord(String name) throws VaultException {
        withSession("delete the record '" + name + "' (C_DestroyObject)", s -> {
            for (long h : s.findObjectsSingle(recordTemplate(name), 10)) {
                s.destroyObject(h);
            }
            return null;
        });
    }

    private AttributeVector recordTemplate(String name) {
        return recordsTemplate().label(name);
    }

    @Override
    public Optional<byte[]> record(String name) throws VaultException {
        return withSession("read the record '" + name + "'", s -> {
            long[] found = s.findObjectsSingle(recordTemplate(name), 2);
            return found.length == 0 ? Optional.<byte[]>empty() : Optional.ofNullable(s.getAttrValues(found[0], CKA_VALUE).value());
        });
    }

    @Override
    public List<String> recordNames() throws VaultException {
        return withSession("list the records of application '" + APPLICATION_PREFIX + keyLabel + "'", s -> {
            List<String> out = new ArrayList<>();
            for (long h : s.findObjectsSingle(recordsTemplate(), 100_000)) {
                String label = s.getAttrValues(h, CKA_LABEL).label();
                if (label != null) {
                    out.add(label);
                }
            }
            out.sort(null);
            return out;
        });
    }

    @Override
    public void close() {
        token.close();
    }

    @Override
    public String toString() {
        return "Pkcs11SigningVault{token=" + token.label() + ", label=" + keyLabel + ", types=" + types + "}";
    }

}
