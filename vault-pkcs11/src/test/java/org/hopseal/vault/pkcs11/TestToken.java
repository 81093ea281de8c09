package org.hopseal.vault.pkcs11;

import java.util.Map;

/**
 * The two independent kinds of test token, for tests that run alike on both: SoftHSM2 ({@link SoftHsm}) and a TPM
 * 2.0 through tpm2-pkcs11 ({@link SwTpm}). The vault URIs name each fixture's main token ({@link SoftHsm#TOKEN},
 * {@link SwTpm#TOKEN}) and take the PIN from the variable {@code HOPSEAL_TEST_PIN}, which the build sets.
 */
public enum TestToken {
    SOFTHSM {
        @Override
        public void require() {
            SoftHsm.require();
        }

        @Override
        public String label() {
            return SoftHsm.TOKEN;
        }

        @Override
        public String uri(String object) {
            return SoftHsm.uri(SoftHsm.TOKEN, object, "env:" + SoftHsm.PIN_ENV);
        }

        @Override
        public Map<String, String> environment() {
            return SoftHsm.environment();
        }
    },
    TPM {
        @Override
        public void require() {
            SwTpm.require();
        }

        @Override
        public String label() {
            return SwTpm.TOKEN;
        }

        @Override
        public String uri(String object) {
            return SwTpm.uri(SwTpm.TOKEN, object, "env:" + SwTpm.PIN_ENV);
        }

        @Override
        public Map<String, String> environment() {
            return SwTpm.environment();
        }
    };

    /** Sets the token up, or skips the test (fails it in CI) when its software is missing. */
    public abstract void require();

    /** The test token's label ({@code CKA_LABEL} of its token info). */
    public abstract String label();

    /** A {@code pkcs11:} vault URI for the keys labelled {@code object} on the test token. */
    public abstract String uri(String object);

    /** What a child process needs in its environment to reach the token (after {@link #require()}). */
    public abstract Map<String, String> environment();
}
