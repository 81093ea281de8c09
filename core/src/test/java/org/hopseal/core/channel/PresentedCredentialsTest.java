package org.hopseal.core.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.hopseal.api.credential.Credential;
import org.hopseal.api.error.CredentialException;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.wire.BareReader;
import org.hopseal.api.wire.BareWriter;
import org.junit.jupiter.api.Test;

/**
 * The credentials one side presents, as the identity payload and the credentials frame carry them
 * (docs/credentials.md): {@code uint n (0..8) | data credential * n}, each at most 16 KiB.
 */
class PresentedCredentialsTest {
    private static final Instant ISSUED = Instant.parse("2026-03-01T12:00:00Z");

    private static Credential credential(String role) throws CredentialException {
        byte[] body = Credential.body(new Identifier("I" + "a1".repeat(32)), new byte[] {1}, new Identifier("I" + "b2".repeat(32)),
                new byte[32], Map.of("role", role), ISSUED, ISSUED.plusSeconds(60));
        return Credential.of(body, new byte[64]);
    }

    private static byte[] list(int n, int length) {
        BareWriter w = new BareWriter().writeUint(n);
        for (int i = 0; i < n; i++) {
            w.writeData(new byte[length]);
        }
        return w.toByteArray();
    }

    @Test
    void credentialsAreWrittenAsACountAndTheirEncodingsAndReadBack() throws Exception {
        Credential web = credential("web");
        Credential db = credential("db");

        byte[] encoded = PresentedCredentials.encode(List.of(web, db));

        assertThat(encoded).isEqualTo(new BareWriter().writeUint(2).writeData(web.encoded()).writeData(db.encoded()).toByteArray());
        assertThat(PresentedCredentials.decode(encoded)).containsExactly(web.encoded(), db.encoded());
        assertThat(PresentedCredentials.encode(List.of())).containsExactly(0);
        assertThat(PresentedCredentials.decode(new byte[] {0})).isEmpty();
    }

    @Test
    void eightCredentialsArePresentedAndNineRefused() throws Exception {
        List<Credential> eight = Collections.nCopies(PresentedCredentials.MAX, credential("web"));
        List<Credential> nine = Collections.nCopies(PresentedCredentials.MAX + 1, credential("web"));

        assertThat(PresentedCredentials.MAX).isEqualTo(8);
        assertThat(PresentedCredentials.decode(PresentedCredentials.encode(eight))).hasSize(8);
        assertThatThrownBy(() -> PresentedCredentials.encode(nine)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("at most 8 credentials can be presented, not 9");
        assertThatThrownBy(() -> PresentedCredentials.decode(list(9, 1))).isInstanceOf(DecodeException.class)
                .hasMessage("credentials 9 is out of range (at most 8)");
    }

    @Test
    void aCredentialOf16KiBIsReadAndOneByteMoreRefused() throws Exception {
        assertThat(PresentedCredentials.decode(list(1, Credential.MAX_ENCODED))).singleElement()
                .satisfies(c -> assertThat(c).hasSize(16384));
        assertThatThrownBy(() -> PresentedCredentials.decode(list(1, Credential.MAX_ENCODED + 1))).isInstanceOf(DecodeException.class)
                .hasMessage("a credential of 16385 bytes exceeds 16384");
    }

    @Test
    void aListIsReadWhereItStandsAndAWholeOneHasNoTrailingBytes() throws Exception {
        byte[] encoded = PresentedCredentials.encode(List.of(credential("web")));
        byte[] longer = Arrays.copyOf(encoded, encoded.length + 1);
        BareReader r = new BareReader(longer);

        assertThat(PresentedCredentials.read(r)).hasSize(1);
        assertThat(r.remaining()).isEqualTo(1);
        assertThatThrownBy(() -> PresentedCredentials.decode(longer)).isInstanceOf(DecodeException.class)
                .hasMessage("credentials has 1 trailing bytes");
    }

    @Test
    void aTruncatedListIsRefused() {
        assertThatThrownBy(() -> PresentedCredentials.decode(new byte[0])).isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> PresentedCredentials.decode(new byte[] {2, 1, 7})).isInstanceOf(DecodeException.class)
                .hasMessage("truncated input: u8 needs 1 bytes, 0 remain");
    }
}
