package org.hopseal.vault.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;
import org.junit.jupiter.api.Test;

class Pkcs11UriTest {
    private static ErrorKind kindOf(String uri) {
        try {
            Pkcs11Uri.parse(uri);
        } catch (VaultException e) {
            return e.kind();
        }
        throw new AssertionError("parsed " + uri);
    }

    @Test
    void pathAndQueryAttributesArePercentDecoded() throws Exception {
        Pkcs11Uri uri = Pkcs11Uri.parse("pkcs11:token=my%20token;object=caf%C3%A9;id=%01%02?module-path=/lib/x.so&pin-source=env:PIN");
        assertThat(uri.path("token")).contains("my token");
        assertThat(uri.path("object")).contains("café");
        assertThat(uri.id()).hasValueSatisfying(id -> assertThat(id).containsExactly(1, 2));
        assertThat(uri.query("module-path")).contains("/lib/x.so");
        assertThat(uri.query("pin-source")).contains("env:PIN");
        assertThat(uri.path("serial")).isEmpty();
        assertThat(uri.query("x-channel-key")).isEmpty();
    }

    @Test
    void literalCharactersAreKeptAsUtf8AndAnEmptyPartHasNoAttributes() throws Exception {
        Pkcs11Uri uri = Pkcs11Uri.parse("pkcs11:object=été%41");
        assertThat(uri.path("object")).contains("étéA");
        assertThat(uri.query()).isEmpty();
        assertThat(Pkcs11Uri.parse("pkcs11:?module-path=/x").path()).isEmpty();
        assertThat(Pkcs11Uri.parse("pkcs11:").id()).isEmpty();
    }

    @Test
    void malformedUrisAreInvalidAndNameTheirDefect() {
        assertThatThrownBy(() -> Pkcs11Uri.parse("pkcs12:token=x")).hasMessageContaining("starts with 'pkcs11:'");
        assertThatThrownBy(() -> Pkcs11Uri.parse("pkcs11:token")).hasMessageContaining("bad PKCS#11 URI attribute 'token'");
        assertThatThrownBy(() -> Pkcs11Uri.parse("pkcs11:=x")).hasMessageContaining("bad PKCS#11 URI attribute '=x'");
        assertThatThrownBy(() -> Pkcs11Uri.parse("pkcs11:token=a%4")).hasMessageContaining("bad percent-encoding");
        assertThatThrownBy(() -> Pkcs11Uri.parse("pkcs11:token=a%zz")).hasMessageContaining("bad percent-encoding");
        assertThatThrownBy(() -> Pkcs11Uri.parse("pkcs11:token=%")).hasMessageContaining("bad percent-encoding");
        for (String uri : new String[] {"pkcs12:", "pkcs11:token", "pkcs11:token=%4"}) {
            assertThat(kindOf(uri)).isEqualTo(ErrorKind.INVALID);
        }
    }

    @Test
    void aPinInTheUriIsRefusedWhereverItIs() {
        assertThatThrownBy(() -> Pkcs11Uri.parse("pkcs11:token=t?pin-value=1234")).hasMessageContaining("pin-value is refused");
        assertThatThrownBy(() -> Pkcs11Uri.parse("pkcs11:token=t;pin-value=1234")).hasMessageContaining("pin-value is refused");
        assertThat(kindOf("pkcs11:pin-value=1")).isEqualTo(ErrorKind.INVALID);
    }
}
