package org.hopseal.vault.pkcs11;

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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.SecretSource;
import org.xipki.pkcs11.wrapper.ModuleInfo;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.PKCS11Module;
import org.xipki.pkcs11.wrapper.Session;
import org.xipki.pkcs11.wrapper.Slot;
import org.xipki.pkcs11.wrapper.StaticLogger;
import org.xipki.pkcs11.wrapper.Token;
import org.xipki.pkcs11.wrapper.TokenException;

/**
 * One logged-in PKCS#11 token and its pool of read-write sessions, shared by the vaults that keep keys on it.
 *
 * <p>The PIN comes from {@code pin-source}, is wiped right after login and never logged; a wrong PIN is not retried
 * (so the token is not locked). PKCS#11 calls are native and pin a virtual thread's carrier, so at most
 * {@link #concurrency()} run at once, each on its own session. A closed session or a token that went away fails the
 * operation in progress with {@code UNAVAILABLE}; the next operation opens new sessions and logs in again.
 *
 * <p>Thread safety: thread safe.
 */
final class Pkcs11Token implements AutoCloseable {
    private static final Map<String, PKCS11Module> MODULES = new ConcurrentHashMap<>();
    /** The manufacturer tpm2-pkcs11 gives in its library info. */
    private static final String TPM2_PKCS11 = "tpm2-software.github.io";
    private static final ReentrantLock MODULE_LOCK = new ReentrantLock();

    private final Token token;
    private final String label;
    /** The module that drives the token, as its library info names it (for messages). */
    private final String library;
    private final SecretSource pinSource;
    private final long[] mechanisms;
    private final int concurrency;
    private final Semaphore permits;
    private final LinkedBlockingQueue<Session> idle = new LinkedBlockingQueue<>();
    private final ReentrantLock loginLock = new ReentrantLock();
    private final List<Runnable> resetListeners = new CopyOnWriteArrayList<>();
    private volatile boolean loggedIn;
    private volatile boolean closed;
    private volatile boolean publicUsageTied;

    @FunctionalInterface
    interface SessionCall<T> {
        T run(Session s) throws PKCS11Exception, VaultException;
    }

    private Pkcs11Token(Token token, String label, String library, SecretSource pinSource, long[] mechanisms, int concurrency) {
        this.token = token;
        this.label = label;
        this.library = library;
        this.publicUsageTied = library.endsWith(TPM2_PKCS11);
        this.pinSource = pinSource;
        this.mechanisms = mechanisms;
        this.concurrency = concurrency;
        this.permits = new Semaphore(concurrency);
    }

    /** Finds the token {@code uri} names in its module and logs in with the PIN from its {@code pin-source}. */
    static Pkcs11Token open(Pkcs11Uri uri) throws VaultException {
        String modulePath = uri.query("module-path").orElseThrow(() -> new VaultException(ErrorKind.INVALID,
                "the PKCS#11 URI needs module-path=/path/to/module.so (e.g. /usr/lib/softhsm/libsofthsm2.so)"));
        SecretSource pinSource = SecretSource.parse("pin-source", uri.query("pin-source").orElseThrow(() -> new VaultException(
                ErrorKind.INVALID, "the PKCS#11 URI needs pin-source=env:NAME or pin-source=file:PATH")));
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
        int concurrency;
        try {
            long max = token.getTokenInfo().getMaxSessionCount();
            int cpus = Runtime.getRuntime().availableProcessors();
            concurrency = (int) Math.max(1, Math.min(max <= 0 || max > 1_000_000 ? Integer.MAX_VALUE : max - 1, Math.max(2, cpus)));
        } catch (PKCS11Exception e) {
            concurrency = 2;
        }
        Pkcs11Token t = new Pkcs11Token(token, label.orElse(serial.orElse("")), library(module), pinSource, token.getMechanismList(), concurrency);
        t.login();
        return t;
    }

    /** "TPM2.0 Cryptoki 1.9, tpm2-software.github.io": what the module says it is, or its path. */
    private static String library(PKCS11Module module) {
        try {
            ModuleInfo info = module.getInfo();
            return info.getLibraryDescription().trim() + " " + info.getLibraryVersion() + ", " + info.getManufacturerID().trim();
        } catch (TokenException e) {
            return "a PKCS#11 module that gives no library info";
        }
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
            pin = pinSource.read();
            s = token.openSession(true);
            try {
                s.login(CKU_USER, pin);
            } catch (PKCS11Exception e) {
                if (e.getErrorCode() == CKR_PIN_INCORRECT) {
                    throw new VaultException(ErrorKind.AUTHENTICATION, "wrong PIN for token '" + label
                            + "' (not retried, so that the token is not locked)");
                }
                if (e.getErrorCode() == CKR_PIN_LOCKED) {
                    throw new VaultException(ErrorKind.AUTHENTICATION, "the PIN of token '" + label + "' is locked");
                }
                if (e.getErrorCode() != CKR_USER_ALREADY_LOGGED_IN) {
                    throw e;
                }
            }
            loggedIn = true;
            idle.offer(s);
            s = null;
        } catch (PKCS11Exception e) {
            throw new VaultException(ErrorKind.UNAVAILABLE, "cannot log in to token '" + label + "': " + e.getErrorName(), e);
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

    /** The token's label (or serial) as the URI named it. */
    String label() {
        return label;
    }

    /** The module that drives the token, as its library info names it, e.g. "TPM2.0 Cryptoki 1.9, tpm2-software.github.io". */
    String library() {
        return library;
    }

    /**
     * Whether the token ties a public key's {@code CKA_VERIFY} and {@code CKA_ENCRYPT} to its private key's usage, so
     * that a template setting them is refused ({@link KeyUsage#signingPublicTied}): known of tpm2-pkcs11 (whose
     * source maps both halves onto the one TPM object's sign and decrypt bits), which is so told apart by its library
     * info and spared a refused attempt (and the error lines it logs), and learned of any other token that refuses.
     */
    boolean publicUsageTied() {
        return publicUsageTied;
    }

    /** Records whether the token ties its public keys' usage (set when it refused a full template; tests reset it). */
    void publicUsageTied(boolean tied) {
        publicUsageTied = tied;
    }

    /** Whether the token lists {@code mechanism}. */
    boolean has(long mechanism) {
        for (long m : mechanisms) {
            if (m == mechanism) {
                return true;
            }
        }
        return false;
    }

    /** How many PKCS#11 calls may run at once. */
    int concurrency() {
        return concurrency;
    }

    /** Runs {@code action} whenever the sessions are lost, so that object handles cached from them are dropped. */
    void onReset(Runnable action) {
        resetListeners.add(action);
    }

    /**
     * Runs {@code call} on a pooled session, logging in first if needed. A refusal by the token is a
     * {@link VaultException} that names the token and {@code operation} (what the call does and the attributes it
     * gives, e.g. "store the record 'x' (C_CreateObject: CKA_CLASS=CKO_DATA, ...)") and says what the code means.
     */
    <T> T withSession(String operation, SessionCall<T> call) throws VaultException {
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
            if (sessionLost(e.getErrorCode())) {
                healthy = false;
                loggedIn = false;
                idle.clear();
                resetListeners.forEach(Runnable::run);
                throw new VaultException(ErrorKind.UNAVAILABLE, "token '" + label + "' closed the session or went away ("
                        + e.getErrorName() + "); it is reopened on the next operation", e);
            }
            throw refused(operation, e);
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

    /** Whether {@code code} says the session, the login or the token itself is gone (not a refusal of the call). */
    static boolean sessionLost(long code) {
        return code == CKR_SESSION_HANDLE_INVALID || code == CKR_SESSION_CLOSED || code == CKR_DEVICE_REMOVED
                || code == CKR_TOKEN_NOT_PRESENT || code == CKR_USER_NOT_LOGGED_IN;
    }

    /** "token 'L' (library) refused to OPERATION: CKR_X (what it means)", of the kind the code calls for. */
    VaultException refused(String operation, PKCS11Exception e) {
        return new VaultException(Refusal.kind(e.getErrorCode()), "token '" + label + "' (" + library + ") refused to " + operation + ": "
                + Refusal.explain(e.getErrorCode()), e);
    }

    private static void closeQuietly(Session s) {
        try {
            s.closeSession();
        } catch (PKCS11Exception ignored) {
            // already gone
        }
    }

    /** Closes the pooled sessions; later operations fail with {@code SHUTDOWN}. Idempotent. */
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
        return "Pkcs11Token{" + label + ", " + library + "}";
    }
}
