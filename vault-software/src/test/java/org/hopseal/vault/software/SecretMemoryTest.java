package org.hopseal.vault.software;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import java.util.Arrays;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.vault.InsecureSecretAccess;
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
        // The next secret takes the freed slot (the last freed is the first reused): what the old one held past the
        // new one's end is still zero.
        SecretMemory.Region next = memory.store(new byte[] {9, 9, 9, 9});
        assertThat(next.read()).containsExactly(9, 9, 9, 9);
        assertThat(r.read()).as("the reused slot, seen through the old region").containsExactly(9, 9, 9, 9, 0, 0, 0, 0);
        memory.close();
    }

    /**
     * A secret larger than a slot (and a page) is kept whole. Its own region is freed as it is wiped, so the wipe,
     * which is the same code as a slot's, cannot be read back here; {@link #freedSlotsAreWipedAndReusedWiped} checks it.
     */
    @Test
    void aSecretLargerThanASlotIsStoredWholeReadBackAndFreed() {
        SecretMemory memory = new SecretMemory();
        byte[] big = new byte[5000];
        Arrays.fill(big, (byte) 0x5A);
        big[4999] = 0x11;
        SecretMemory.Region r = memory.store(big);
        assertThat(r.length()).isEqualTo(5000).isGreaterThan(SecretMemory.SLOT);
        assertThat(r.read()).containsExactly(big);
        r.free();
        assertThat(memory.store(new byte[] {7}).read()).as("memory still serves small secrets").containsExactly(7);
        memory.close();
    }

    @Test
    void deletedAndClosedVaultsForgetTheirKeys() throws Exception {
        SoftwareVault v = new SoftwareVault();
        var k = v.importSecret(new byte[] {9, 9, 9});
        v.delete(k);
        assertThat(v.size()).isZero();
        assertHopsealError(ErrorKind.NOT_FOUND, () -> v.exportSecret(k, InsecureSecretAccess.get()));
        var kept = v.importSecret(new byte[] {7});
        v.close();
        assertThat(v.size()).isZero();
        assertHopsealError(ErrorKind.SHUTDOWN, () -> v.exportSecret(kept, InsecureSecretAccess.get()));
    }
}
