package org.hopseal.api.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.PublicKey;
import org.junit.jupiter.api.Test;

/** A change history as a value: its current key, and that neither its keys nor its encoding can be changed from outside. */
class ChangeHistoryTest {
    private static final Identifier ALICE = new Identifier("I" + "a".repeat(64));
    private static final Identifier BOB = new Identifier("I" + "b".repeat(64));
    private static final PublicKey FIRST = key(1);
    private static final PublicKey SECOND = key(2);
    private static final PublicKey THIRD = key(3);

    private static PublicKey key(int fill) {
        byte[] b = new byte[32];
        b[0] = (byte) fill;
        return new PublicKey(KeyType.ED25519, b);
    }

    @Test
    void theCurrentKeyIsTheLastOne() {
        assertThat(new ChangeHistory(ALICE, List.of(FIRST), new byte[1]).currentKey()).isEqualTo(FIRST);
        assertThat(new ChangeHistory(ALICE, List.of(FIRST, SECOND, THIRD), new byte[1]).currentKey()).isEqualTo(THIRD);
    }

    @Test
    void neitherTheKeysNorTheEncodingCanBeChangedFromOutside() {
        List<PublicKey> keys = new ArrayList<>(List.of(FIRST, SECOND));
        byte[] encoded = {1, 2, 3};
        ChangeHistory h = new ChangeHistory(ALICE, keys, encoded);
        keys.add(THIRD);
        encoded[0] = 9;
        h.encoded()[1] = 9;

        assertThat(h.keys()).containsExactly(FIRST, SECOND);
        assertThat(h.currentKey()).isEqualTo(SECOND);
        assertThat(h.encoded()).containsExactly(1, 2, 3);
        assertThatThrownBy(() -> h.keys().add(THIRD)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void historiesAreEqualWhenTheirIdentifierAndEncodingAre() {
        ChangeHistory h = new ChangeHistory(ALICE, List.of(FIRST), new byte[] {1, 2});

        assertThat(h).isEqualTo(new ChangeHistory(ALICE, List.of(FIRST), new byte[] {1, 2}))
                .hasSameHashCodeAs(new ChangeHistory(ALICE, List.of(FIRST), new byte[] {1, 2}));
        assertThat(h).isNotEqualTo(new ChangeHistory(ALICE, List.of(FIRST), new byte[] {1, 3}));
        assertThat(h).isNotEqualTo(new ChangeHistory(BOB, List.of(FIRST), new byte[] {1, 2}));
        assertThat(h).isNotEqualTo("a history");
        assertThat(h.hashCode()).isEqualTo(ALICE.hashCode());
    }

    @Test
    void theTextFormNamesTheIdentifierAndHowManyKeys() {
        assertThat(new ChangeHistory(ALICE, List.of(FIRST, SECOND), new byte[0]))
                .hasToString("ChangeHistory{" + ALICE + ", 2 key(s)}");
    }

    @Test
    void anIdentifierIsRequired() {
        assertThatThrownBy(() -> new ChangeHistory(null, List.of(FIRST), new byte[0])).isInstanceOf(NullPointerException.class);
    }
}
