package org.hopseal.api.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AddressTest {
    @Test
    void textForms() {
        assertThat(Address.of("echoer")).isEqualTo(Address.of("0#echoer")).isEqualTo(Address.local("echoer"));
        Address tcp = Address.of("1#127.0.0.1:4000");
        assertThat(tcp.type()).isEqualTo(Address.TCP);
        assertThat(tcp).isEqualTo(Address.tcp("127.0.0.1:4000"));
        assertThat(tcp.toString()).isEqualTo("1#127.0.0.1:4000");
        assertThat(Address.of("echoer").toString()).isEqualTo("echoer");
    }

    @Test
    void randomAddressesAre32HexCharacters() {
        Address a = Address.random();
        assertThat(a.toString()).matches("[0-9a-f]{32}");
        assertThat(a).isNotEqualTo(Address.random());
    }
}
