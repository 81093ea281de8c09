package org.hopseal.core.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.wire.BareWriter;
import org.junit.jupiter.api.Test;

/** The registration protocol's bytes (docs/relays.md) and every way a payload is refused. */
class RelayMessageTest {
    @Test
    void messagesHaveTheDocumentedBytesAndDecodeToThemselves() throws Exception {
        assertThat(RelayMessage.encode(new RelayMessage.Register("db"))).containsExactly(0, 2, 'd', 'b');
        assertThat(RelayMessage.encode(new RelayMessage.Registered("db"))).containsExactly(1, 2, 'd', 'b');
        assertThat(RelayMessage.encode(new RelayMessage.Refused("no"))).containsExactly(2, 2, 'n', 'o');
        for (RelayMessage m : new RelayMessage[] {new RelayMessage.Register("a.b_c-9"), new RelayMessage.Registered("x"),
                new RelayMessage.Refused("why")}) {
            assertThat(RelayMessage.decode(RelayMessage.encode(m))).isEqualTo(m);
        }
    }

    @Test
    void aRegistrationMayNameAnInvalidNameForTheServiceToRefuseButNotAnOverlongOne() throws Exception {
        assertThat(RelayMessage.decode(RelayMessage.encode(new RelayMessage.Register("not a name"))))
                .isEqualTo(new RelayMessage.Register("not a name"));
        String longest = "n".repeat(RelayMessage.MAX_NAME);
        assertThat(RelayMessage.decode(RelayMessage.encode(new RelayMessage.Register(longest)))).isEqualTo(new RelayMessage.Register(longest));
        assertThatThrownBy(() -> RelayMessage.decode(RelayMessage.encode(new RelayMessage.Register(longest + "n"))))
                .isInstanceOf(DecodeException.class).hasMessageContaining("longer than 64");
    }

    @Test
    void anAnswerMustNameAValidNameAndReasonsAreBounded() throws Exception {
        assertThatThrownBy(() -> RelayMessage.decode(RelayMessage.encode(new RelayMessage.Registered("not a name"))))
                .isInstanceOf(DecodeException.class).hasMessageContaining("not a relay name");
        String reason = "r".repeat(RelayMessage.MAX_REASON + 1);
        assertThat(new RelayMessage.Refused(reason).reason()).hasSize(RelayMessage.MAX_REASON);
        byte[] overlong = new BareWriter().writeU8(RelayMessage.REFUSED).writeString(reason).toByteArray();
        assertThatThrownBy(() -> RelayMessage.decode(overlong)).isInstanceOf(DecodeException.class).hasMessageContaining("longer than 512");
        String longest = "r".repeat(RelayMessage.MAX_REASON);
        assertThat(RelayMessage.decode(new BareWriter().writeU8(RelayMessage.REFUSED).writeString(longest).toByteArray()))
                .isEqualTo(new RelayMessage.Refused(longest));
    }

    @Test
    void unknownTagsTruncationAndTrailingBytesAreRefused() {
        assertThatThrownBy(() -> RelayMessage.decode(new byte[] {3, 0})).isInstanceOf(DecodeException.class)
                .hasMessageContaining("unknown relay message 3");
        assertThatThrownBy(() -> RelayMessage.decode(new byte[0])).isInstanceOf(DecodeException.class);
        byte[] register = RelayMessage.encode(new RelayMessage.Register("db"));
        assertThatThrownBy(() -> RelayMessage.decode(Arrays.copyOf(register, register.length - 1))).isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> RelayMessage.decode(Arrays.copyOf(register, register.length + 1))).isInstanceOf(DecodeException.class);
    }
}
