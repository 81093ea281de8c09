package org.hopseal.api.vault;

import java.util.Arrays;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;

/**
 * Asks a person for a vault's passphrase, without echoing it: a terminal, a dialog. Given to
 * {@link VaultOpenOptions#withPrompt}, it is asked only when the vault needs a passphrase that no other source gives
 * (see the vault's provider); a vault being created asks for its new passphrase twice ({@link #askNew}).
 *
 * <p>For example, in a terminal: {@code question -> System.console().readPassword("%s", question)}.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface PassphrasePrompt {
    /**
     * Shows {@code question} and reads the answer without echoing it.
     *
     * @param question what to ask, such as "Passphrase for the vault /var/lib/hopseal/alice.vault: "
     * @return the answer as a fresh array the caller wipes, or {@code null} if none was given (end of input)
     * @throws VaultException if the answer could not be read
     */
    char[] ask(String question) throws VaultException;

    /**
     * Asks for the passphrase of the existing vault {@code vault}, once.
     *
     * @param vault the vault, as shown to the person (its path)
     * @return the answer, which the caller wipes
     * @throws VaultException {@link ErrorKind#INVALID} if none was given
     */
    default char[] askExisting(String vault) throws VaultException {
        return answered(ask("Passphrase for the vault " + vault + ": "), vault);
    }

    /**
     * Asks for a new passphrase for {@code vault} twice, and returns it if both answers are the same. Both answers are
     * wiped when they differ, and the second always.
     *
     * @param vault the vault, as shown to the person (its path)
     * @return the new passphrase, which the caller wipes
     * @throws VaultException {@link ErrorKind#INVALID} if an answer is missing or the two differ (then nothing about
     *     the vault has changed)
     */
    default char[] askNew(String vault) throws VaultException {
        char[] first = answered(ask("New passphrase for the vault " + vault + ": "), vault);
        char[] second = null;
        boolean same = false;
        try {
            second = answered(ask("The new passphrase again: "), vault);
            same = Arrays.equals(first, second);
        } finally {
            if (second != null) {
                Arrays.fill(second, '\0');
            }
            if (!same) {
                Arrays.fill(first, '\0');
            }
        }
        if (!same) {
            throw new VaultException(ErrorKind.INVALID, "the two passphrases entered for the vault " + vault
                    + " differ; nothing was written");
        }
        return first;
    }

    private static char[] answered(char[] answer, String vault) throws VaultException {
        if (answer == null) {
            throw new VaultException(ErrorKind.INVALID, "no passphrase given for the vault " + vault);
        }
        return answer;
    }
}
