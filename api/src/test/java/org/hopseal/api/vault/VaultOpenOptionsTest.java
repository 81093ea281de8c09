package org.hopseal.api.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;
import org.junit.jupiter.api.Test;

/** The passphrase and prompt given to {@link Vaults#open(String, VaultOpenOptions)}, and the SPI's default. */
class VaultOpenOptionsTest {
    private static final PassphrasePrompt PROMPT = question -> "answer".toCharArray();

    /** A provider of a vault without a passphrase, keeping the SPI's default for options. */
    private static final class NoPassphrase implements VaultProvider {
        VaultSpec opened;

        @Override
        public String name() {
            return "plain";
        }

        @Override
        public Vaults open(VaultSpec spec) throws VaultException {
            opened = spec;
            throw new VaultException(ErrorKind.UNAVAILABLE, "opened");
        }
    }

    @Test
    void defaultsHaveNeitherPassphraseNorPrompt() {
        assertThat(VaultOpenOptions.defaults().passphrase()).isEmpty();
        assertThat(VaultOpenOptions.defaults().prompt()).isEmpty();
        assertThat(VaultOpenOptions.defaults()).hasToString("VaultOpenOptions{passphrase=none, prompt=false}");
    }

    @Test
    void theOptionsHoldTheCallersArrayAndThePromptAndShowNeitherSecret() {
        char[] passphrase = "s3cret".toCharArray();
        VaultOpenOptions both = VaultOpenOptions.defaults().withPrompt(PROMPT).withPassphrase(passphrase);
        assertThat(both.passphrase()).containsSame(passphrase);
        assertThat(both.prompt()).containsSame(PROMPT);
        assertThat(VaultOpenOptions.defaults().withPassphrase(passphrase).withPrompt(PROMPT).passphrase()).containsSame(passphrase);
        assertThat(both.toString()).isEqualTo("VaultOpenOptions{passphrase=<redacted>, prompt=true}").doesNotContain("s3cret");
        assertThat(VaultOpenOptions.defaults().passphrase()).as("defaults are not changed").isEmpty();
        assertThatThrownBy(() -> VaultOpenOptions.defaults().withPassphrase(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> VaultOpenOptions.defaults().withPrompt(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aVaultWithoutAPassphraseRefusesOneAndIgnoresThePrompt() {
        NoPassphrase provider = new NoPassphrase();
        VaultSpec spec = VaultSpec.parse("plain:x");
        VaultException refused = catchThrowableOfType(VaultException.class,
                () -> provider.open(spec, VaultOpenOptions.defaults().withPassphrase("pw".toCharArray())));
        assertThat(refused.kind()).isEqualTo(ErrorKind.UNSUPPORTED);
        assertThat(refused).hasMessage("the plain vault takes no passphrase");
        assertThat(provider.opened).as("refused before opening").isNull();
        VaultException opened = catchThrowableOfType(VaultException.class,
                () -> provider.open(spec, VaultOpenOptions.defaults().withPrompt(question -> {
                    throw new AssertionError("asked " + question);
                })));
        assertThat(opened).hasMessage("opened");
        assertThat(provider.opened).isEqualTo(spec);
    }

    @Test
    void theOpenWipesTheGivenPassphraseAlsoWhenItFails() {
        char[] passphrase = "s3cret".toCharArray();
        VaultException e = catchThrowableOfType(VaultException.class,
                () -> Vaults.open("no-such-scheme:x", VaultOpenOptions.defaults().withPassphrase(passphrase)));
        assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(e.getMessage()).startsWith("no vault provider named 'no-such-scheme'").doesNotContain("s3cret");
        assertThat(passphrase).containsOnly('\0');
    }
}
