package org.hopseal.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.List;
import org.hopseal.api.routing.Address;
import org.junit.jupiter.api.Test;

class ForwardingTest {
    private static final Address A = Address.tcp("10.0.0.1:4000");
    private static final Address B = Address.tcp("10.0.0.2:5000");
    private static final Address C = Address.tcp("10.0.0.3:6000");

    @Test
    void noneForwardsNothing() {
        Forwarding f = Forwarding.none();
        assertThat(f.enabled()).isFalse();
        assertThat(f.mayConnect(A)).isFalse();
        assertThat(f).hasToString("no forwarding");
    }

    @Test
    void anywhereConnectsAnywhere() {
        Forwarding f = Forwarding.anywhere();
        assertThat(f.enabled()).isTrue();
        assertThat(f.mayConnect(A)).isTrue();
        assertThat(f.mayConnect(Address.of("7#whatever"))).isTrue();
        assertThat(f).hasToString("forwarding anywhere");
    }

    @Test
    void toConnectsOnlyToTheListedDestinationsInEitherForm() {
        Forwarding f = Forwarding.to(List.of("10.0.0.1:4000", "1#10.0.0.2:5000", "7#relay"));
        assertThat(f.enabled()).isTrue();
        assertThat(f.mayConnect(A)).isTrue();
        assertThat(f.mayConnect(B)).isTrue();
        assertThat(f.mayConnect(Address.of("7#relay"))).isTrue();
        assertThat(f.mayConnect(C)).isFalse();
        // "host:port" is a TCP address, never a local one nor another transport's.
        assertThat(f.mayConnect(Address.local("10.0.0.1:4000"))).isFalse();
        assertThat(f.mayConnect(Address.of("2#10.0.0.1:4000"))).isFalse();
        assertThat(f.mayConnect(Address.tcp("10.0.0.1:4001"))).isFalse();
        assertThat(f.toString()).startsWith("forwarding to [").contains("1#10.0.0.1:4000", "1#10.0.0.2:5000", "7#relay");
    }

    @Test
    void anEmptyListForwardsRepliesButConnectsNowhere() {
        Forwarding f = Forwarding.to(List.of());
        assertThat(f.enabled()).isTrue();
        assertThat(f.mayConnect(A)).isFalse();
    }

    @Test
    void mayConnectNeedsAHop() {
        assertThatNullPointerException().isThrownBy(() -> Forwarding.anywhere().mayConnect(null));
        assertThatNullPointerException().isThrownBy(() -> Forwarding.none().mayConnect(null));
    }

    @Test
    void nodesDoNotForwardByDefault() throws Exception {
        try (Node node = Node.start()) {
            assertThat(node.forwarding()).isSameAs(Forwarding.none());
        }
        Forwarding f = Forwarding.to(List.of("10.0.0.1:4000"));
        try (Node node = Node.builder().forwarding(f).start()) {
            assertThat(node.forwarding()).isSameAs(f);
        }
    }
}
