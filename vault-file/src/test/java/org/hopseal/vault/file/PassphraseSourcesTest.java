package org.hopseal.vault.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.PassphrasePrompt;
import org.hopseal.api.vault.PassphraseProtected;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.VaultOpenOptions;
import org.hopseal.api.vault.VaultSpec;
import org.hopseal.api.vault.Vaults;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where {@code file:PATH} takes its passphrase from, in this order: the application's {@code char[]},
 * {@code passphrase-source}, the environment, a prompt (twice for a new vault). The provider here reads a given
 * environment for {@value FileVaultProvider#PASSPHRASE_ENV}; the build sets {@value #SOURCE_ENV} for
 * {@code passphrase-source=env:NAME} (vault-file/pom.xml). Existing vaults are made with cheap Argon2id parameters
 * first, so that opening them stays fast; a new vault made through the provider has the default ones.
 */
class PassphraseSourcesTest {
    private static final String SOURCE_ENV = "HOPSEAL_TEST_PASSPHRASE";
    private static final String SECRET = "s3cret horse battery";

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("alice.vault");
    }

    /** An existing vault under {@code passphrase}, holding one key, whose public key this returns. */
    private PublicKey existing(String passphrase) throws VaultException {
        try (FileVault v = FileVault.open(file(), passphrase.toCharArray(), FileVaultContractTest.FAST, true)) {
            return v.publicKey(v.generateSigningKey(KeyType.ED25519));
        }
    }

    /** Opens {@code spec} in an environment without {@value FileVaultProvider#PASSPHRASE_ENV}. */
    private static Vaults open(String spec, VaultOpenOptions options) throws VaultException {
        return new FileVaultProvider(name -> null).open(VaultSpec.parse(spec), options);
    }

    /** A provider in an environment where {@value FileVaultProvider#PASSPHRASE_ENV} is {@code value}. */
    private static FileVaultProvider withVariable(String value) {
        return new FileVaultProvider(name -> name.equals(FileVaultProvider.PASSPHRASE_ENV) ? value : null);
    }

    private List<Path> folder() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    /** A person at a prompt: answers from a script, and the questions asked. */
    private static final class Person implements PassphrasePrompt {
        final List<String> questions = new ArrayList<>();
        private final Deque<String> answers;

        Person(String... answers) {
            this.answers = new ArrayDeque<>(List.of(answers));
        }

        @Override
        public char[] ask(String question) {
            questions.add(question);
            return answers.remove().toCharArray();
        }
    }

    private static final PassphrasePrompt NEVER = question -> {
        throw new AssertionError("asked: " + question);
    };

    @Test
    void aPassphraseFileGivesThePassphraseWithoutItsNewline() throws Exception {
        PublicKey key = existing(SECRET);
        Path source = Files.writeString(dir.resolve("passphrase"), SECRET + "\n");
        try (Vaults v = open("file:" + file() + "?passphrase-source=file:" + source, VaultOpenOptions.defaults().withPrompt(NEVER))) {
            assertThat(v.identity().find(key)).isPresent();
        }
    }

    @Test
    void aVariableGivesThePassphrase() throws Exception {
        Assumptions.assumeTrue(System.getenv(SOURCE_ENV) != null, "the build sets " + SOURCE_ENV);
        PublicKey key = existing(System.getenv(SOURCE_ENV));
        try (Vaults v = Vaults.open("file:" + file() + "?read-only&passphrase-source=env:" + SOURCE_ENV)) {
            assertThat(v.identity().find(key)).isPresent();
            assertThat(((FileVault) v.identity()).readOnly()).isTrue();
        }
    }

    @Test
    void theVariableGivesThePassphraseBeforeThePromptIsAsked() throws Exception {
        PublicKey key = existing(SECRET);
        try (Vaults v = withVariable(SECRET).open(VaultSpec.parse("file:" + file()), VaultOpenOptions.defaults().withPrompt(NEVER))) {
            assertThat(v.identity().find(key)).isPresent();
        }
        try (Vaults v = withVariable(SECRET).open(VaultSpec.parse("file:" + file()))) {
            assertThat(v.identity().find(key)).isPresent();
        }
    }

    @Test
    void anEmptyVariableIsPassedOverForThePrompt() throws Exception {
        PublicKey key = existing(SECRET);
        Person person = new Person(SECRET);
        try (Vaults v = withVariable("").open(VaultSpec.parse("file:" + file()), VaultOpenOptions.defaults().withPrompt(person))) {
            assertThat(v.identity().find(key)).isPresent();
        }
        assertThat(person.questions).hasSize(1);
        assertHopsealError(ErrorKind.INVALID, () -> withVariable("").open(VaultSpec.parse("file:" + file())))
                .hasMessageContaining("needs a passphrase");
    }

    @Test
    void theSourceComesBeforeTheVariableAndTheGivenPassphraseBeforeBoth() throws Exception {
        PublicKey key = existing(SECRET);
        Path source = Files.writeString(dir.resolve("passphrase"), SECRET + "\n");
        try (Vaults v = withVariable("not the passphrase").open(VaultSpec.parse("file:" + file() + "?passphrase-source=file:" + source))) {
            assertThat(v.identity().find(key)).isPresent();
        }
        try (Vaults v = withVariable("not the passphrase").open(VaultSpec.parse("file:" + file()),
                VaultOpenOptions.defaults().withPassphrase(SECRET.toCharArray()))) {
            assertThat(v.identity().find(key)).isPresent();
        }
    }

    @Test
    void aNewVaultTakesItsPassphraseFromTheSource() throws Exception {
        Path source = Files.writeString(dir.resolve("passphrase"), SECRET + "\r\n");
        open("file:" + file() + "?passphrase-source=file://" + source, VaultOpenOptions.defaults()).close();
        FileVault.open(file(), SECRET.toCharArray()).close();
        assertThat(VaultFileReader.kdf(file())).isEqualTo(KdfParameters.DEFAULT);
    }

    @Test
    void aSourceThatGivesNoPassphraseIsRefusedAndNothingIsCreated() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        for (String source : List.of("file:" + dir.resolve("absent"), "file:" + empty, "env:HOPSEAL_NO_SUCH_PASSPHRASE_VARIABLE")) {
            assertHopsealError(ErrorKind.INVALID, () -> open("file:" + file() + "?passphrase-source=" + source,
                    VaultOpenOptions.defaults().withPrompt(NEVER))).as(source).hasMessageContaining("(passphrase-source)");
        }
        assertThat(folder()).as("no vault and no lock file").containsExactly(dir.resolve("empty"));
    }

    @Test
    void aMalformedSourceIsRefusedWithoutRepeatingIt() {
        assertHopsealError(ErrorKind.INVALID, () -> open("file:" + file() + "?passphrase-source=" + SECRET, VaultOpenOptions.defaults()))
                .hasMessage("passphrase-source must be env:NAME or file:PATH");
        assertThat(file()).doesNotExist();
    }

    @Test
    void aPassphraseGivenAndASourceBothAreAmbiguous() throws Exception {
        Path source = Files.writeString(dir.resolve("passphrase"), SECRET);
        char[] given = SECRET.toCharArray();
        assertHopsealError(ErrorKind.INVALID, () -> open("file:" + file() + "?passphrase-source=file:" + source,
                VaultOpenOptions.defaults().withPassphrase(given)))
                .hasMessage("the vault spec names passphrase-source=file:" + source + " and a passphrase was given too: give one of them");
        assertThat(given).containsOnly('\0');
        assertThat(file()).doesNotExist();
    }

    @Test
    void theApplicationsArrayOpensThroughTheApiAndIsWiped() throws Exception {
        PublicKey key = existing(SECRET);
        char[] given = SECRET.toCharArray();
        try (Vaults v = Vaults.open("file:" + file(), VaultOpenOptions.defaults().withPassphrase(given).withPrompt(NEVER))) {
            assertThat(v.identity()).isInstanceOf(FileVault.class).isInstanceOf(PassphraseProtected.class);
            assertThat(v.identity().find(key)).isPresent();
        }
        assertThat(given).containsOnly('\0');
        char[] wrong = "not it".toCharArray();
        assertHopsealError(ErrorKind.AUTHENTICATION, () -> Vaults.open("file:" + file(), VaultOpenOptions.defaults().withPassphrase(wrong)))
                .message().doesNotContain("not it");
        assertThat(wrong).containsOnly('\0');
    }

    @Test
    void aPromptIsAskedOnceForAnExistingVault() throws Exception {
        PublicKey key = existing(SECRET);
        Person person = new Person(SECRET);
        try (Vaults v = open("file:" + file(), VaultOpenOptions.defaults().withPrompt(person))) {
            assertThat(v.identity().find(key)).isPresent();
        }
        assertThat(person.questions).containsExactly("Passphrase for the vault " + file().toAbsolutePath() + ": ");
    }

    @Test
    void aNewVaultsPassphraseIsAskedTwice() throws Exception {
        Person person = new Person(SECRET, SECRET);
        open("file:" + file(), VaultOpenOptions.defaults().withPrompt(person)).close();
        assertThat(person.questions).containsExactly("New passphrase for the vault " + file().toAbsolutePath() + ": ",
                "The new passphrase again: ");
        FileVault.open(file(), SECRET.toCharArray()).close();
    }

    @Test
    void twoDifferentAnswersCreateNothing() throws Exception {
        Person person = new Person(SECRET, SECRET + "!");
        assertHopsealError(ErrorKind.INVALID, () -> open("file:" + file(), VaultOpenOptions.defaults().withPrompt(person)))
                .hasMessage("the two passphrases entered for the vault " + file().toAbsolutePath() + " differ; nothing was written");
        assertThat(folder()).as("no vault and no lock file").isEmpty();
    }

    @Test
    void anEmptyNewPassphraseCreatesNothing() throws Exception {
        Person person = new Person("", "");
        assertHopsealError(ErrorKind.INVALID, () -> open("file:" + file(), VaultOpenOptions.defaults().withPrompt(person)))
                .hasMessage("refusing to create the vault " + file().toAbsolutePath() + " with an empty passphrase");
        assertThat(folder()).isEmpty();
    }

    @Test
    void aMissingFileOpenedReadOnlyIsRefusedBeforeAsking() throws Exception {
        assertHopsealError(ErrorKind.NOT_FOUND, () -> open("file:" + file() + "?read-only", VaultOpenOptions.defaults().withPrompt(NEVER)))
                .hasMessage("the vault file " + file().toAbsolutePath() + " does not exist (a read-only open creates none)");
        assertThat(folder()).isEmpty();
    }

    @Test
    void withoutAnySourceTheErrorNamesThem() throws Exception {
        assertHopsealError(ErrorKind.INVALID, () -> open("file:" + file(), VaultOpenOptions.defaults()))
                .hasMessageContaining(FileVaultProvider.PASSPHRASE_ENV).hasMessageContaining("passphrase-source=env:NAME|file:PATH");
        assertThat(folder()).isEmpty();
    }

    @Test
    void theStaticOpenWipesTheArrayAlsoWhenTheSpecIsRefused() {
        char[] given = SECRET.toCharArray();
        assertHopsealError(ErrorKind.INVALID, () -> FileVaultProvider.open(VaultSpec.parse("file:" + file() + "?colour=blue"), given));
        assertThat(given).containsOnly('\0');
    }
}
