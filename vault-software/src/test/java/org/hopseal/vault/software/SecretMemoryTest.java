package org.hopseal.vault.software;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretMemoryTest {
    @Test
    void freedSlotsAreWipedAndReusedWiped() {
        SecretMemory memory = new SecretMemory();
        byte[] secret = {1, 2, 3, 4, 5, 6, 7, 8};
        SecretMemory.Region r = memory.store(secret);
        assertThat(r.read()).containsExactly(secret);
        r.free();
        assertThat(r.read()).as("the freed slot holds zeros").containsOnly(0);
        memory.close();
    }

    @Test
    void largeSecretsGetTheirOwnRegionAndAreWiped() {
        SecretMemory memory = new SecretMemory();
        byte[] big = new byte[5000];
        java.util.Arrays.fill(big, (byte) 0x5A);
        SecretMemory.Region r = memory.store(big);
        assertThat(r.read()).containsExactly(big);
        memory.close();
    }

    @Test
    void deletedAndClosedVaultsForgetTheirKeys() throws Exception {
        SoftwareVault v = new SoftwareVault();
        var k = v.importSecret(new byte[] {9, 9, 9});
        v.delete(k);
        assertThat(v.size()).isZero();
        v.importSecret(new byte[] {7});
        v.close();
        assertThat(v.size()).isZero();
    }
}
