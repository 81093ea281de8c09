package org.hopseal.api.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** How the text form of an address picks its transport type, and addresses as values. */
class AddressFormsTest {
    @Test
    void aTypePrefixHasOneToThreeDigits() {
        assertThat(Address.of("7#x").type()).isEqualTo(7);
        assertThat(Address.of("255#x").type()).isEqualTo(255);
        assertThat(Address.of("255#x").valueText()).isEqualTo("x");
        assertThat(Address.of("007#x").type()).isEqualTo(7);
        Address fourDigits = Address.of("1234#x");
        assertThat(fourDigits.type()).isEqualTo(Address.LOCAL);
        assertThat(fourDigits.valueText()).isEqualTo("1234#x");
    }

    @Test
    void whatDoesNotLookLikeATypePrefixIsALocalValue() {
        assertThat(Address.of("#x")).isEqualTo(Address.local("#x"));
        assertThat(Address.of("a1#x")).isEqualTo(Address.local("a1#x"));
        assertThat(Address.of("1#").type()).isEqualTo(Address.TCP);
        assertThat(Address.of("1#").valueText()).isEmpty();
        assertThat(Address.of("echo#1#2").valueText()).isEqualTo("echo#1#2");
    }

    @Test
    void typesBeyond255AreRefused() {
        assertThatThrownBy(() -> Address.of("256#x")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0..255");
        assertThatThrownBy(() -> Address.of(-1, new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Address.of(256, new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThat(Address.of(0, new byte[0]).isLocal()).isTrue();
        assertThat(Address.of(255, new byte[0]).type()).isEqualTo(255);
    }

    @Test
    void onlyTypeZeroIsLocal() {
        assertThat(Address.local("x").isLocal()).isTrue();
        assertThat(Address.tcp("h:1").isLocal()).isFalse();
        assertThat(Address.of("9#x").isLocal()).isFalse();
    }

    @Test
    void anAddressKeepsItsOwnCopyOfItsBytes() {
        byte[] bytes = "abc".getBytes(StandardCharsets.UTF_8);
        Address a = Address.of(1, bytes);
        bytes[0] = 'z';
        a.value()[1] = 'z';

        assertThat(a.valueText()).isEqualTo("abc");
    }

    @Test
    void addressesAreEqualByTypeAndBytesAndHashAccordingly() {
        assertThat(Address.of(1, "x".getBytes(StandardCharsets.UTF_8))).isEqualTo(Address.tcp("x"))
                .hasSameHashCodeAs(Address.tcp("x"));
        assertThat(Address.tcp("x")).isNotEqualTo(Address.local("x"));
        assertThat(Address.local("x")).isNotEqualTo(Address.local("y")).isNotEqualTo("x");
        assertThat(Address.local("x").hashCode()).isNotEqualTo(Address.local("y").hashCode());
        assertThat(Address.tcp("x").hashCode()).isNotEqualTo(Address.local("x").hashCode());
    }
}
