package org.hopseal.vault.pkcs11;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_EC_PARAMS;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_EC_POINT;
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
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_DEVICE_REMOVED;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_PIN_INCORRECT;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_PIN_LOCKED;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_SESSION_CLOSED;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_SESSION_HANDLE_INVALID;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_TOKEN_NOT_PRESENT;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_USER_ALREADY_LOGGED_IN;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_USER_NOT_LOGGED_IN;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKU_USER;


import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.SigningKeyHandle;
import org.hopseal.api.vault.SigningVault;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.KeyPairTemplate;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.PKCS11KeyPair;
import org.xipki.pkcs11.wrapper.PKCS11Module;
import org.xipki.pkcs11.wrapper.Session;
import org.xipki.pkcs11.wrapper.Slot;
import org.xipki.pkcs11.wrapper.StaticLogger;
import org.xipki.pkcs11.wrapper.Token;

/**
 * Identity signing keys generated and kept inside a PKCS#11 token, through the IAIK wrapper.
 *
 * <h2>Security guarantees</h2>
 * Keys are generated on the token with {@code CKA_TOKEN}, {@code CKA_PRIVATE} and {@code CKA_SENSITIVE} true and
 * {@code CKA_EXTRACTABLE} false: they can sign and can never be read out. Ed25519 signs with {@code CKM_EDDSA};
 * ECDSA P-256 hashes in software and signs the digest with {@code CKM_ECDSA} (raw r‖s). Key types come from the
 * token's mechanism list; a missing one is {@code UNSUPPORTED}, never a software fallback. The PIN comes from
 * {@code pin-source}, is wiped right after login, is never logged, and a wrong PIN is not retried (so the token is
 * not locked). Records (public change histories) are {@code CKO_DATA} objects of application {@code hopseal}.
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
    private static final byte[] P256_PARAMS = HexFormat.of().parseHex("06082a8648ce3d030107");
    private static final byte[] ED25519_OID_PARAMS = HexFormat.of().parseHex("06032b6570");
    private static final byte[] ED25519_NAME_PARAMS = HexFormat.of().parseHex("130c656477617264733235353139");
    private static final String APPLICATION = "hopseal";
    private static final Map<String, PKCS11Module> MODULES = new ConcurrentHashMap<>();
    private static final ReentrantLock MODULE_LOCK = new ReentrantLock();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Token token;
    private final String tokenLabel;
    private final String pinSource;
    private final String keyLabel;
    private final Set<KeyType> types;
    private final int concurrency;
    private final Semaphore permits;
    private final LinkedBlockingQueue<Session> idle = new LinkedBlockingQueue<>();
    private final Map<String, CachedKey> keys = new ConcurrentHashMap<>();
    private final ReentrantLock loginLock = new ReentrantLock();
    private volatile boolean loggedIn;
    private volatile boolean closed;

    private record CachedKey(KeyType type, long privateHandle, PublicKey publicKey) {
    }

    @FunctionalInterface
    private interface SessionCall<T> {
        T run(Session s) throws PKCS11Exception, VaultException;
    }

    private Pkcs11SigningVault(Token token, String tokenLabel, String pinSource, String keyLabel, Set<KeyType> types, int concurrency) {
        this.token = token;
        this.tokenLabel = tokenLabel;
        this.pinSource = pinSource;
        this.keyLabel = keyLabel;
        this.types = types;
        this.concurrency = concurrency;
        this.permits = new Semaphore(concurrency);
    }

    /** Opens the token a PKCS#11 URI names and logs in with the PIN from its {@code pin-source}. */
    public static Pkcs11SigningVault open(String uri) throws VaultException {
        return open(Pkcs11Uri.parse(uri));
    }

    static Pkcs11SigningVault open(Pkcs11Uri uri) throws VaultException {
        String modulePath = uri.query("module-path").orElseThrow(() -> new VaultException(ErrorKind.INVALID,
                "the PKCS#11 URI needs module-path=/path/to/module.so (e.g. /usr/lib/softhsm/libsofthsm2.so)"));
        String pinSource = uri.query("pin-source").orElseThrow(() -> new VaultException(ErrorKind.INVALID,
                "the PKCS#11 URI needs pin-source=env:NAME or pin-source=file:PATH"));
        PKCS11Module module = module(modulePath);
        Optional<String> label = uri.path("token");
        Optional<String> serial = uri.path("serial");
        if (label.isEmpty() && serial.isEmpty()) {
            throw new VaultException(ErrorKind.INVALID, "the PKCS#11 URI needs token=LABEL or serial=SERIAL");
        }
        Token token = null;
        List<String> seen = new ArrayList<>();
        try {
            for (Slot slot : module.getSlotList(true)) {
                Token t = slot.getToken();
                String l = t.getTokenInfo().getLabel().trim();
                String s = t.getTokenInfo().getSerialNumber().trim();
                seen.add(l + " (serial " + s + ")");
                if (label.map(l::equals).orElse(true) && serial.map(s::equals).orElse(true)) {
                    token = t;
                    break;
                }
            }
        } catch (PKCS11Exception e) {
            throw new VaultException(ErrorKind.UNAVAILABLE, "cannot list the tokens of " + modulePath + ": " + e.getErrorName(), e);
        }
        if (token == null) {
            throw new VaultException(ErrorKind.NOT_FOUND, "no token " + label.map(l -> "labelled '" + l + "'").orElse("")
                    + serial.map(s -> " with serial " + s).orElse("") + " in " + modulePath + "; found: "
                    + (seen.isEmpty() ? "none" : String.join(", ", seen)));
        }
        Set<KeyType> types = EnumSet.noneOf(KeyType.class);
        long[] mechanisms = token.getMechanismList();
        if (contains(mechanisms, CKM_EC_EDWARDS_KEY_PAIR_GEN) && contains(mechanisms, CKM_EDDSA)) {
            types.add(KeyType.ED25519);
        }
        if (contains(mechanisms, CKM_EC_KEY_PAIR_GEN) && contains(mechanisms, CKM_ECDSA)) {
            types.add(KeyType.ECDSA_P256);
        }
        int concurrency;
        try {
            long max = token.getTokenInfo().getMaxSessionCount();
            int cpus = Runtime.getRuntime().availableProcessors();
            concurrency = (int) Math.max(1, Math.min(max <= 0 || max > 1_000_000 ? Integer.MAX_VALUE : max - 1, Math.max(2, cpus)));
        } catch (PKCS11Exception e) {
            concurrency = 2;
        }
        String tokenLabel = label.orElse(serial.orElse(""));
        Pkcs11SigningVault v = new Pkcs11SigningVault(token, tokenLabel, pinSource, uri.path("object").orElse("hopseal"), types, concurrency);
        v.login();
        return v;
    }

    private static boolean contains(long[] list, long v) {
        for (long x : list) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    private static PKCS11Module module(String path) throws VaultException {
        if (!Files.isRegularFile(Path.of(path))) {
            throw new VaultException(ErrorKind.NOT_FOUND, "the PKCS#11 module " + path + " does not exist (install it, e.g. Debian's softhsm2, or fix module-path)");
        }
        MODULE_LOCK.lock();
        try {
            PKCS11Module m = MODULES.get(path);
            if (m == null) {
                StaticLogger.setLogger(new Slf4jWrapperLogger());
                try {
                    m = PKCS11Module.getInstance(path);
                    m.initialize();
                } catch (Exception e) {
                    throw new VaultException(ErrorKind.UNAVAILABLE, "cannot load the PKCS#11 module " + path + ": " + e.getMessage(), e);
                }
                MODULES.put(path, m);
            }
            return m;
        } finally {
            MODULE_LOCK.unlock();
        }
    }

    /** Logs in once with a PIN read from the pin source and wiped at once. Never retried on a wrong PIN. */
    private void login() throws VaultException {
        loginLock.lock();
        char[] pin = null;
        Session s = null;
        try {
            if (loggedIn) {
                return;
            }
            pin = PinSource.read(pinSource);
            s = token.openSession(true);
            try {
                s.login(CKU_USER, pin);
            } catch (PKCS11Exception e) {
                if (e.getErrorCode() == CKR_PIN_INCORRECT) {
                    throw new VaultException(ErrorKind.AUTHENTICATION, "wrong PIN for token '" + tokenLabel
                            + "' (not retried, so that the token is not locked)");
                }
                if (e.getErrorCode() == CKR_PIN_LOCKED) {
                    throw new VaultException(ErrorKind.AUTHENTICATION, "the PIN of token '" + tokenLabel + "' is locked");
                }
                if (e.getErrorCode() != CKR_USER_ALREADY_LOGGED_IN) {
                    throw e;
                }
            }
            loggedIn = true;
            idle.offer(s);
            s = null;
        } catch (PKCS11Exception e) {
            throw new VaultException(ErrorKind.UNAVAILABLE, "cannot log in to token '" + tokenLabel + "': " + e.getErrorName(), e);
        } finally {
            if (pin != null) {
                Arrays.fill(pin, '\0');
            }
            if (s != null) {
                closeQuietly(s);
            }
            loginLock.unlock();
        }
    }

    /** How many PKCS#11 calls may run at once. */
    public int concurrency() {
        return concurrency;
    }

    private <T> T withSession(SessionCall<T> call) throws VaultException {
        if (closed) {
            throw new VaultException(ErrorKind.SHUTDOWN, "the PKCS#11 vault is closed");
        }
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VaultException(ErrorKind.SHUTDOWN, "interrupted while waiting for a PKCS#11 session");
        }
        Session s = null;
        boolean healthy = true;
        try {
            login();
            s = idle.poll();
            if (s == null) {
                s = token.openSession(true);
            }
            return call.run(s);
        } catch (PKCS11Exception e) {
            long code = e.getErrorCode();
            if (code == CKR_SESSION_HANDLE_INVALID || code == CKR_SESSION_CLOSED || code == CKR_DEVICE_REMOVED
                    || code == CKR_TOKEN_NOT_PRESENT || code == CKR_USER_NOT_LOGGED_IN) {
                healthy = false;
                loggedIn = false;
                keys.clear();
                idle.clear();
                throw new VaultException(ErrorKind.UNAVAILABLE, "token '" + tokenLabel + "' closed the session or went away ("
                        + e.getErrorName() + "); it is reopened on the next operation", e);
            }
            throw new VaultException(ErrorKind.INTERNAL, "PKCS#11 call failed on token '" + tokenLabel + "': " + e.getErrorName(), e);
        } finally {
            if (s != null) {
                if (healthy && !closed) {
                    idle.offer(s);
                } else {
                    closeQuietly(s);
                }
            }
            permits.release();
        }
    }

    private static void closeQuietly(Session s) {
        try {
            s.closeSession();
        } catch (PKCS11Exception ignored) {
            // already gone
        }
    }

    @Override
    public Set<KeyType> signingKeyTypes() {
        return types;
    }

    @Override
    public SigningKeyHandle generateSigningKey(KeyType type) throws VaultException {
        if (!types.contains(type)) {
            throw new VaultException(ErrorKind.UNSUPPORTED, "token '" + tokenLabel + "' cannot generate " + type
                    + " keys (its mechanisms: " + types + "); nothing was created in software instead");
        }
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        String hex = HexFormat.of().formatHex(id);
        withSession(s -> {
            long keyType = type == KeyType.ED25519 ? CKK_EC_EDWARDS : CKK_EC;
            AttributeVector pub = AttributeVector.newPublicKey(keyType).token(true).verify(true).id(id).label(keyLabel);
            AttributeVector priv = AttributeVector.newPrivateKey(keyType).token(true).private_(true).sensitive(true)
                    .extractable(false).sign(true).id(id).label(keyLabel);
            long mechanism = type == KeyType.ED25519 ? CKM_EC_EDWARDS_KEY_PAIR_GEN : CKM_EC_KEY_PAIR_GEN;
            byte[] params = type == KeyType.ED25519 ? ED25519_OID_PARAMS : P256_PARAMS;
            PKCS11KeyPair pair;
            try {
                pair = s.generateKeyPair(new Mechanism(mechanism), new KeyPairTemplate(priv, pub.ecParams(params)));
            } catch (PKCS11Exception e) {
                if (type != KeyType.ED25519) {
                    throw e;
                }
                // Tokens before PKCS#11 3.0 (SoftHSM 2.6) name the curve rather than give its OID.
                AttributeVector pub2 = AttributeVector.newPublicKey(keyType).token(true).verify(true).id(id).label(keyLabel)
                        .ecParams(ED25519_NAME_PARAMS);
                pair = s.generateKeyPair(new Mechanism(mechanism), new KeyPairTemplate(priv, pub2));
            }
            keys.put(hex, new CachedKey(type, pair.getPrivateKey(), readPublic(s, pair.getPublicKey(), type)));
            return null;
        });
        LOG.info("generated a {} key on token '{}' (id {})", type, tokenLabel, hex);
        return new SigningKeyHandle(hex, type);
    }

    private static PublicKey readPublic(Session s, long publicHandle, KeyType type) throws PKCS11Exception, VaultException {
        byte[] point = s.getAttrValues(publicHandle, CKA_EC_POINT).ecPoint();
        int expected = type == KeyType.ED25519 ? 32 : 65;
        // CKA_EC_POINT is a DER OCTET STRING around the point; some tokens give the bare point.
        if (point != null && point.length == expected + 2 && point[0] == 0x04 && (point[1] & 0xFF) == expected) {
            point = Arrays.copyOfRange(point, 2, point.length);
        }
        if (point == null || point.length != expected) {
            throw new VaultException(ErrorKind.INVALID, "unexpected public key encoding from the token");
        }
        return new PublicKey(type, point);
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
            throw new VaultException(ErrorKind.NOT_FOUND, "no key with id " + handle.id() + " on token '" + tokenLabel + "'");
        }
        CachedKey found = withSession(s -> {
            long[] privs = s.findObjectsSingle(new AttributeVector().class_(CKO_PRIVATE_KEY).id(id), 2);
            long[] pubs = s.findObjectsSingle(new AttributeVector().class_(CKO_PUBLIC_KEY).id(id), 2);
            if (privs.length == 0 || pubs.length == 0) {
                return null;
            }
            KeyType type = typeOf(s, privs[0]);
            return type == null ? null : new CachedKey(type, privs[0], readPublic(s, pubs[0], type));
        });
        if (found == null) {
            throw new VaultException(ErrorKind.NOT_FOUND, "no key with id " + handle.id() + " on token '" + tokenLabel + "'");
        }
        if (found.type() != handle.type()) {
            throw new VaultException(ErrorKind.INVALID, "key " + handle.id() + " is " + found.type() + ", not " + handle.type());
        }
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
            return KeyType.ED25519;
        }
        return kt == CKK_EC && Arrays.equals(a.ecParams(), P256_PARAMS) ? KeyType.ECDSA_P256 : null;
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
        return withSession(s -> {
            List<SigningKeyHandle> out = new ArrayList<>();
            for (long h : s.findObjectsSingle(new AttributeVector().class_(CKO_PRIVATE_KEY).sign(true), 100_000)) {
                KeyType type = typeOf(s, h);
                byte[] id = s.getAttrValues(h, CKA_ID).id();
                if (type != null && id != null) {
                    out.add(new SigningKeyHandle(HexFormat.of().formatHex(id), type));
                }
            }
            out.sort(java.util.Comparator.comparing(SigningKeyHandle::id));
            return out;
        });
    }

    @Override
    public byte[] sign(SigningKeyHandle key, byte[] data) throws VaultException {
        CachedKey k = key(key);
        return withSession(s -> {
            if (k.type() == KeyType.ED25519) {
                return s.signSingle(new Mechanism(CKM_EDDSA), k.privateHandle(), data);
            }
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(data);
                return s.signSingle(new Mechanism(CKM_ECDSA), k.privateHandle(), digest);
            } catch (NoSuchAlgorithmException e) {
                throw new VaultException(ErrorKind.INTERNAL, "SHA-256 is missing from this JDK", e);
            }
        });
    }

    @Override
    public void delete(SigningKeyHandle key) throws VaultException {
        key(key);
        byte[] id = HexFormat.of().parseHex(key.id());
        withSession(s -> {
            for (long h : s.findObjectsSingle(new AttributeVector().id(id), 10)) {
                s.destroyObject(h);
            }
            return null;
        });
        keys.remove(key.id());
    }

    @Override
    public void putRecord(String name, byte[] value) throws VaultException {
        withSession(s -> {
            long[] old = s.findObjectsSingle(recordTemplate(name), 10);
            s.createObject(recordTemplate(name).token(true).private_(false).value(value));
            for (long h : old) {
                s.destroyObject(h);
            }
            return null;
        });
    }

    private static AttributeVector recordTemplate(String name) {
        return new AttributeVector().class_(CKO_DATA).application(APPLICATION).label(name);
    }

    @Override
    public Optional<byte[]> record(String name) throws VaultException {
        return withSession(s -> {
            long[] found = s.findObjectsSingle(recordTemplate(name), 2);
            return found.length == 0 ? Optional.<byte[]>empty() : Optional.ofNullable(s.getAttrValues(found[0], CKA_VALUE).value());
        });
    }

    @Override
    public List<String> recordNames() throws VaultException {
        return withSession(s -> {
            List<String> out = new ArrayList<>();
            for (long h : s.findObjectsSingle(new AttributeVector().class_(CKO_DATA).application(APPLICATION), 100_000)) {
                String label = s.getAttrValues(h, CKA_LABEL).label();
                if (label != null) {
                    out.add(label);
                }
            }
            out.sort(null);
            return out;
        });
    }

    /** Testing only: tries to read the private key's CKA_VALUE; a sensitive, non-extractable key gives nothing. */
    byte[] tryReadPrivateValue(SigningKeyHandle handle) throws VaultException {
        CachedKey k = key(handle);
        return withSession(s -> {
            try {
                return s.getAttrValues(k.privateHandle(), CKA_VALUE).value();
            } catch (PKCS11Exception e) {
                return null;
            }
        });
    }

    @Override
    public void close() {
        closed = true;
        Session s;
        while ((s = idle.poll()) != null) {
            closeQuietly(s);
        }
    }

    @Override
    public String toString() {
        return "Pkcs11SigningVault{token=" + tokenLabel + ", types=" + types + "}";
    }

}
