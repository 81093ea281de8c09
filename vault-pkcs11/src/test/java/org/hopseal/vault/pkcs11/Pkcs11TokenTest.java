package org.hopseal.vault.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding the token a URI names, logging in, and what the session pool does with failures. */
class Pkcs11TokenTest {
    private static final String PIN = "pin-source=env:" + SoftHsm.PIN_ENV;

    @BeforeAll
    static void token() {
        SoftHsm.require();
    }

    private static Pkcs11Token open(String uri) throws VaultException {
        return Pkcs11Token.open(Pkcs11Uri.parse(uri));
    }

    private static VaultException failure(String uri) {
        try (Pkcs11Token t = open(uri)) {
            throw new AssertionError("opened " + t);
        } catch (VaultException e) {
            return e;
        }
    }

    @Test
    void aUriWithoutModuleOrPinSourceOrTokenIsInvalid() {
        assertThat(failure("pkcs11:token=" + SoftHsm.TOKEN + "?" + PIN)).hasMessageContaining("needs module-path=")
                .extracting(VaultException::kind).isEqualTo(ErrorKind.INVALID);
        assertThat(failure("pkcs11:token=" + SoftHsm.TOKEN + "?module-path=" + SoftHsm.MODULE)).hasMessageContaining("needs pin-source=")
                .extracting(VaultException::kind).isEqualTo(ErrorKind.INVALID);
        assertThat(failure("pkcs11:object=x?module-path=" + SoftHsm.MODULE + "&" + PIN)).hasMessageContaining("needs token=LABEL or serial=SERIAL")
                .extracting(VaultException::kind).isEqualTo(ErrorKind.INVALID);
        assertThat(failure("pkcs11:token=" + SoftHsm.TOKEN + "?module-path=/nonexistent/module.so&pin-source=4321"))
                .as("refused before the module is loaded, without repeating the value (which may be the PIN)")
                .hasMessage("pin-source must be env:NAME or file:PATH").extracting(VaultException::kind).isEqualTo(ErrorKind.INVALID);
    }

    @Test
    void aFileThatIsNoPkcs11ModuleCannotBeLoaded(@TempDir Path dir) throws Exception {
        Path notALibrary = Files.writeString(dir.resolve("libnothing.so"), "not a shared object");
        assertThat(failure("pkcs11:token=x?module-path=" + notALibrary + "&" + PIN)).hasMessageContaining("cannot load the PKCS#11 module")
                .extracting(VaultException::kind).isEqualTo(ErrorKind.UNAVAILABLE);
    }

    @Test
    void aTokenIsFoundBySerialAloneOrWithAMatchingLabel() throws Exception {
        VaultException none = failure("pkcs11:token=no-such-token?module-path=" + SoftHsm.MODULE + "&" + PIN);
        assertThat(none.kind()).isEqualTo(ErrorKind.NOT_FOUND);
        Matcher m = Pattern.compile(Pattern.quote(SoftHsm.TOKEN) + " \\(serial ([^)]+)\\)").matcher(none.getMessage());
        assertThat(m.find()).as("the error lists the tokens: %s", none.getMessage()).isTrue();
        String serial = m.group(1);
        try (Pkcs11Token t = open("pkcs11:serial=" + serial + "?module-path=" + SoftHsm.MODULE + "&" + PIN)) {
            assertThat(t.label()).isEqualTo(serial);
            assertThat(t.toString()).contains(serial).doesNotContain(SoftHsm.PIN);
        }
        try (Pkcs11Token t = open("pkcs11:token=" + SoftHsm.TOKEN + ";serial=" + serial + "?module-path=" + SoftHsm.MODULE + "&" + PIN)) {
            assertThat(t.label()).isEqualTo(SoftHsm.TOKEN);
        }
        assertThat(failure("pkcs11:token=" + SoftHsm.OTHER_TOKEN + ";serial=" + serial + "?module-path=" + SoftHsm.MODULE + "&" + PIN)
                .kind()).isEqualTo(ErrorKind.NOT_FOUND);
    }

    @Test
    void callsRunAtMostAsManyAtOnceAsTheTokenAndCoresAllow() throws Exception {
        try (Pkcs11Token t = open(SoftHsm.uri(SoftHsm.TOKEN, "x", "env:" + SoftHsm.PIN_ENV))) {
            assertThat(t.concurrency()).isEqualTo(Math.max(2, Runtime.getRuntime().availableProcessors()));
            boolean readWrite = t.withSession("read the session info", s -> s.getSessionInfo().isRwSession());
            assertThat(readWrite).as("read-write sessions").isTrue();
        }
    }

    @Test
    void aFailedCallNamesTokenOperationAndCodeIsInternalAndTheSessionStaysUsable() throws Exception {
        try (Pkcs11Token t = open(SoftHsm.uri(SoftHsm.TOKEN, "x", "env:" + SoftHsm.PIN_ENV))) {
            assertThatThrownBy(() -> t.withSession("destroy a made-up object", s -> {
                s.destroyObject(0xDEAD_BEEFL);
                return null;
            })).isInstanceOf(VaultException.class)
                    .hasMessageStartingWith("token '" + SoftHsm.TOKEN + "' (").hasMessageContaining("SoftHSM")
                    .hasMessageContaining(") refused to destroy a made-up object: CKR_OBJECT_HANDLE_INVALID")
                    .satisfies(e -> assertThat(((VaultException) e).kind()).isEqualTo(ErrorKind.INTERNAL));
            boolean usable = t.withSession("read the session info", s -> s.getSessionInfo().isRwSession());
            assertThat(usable).isTrue();
        }
    }

    @Test
    void aClosedTokenOrAnInterruptedCallerIsShutDown() throws Exception {
        Pkcs11Token t = open(SoftHsm.uri(SoftHsm.TOKEN, "x", "env:" + SoftHsm.PIN_ENV));
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> t.withSession("do nothing", s -> null)).isInstanceOf(VaultException.class).hasMessageContaining("interrupted")
                .satisfies(e -> assertThat(((VaultException) e).kind()).isEqualTo(ErrorKind.SHUTDOWN));
        assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
        t.close();
        t.close();
        assertThatThrownBy(() -> t.withSession("do nothing", s -> null)).isInstanceOf(VaultException.class).hasMessageContaining("closed")
                .satisfies(e -> assertThat(((VaultException) e).kind()).isEqualTo(ErrorKind.SHUTDOWN));
    }
}
