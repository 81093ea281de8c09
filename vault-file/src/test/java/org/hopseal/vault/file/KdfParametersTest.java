package org.hopseal.vault.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class KdfParametersTest {
    private static final byte[] SALT = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");

    @Test
    void parametersOutsideTheBoundsAFileMayAskForAreRefused() {
        new KdfParameters(16, 1, 2);
        new KdfParameters(KdfParameters.MAX_MEMORY_KIB, KdfParameters.MAX_ITERATIONS, KdfParameters.MAX_PARALLELISM);
        for (int[] p : new int[][] {{15, 1, 2}, {KdfParameters.MAX_MEMORY_KIB + 1, 1, 1}, {64, 0, 1},
            {64, KdfParameters.MAX_ITERATIONS + 1, 1}, {64, 1, 0}, {256, 1, KdfParameters.MAX_PARALLELISM + 1}}) {
            assertThatThrownBy(() -> new KdfParameters(p[0], p[1], p[2])).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("out of range");
        }
    }

    @Test
    void descriptionsCountPassesAndLanes() {
        assertThat(KdfParameters.DEFAULT.describe()).isEqualTo("65536 KiB, 3 passes, 4 lanes");
        assertThat(new KdfParameters(8192, 1, 1).describe()).isEqualTo("8192 KiB, 1 pass, 1 lane");
    }

    /** Regression vectors: the derivation is part of the file format, so it must never change. */
    @Test
    void derivationIsArgon2idVersion13WithEveryParameter() {
        HexFormat hex = HexFormat.of();
        assertThat(hex.formatHex(new KdfParameters(64, 2, 2).derive("password".toCharArray(), SALT)))
                .isEqualTo("1f08414698841d6a3e83a122d1348d7d577b31943c597302442de65fc2c9efba");
        assertThat(hex.formatHex(new KdfParameters(64, 2, 1).derive("password".toCharArray(), SALT)))
                .isEqualTo("716882821df77bc6414358b07159fb63ca1c90beaeb9d0ca0e43bd887dcf2ca9");
        assertThat(new KdfParameters(64, 2, 1).derive("passwore".toCharArray(), SALT))
                .isNotEqualTo(new KdfParameters(64, 2, 1).derive("password".toCharArray(), SALT));
    }
}
