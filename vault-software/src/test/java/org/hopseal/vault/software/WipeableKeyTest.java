package org.hopseal.vault.software;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Key bytes lent to the JDK's engines: a copy for each engine, the owner's array wiped by destroy. */
class WipeableKeyTest {
    @Test
    void anEngineGetsACopyItMayWipe() {
        byte[] bytes = {1, 2, 3, 4};
        WipeableKey key = new WipeableKey(bytes, "HmacSHA256");
        byte[] copy = key.getEncoded();
        assertThat(copy).isEqualTo(bytes).isNotSameAs(bytes);
        Arrays.fill(copy, (byte) 0);
        assertThat(key.getEncoded()).containsExactly(1, 2, 3, 4);
        assertThat(key.getAlgorithm()).isEqualTo("HmacSHA256");
        assertThat(key.getFormat()).isEqualTo("RAW");
    }

    @Test
    void destroyWipesTheOwnersArray() {
        byte[] bytes = {1, 2, 3, 4};
        WipeableKey key = new WipeableKey(bytes, "AES");
        assertThat(key.isDestroyed()).isFalse();
        key.destroy();
        assertThat(bytes).containsOnly(0);
        assertThat(key.getEncoded()).containsOnly(0);
        assertThat(key.isDestroyed()).isTrue();
    }
}
