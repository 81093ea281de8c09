package org.hopseal.api.vault;

/**
 * A token that must be passed to the few methods that hand secret bytes to the caller, so that every such place is
 * easy to find ({@code grep InsecureSecretAccess}). Only tests, vector runners and migration tools should use it.
 *
 * @since 0.1
 */
public final class InsecureSecretAccess {
    private static final InsecureSecretAccess INSTANCE = new InsecureSecretAccess();

    private InsecureSecretAccess() {
    }

    /** {@return the token} Every call site is a place where secret bytes leave a vault. */
    public static InsecureSecretAccess get() {
        return INSTANCE;
    }
}
