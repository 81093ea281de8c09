package org.hopseal.api.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code env:NAME} and {@code file:PATH}: the PIN's and the passphrase's sources. */
class SecretSourceTest {
    /** Set by the build (api/pom.xml). */
    private static final String SECRET_ENV = "HOPSEAL_TEST_SECRET";
    private static final String EMPTY_ENV = "HOPSEAL_TEST_EMPTY_SECRET";

    @TempDir
    Path dir;

    private static char[] read(String source) throws VaultException {
        return SecretSource.parse("passphrase-source", source).read();
    }

    /** The refusal of {@code source}: always INVALID. */
    private static String refusal(String source) {
        VaultException e = catchThrowableOfType(VaultException.class, () -> read(source));
        assertThat(e).as(source).isNotNull();
        assertThat(e.kind()).isEqualTo(ErrorKind.INVALID);
        return e.getMessage();
    }

    /** The refusal of {@code source}, which does not show {@code secret}, what the source holds. */
    private static String refusal(String source, String secret) {
        String message = refusal(source);
        assertThat(message).doesNotContain(secret);
        return message;
    }

    @Test
    void aFileGivesItsFirstLineWithoutItsLineEnding() throws Exception {
        Path unix = Files.writeString(dir.resolve("unix"), "correct horse\nsecond line\n");
        Path windows = Files.writeString(dir.resolve("windows"), "battery staple\r\n");
        Path bare = Files.writeString(dir.resolve("bare"), "pïn ");
        assertThat(read("file:" + unix)).containsExactly("correct horse".toCharArray());
        assertThat(read("file:" + windows)).containsExactly("battery staple".toCharArray());
        assertThat(read("file://" + bare)).as("file://PATH, as in a PKCS#11 URI; spaces are kept").containsExactly('p', 'ï', 'n', ' ');
    }

    @Test
    void aFileIsReadAnewAtEachRead() throws Exception {
        Path file = Files.writeString(dir.resolve("pw"), "first\n");
        SecretSource source = SecretSource.parse("passphrase-source", "file:" + file);
        assertThat(source.read()).containsExactly("first".toCharArray());
        Files.writeString(file, "second\n");
        assertThat(source.read()).containsExactly("second".toCharArray());
    }

    @Test
    void aSecretOfTheLongestLengthIsRead() throws Exception {
        String longest = "x".repeat(SecretSource.MAX_BYTES - 2) + "é";
        Path file = Files.writeString(dir.resolve("long"), longest + "\n");
        assertThat(read("file:" + file)).containsExactly(longest.toCharArray());
        Path unterminated = Files.writeString(dir.resolve("unterminated"), longest);
        assertThat(read("file:" + unterminated)).containsExactly(longest.toCharArray());
    }

    @Test
    void aFileThatHoldsNoUsableSecretIsRefusedClearly() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty"), "");
        assertThat(refusal("file:" + empty)).isEqualTo("the file " + empty + " (passphrase-source) is empty");
        Path blank = Files.writeString(dir.resolve("blank"), "\nhidden on line two\n");
        assertThat(refusal("file:" + blank, "hidden")).isEqualTo("the file " + blank + " (passphrase-source) has an empty first line");
        Path crlf = Files.writeString(dir.resolve("crlf"), "\r\nhidden\r\n");
        assertThat(refusal("file:" + crlf, "hidden")).endsWith("has an empty first line");
        String tooLong = "y".repeat(SecretSource.MAX_BYTES + 1);
        Path huge = Files.writeString(dir.resolve("huge"), tooLong + "\n");
        assertThat(refusal("file:" + huge, tooLong)).isEqualTo("the file " + huge + " (passphrase-source) has a first line longer than "
                + SecretSource.MAX_BYTES + " bytes");
        Path latin1 = Files.write(dir.resolve("latin1"), "caf\u00e9 s3cret\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(refusal("file:" + latin1, "s3cret")).as("never replaced, which would make different secrets equal")
                .isEqualTo("the file " + latin1 + " (passphrase-source) is not UTF-8 text");
        Path truncated = Files.write(dir.resolve("truncated"), new byte[] {'a', (byte) 0xC3});
        assertThat(refusal("file:" + truncated, "a\u00c3")).endsWith("is not UTF-8 text");
    }

    @Test
    void aMissingOrUnreadableFileNamesItsPathOnce() throws Exception {
        Path absent = dir.resolve("absent");
        assertThat(refusal("file:" + absent)).isEqualTo("the file " + absent + " (passphrase-source) cannot be read: it does not exist");
        assertThat(refusal("file:" + dir)).isEqualTo("the file " + dir + " (passphrase-source) cannot be read: Is a directory");
        Path underAFile = Files.writeString(dir.resolve("a-file"), "").resolve("pw");
        assertThat(refusal("file:" + underAFile)).isEqualTo("the file " + underAFile + " (passphrase-source) cannot be read: Not a directory");
    }

    @Test
    void anUnreadableFileIsRefused() throws Exception {
        Path locked = Files.writeString(dir.resolve("locked"), "s3cret\n");
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        Assumptions.assumeFalse(Files.isReadable(locked), "root reads any file");
        assertThat(refusal("file:" + locked, "s3cret")).isEqualTo("the file " + locked + " (passphrase-source) cannot be read: permission denied");
    }

    @Test
    void theEnvironmentGivesTheVariablesValue() throws Exception {
        Assumptions.assumeTrue(System.getenv(SECRET_ENV) != null, "the build sets " + SECRET_ENV);
        assertThat(read("env:" + SECRET_ENV)).containsExactly(System.getenv(SECRET_ENV).toCharArray());
    }

    @Test
    void anUnsetOrEmptyVariableIsRefusedClearly() {
        assertThat(refusal("env:HOPSEAL_NO_SUCH_SECRET_VARIABLE"))
                .isEqualTo("the environment variable HOPSEAL_NO_SUCH_SECRET_VARIABLE (passphrase-source) is not set");
        Assumptions.assumeTrue("".equals(System.getenv(EMPTY_ENV)), "the build sets " + EMPTY_ENV + " empty");
        assertThat(refusal("env:" + EMPTY_ENV)).isEqualTo("the environment variable " + EMPTY_ENV + " (passphrase-source) is empty");
    }

    @Test
    void aSourceOfAnotherFormIsRefusedWithoutRepeatingIt() {
        for (String bad : new String[] {"my s3cret", "env:", "file:", "file://", "ENV:X", "pin:1234", ""}) {
            VaultException e = catchThrowableOfType(VaultException.class, () -> SecretSource.parse("pin-source", bad));
            assertThat(e).as(bad).isNotNull();
            assertThat(e.kind()).isEqualTo(ErrorKind.INVALID);
            assertThat(e.getMessage()).as("the value may be the secret itself").isEqualTo("pin-source must be env:NAME or file:PATH");
        }
    }

    @Test
    void theSourceReadsAsWrittenAndNeverAsItsSecret() throws Exception {
        Path file = Files.writeString(dir.resolve("pw"), "s3cret\n");
        assertThat(SecretSource.parse("passphrase-source", "file:" + file)).hasToString("file:" + file);
        assertThat(SecretSource.parse("passphrase-source", "file://" + file)).hasToString("file:" + file);
        assertThat(SecretSource.parse("pin-source", "env:" + SECRET_ENV)).hasToString("env:" + SECRET_ENV);
    }
}
