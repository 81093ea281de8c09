package org.hopseal.api.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;
import org.junit.jupiter.api.Test;

/** Asking a person: once for an existing vault, twice for a new passphrase. */
class PassphrasePromptTest {
    /** Answers from a script (null: end of input), recording the questions and the arrays it handed out. */
    private static final class Scripted implements PassphrasePrompt {
        final List<String> questions = new ArrayList<>();
        final List<char[]> given = new ArrayList<>();
        private final Deque<String> answers = new ArrayDeque<>();

        Scripted(String... answers) {
            for (String a : answers) {
                this.answers.add(a == null ? "\u0000null" : a);
            }
        }

        @Override
        public char[] ask(String question) {
            questions.add(question);
            String a = answers.remove();
            if (a.equals("\u0000null")) {
                return null;
            }
            char[] chars = a.toCharArray();
            given.add(chars);
            return chars;
        }
    }

    @FunctionalInterface
    private interface Call {
        void run() throws Exception;
    }

    private static VaultException refusal(Call call) {
        VaultException e = catchThrowableOfType(VaultException.class, call::run);
        assertThat(e).isNotNull();
        assertThat(e.kind()).isEqualTo(ErrorKind.INVALID);
        return e;
    }

    @Test
    void anExistingVaultsPassphraseIsAskedOnce() throws Exception {
        Scripted prompt = new Scripted("old words");
        assertThat(prompt.askExisting("/v/alice.vault")).containsExactly("old words".toCharArray());
        assertThat(prompt.questions).containsExactly("Passphrase for the vault /v/alice.vault: ");
    }

    @Test
    void aNewPassphraseIsAskedTwiceAndTheRepeatIsWiped() throws Exception {
        Scripted prompt = new Scripted("new words", "new words");
        char[] chosen = prompt.askNew("/v/alice.vault");
        assertThat(chosen).containsExactly("new words".toCharArray());
        assertThat(prompt.questions).containsExactly("New passphrase for the vault /v/alice.vault: ", "The new passphrase again: ");
        assertThat(chosen).isSameAs(prompt.given.get(0));
        assertThat(prompt.given.get(1)).containsOnly('\0');
    }

    @Test
    void twoDifferentAnswersAreRefusedAndBothWiped() {
        Scripted prompt = new Scripted("new words", "new wordz");
        VaultException e = refusal(() -> prompt.askNew("/v/alice.vault"));
        assertThat(e).hasMessage("the two passphrases entered for the vault /v/alice.vault differ; nothing was written");
        assertThat(prompt.given).hasSize(2).allSatisfy(a -> assertThat(a).containsOnly('\0'));
    }

    @Test
    void noAnswerIsRefusedAndAFirstAnswerWiped() {
        Scripted none = new Scripted((String) null);
        assertThat(refusal(() -> none.askExisting("/v/a.vault"))).hasMessage("no passphrase given for the vault /v/a.vault");
        Scripted noNew = new Scripted((String) null);
        assertThat(refusal(() -> noNew.askNew("/v/a.vault"))).hasMessage("no passphrase given for the vault /v/a.vault");
        assertThat(noNew.questions).as("no second question after no first answer").hasSize(1);
        Scripted noRepeat = new Scripted("new words", null);
        assertThat(refusal(() -> noRepeat.askNew("/v/a.vault"))).hasMessage("no passphrase given for the vault /v/a.vault");
        assertThat(noRepeat.given.get(0)).containsOnly('\0');
    }
}
