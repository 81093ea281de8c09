package org.hopseal.core.channel.x3dh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.vault.HashAlgorithm;
import org.hopseal.api.vault.InsecureSecretAccess;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Persistence;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.SecretHandle;
import org.hopseal.vault.software.SoftwareVault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** X3DH's DH1..DH4, SK and AD: both sides agree, and failures leave no secret behind. */
class X3dhTest {
    private static final byte[] INFO = "test".getBytes(StandardCharsets.US_ASCII);
    private static final PublicKey LOW_ORDER = new PublicKey(KeyType.X25519, new byte[32]);
    private final SoftwareVault vault = new SoftwareVault();
    private AgreementKeyHandle ikA;
    private AgreementKeyHandle ekA;
    private AgreementKeyHandle ikB;
    private AgreementKeyHandle spkB;
    private AgreementKeyHandle opkB;

    @BeforeEach
    void keys() throws HopsealException {
        ikA = key();
        ekA = key();
        ikB = key();
        spkB = key();
        opkB = key();
    }

    @AfterEach
    void close() {
        vault.close();
    }

    private AgreementKeyHandle key() throws HopsealException {
        return vault.generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL);
    }

    private PublicKey pub(AgreementKeyHandle k) throws HopsealException {
        return vault.publicKey(k);
    }

    private byte[] export(SecretHandle h) throws HopsealException {
        return vault.exportSecret(h, InsecureSecretAccess.get());
    }

    private List<byte[]> exportAll(List<SecretHandle> hs) throws HopsealException {
        List<byte[]> out = new ArrayList<>();
        for (SecretHandle h : hs) {
            out.add(export(h));
        }
        return out;
    }

    @Test
    void bothSidesComputeTheSameDhOutputsInTheSameOrder() throws Exception {
        List<SecretHandle> alice = X3dh.initiatorDh(vault, ikA, ekA, pub(ikB), pub(spkB), pub(opkB));
        List<SecretHandle> bob = X3dh.responderDh(vault, ikB, spkB, opkB, pub(ikA), pub(ekA));
        assertThat(alice).hasSize(4);
        assertThat(exportAll(alice)).containsExactlyElementsOf(exportAll(bob));
        // DH1 = DH(IK_A, SPK_B), DH2 = DH(EK_A, IK_B), DH3 = DH(EK_A, SPK_B), DH4 = DH(EK_A, OPK_B).
        assertThat(export(alice.get(0))).isEqualTo(export(vault.agree(ikA, pub(spkB))));
        assertThat(export(alice.get(1))).isEqualTo(export(vault.agree(ekA, pub(ikB))));
        assertThat(export(alice.get(2))).isEqualTo(export(vault.agree(ekA, pub(spkB))));
        assertThat(export(alice.get(3))).isEqualTo(export(vault.agree(ekA, pub(opkB))));
    }

    @Test
    void withoutAOneTimePrekeyThereAreThreeDhOutputs() throws Exception {
        List<SecretHandle> alice = X3dh.initiatorDh(vault, ikA, ekA, pub(ikB), pub(spkB), null);
        List<SecretHandle> bob = X3dh.responderDh(vault, ikB, spkB, null, pub(ikA), pub(ekA));
        assertThat(alice).hasSize(3);
        assertThat(exportAll(alice)).containsExactlyElementsOf(exportAll(bob));
    }

    @Test
    void aLowOrderKeyFailsTheAgreementAndTheOutputsSoFarAreDeleted() throws Exception {
        int before = vault.size();
        assertThatThrownBy(() -> X3dh.initiatorDh(vault, ikA, ekA, pub(ikB), pub(spkB), LOW_ORDER))
                .isInstanceOf(HopsealException.class).hasMessageContaining("low-order");
        assertThat(vault.size()).as("DH1..DH3 were deleted").isEqualTo(before);
        assertThatThrownBy(() -> X3dh.responderDh(vault, ikB, spkB, opkB, pub(ikA), LOW_ORDER))
                .isInstanceOf(HopsealException.class);
        assertThat(vault.size()).as("DH1 was deleted").isEqualTo(before);
    }

    @Test
    void theSharedSecretIsTheSameOnBothSidesDependsOnEveryDhAndLeavesOnlyItself() throws Exception {
        List<SecretHandle> alice = X3dh.initiatorDh(vault, ikA, ekA, pub(ikB), pub(spkB), pub(opkB));
        List<SecretHandle> bob = X3dh.responderDh(vault, ikB, spkB, opkB, pub(ikA), pub(ekA));
        int before = vault.size();
        SecretHandle skA = X3dh.sharedSecret(vault, HashAlgorithm.SHA256, alice, INFO);
        assertThat(vault.size()).as("only SK is added").isEqualTo(before + 1);
        SecretHandle skB = X3dh.sharedSecret(vault, HashAlgorithm.SHA256, bob, INFO);
        assertThat(export(skA)).hasSize(X3dh.SK_LENGTH).isEqualTo(export(skB));
        assertThat(export(X3dh.sharedSecret(vault, HashAlgorithm.SHA256, alice, "other".getBytes(StandardCharsets.US_ASCII))))
                .isNotEqualTo(export(skA));
        assertThat(export(X3dh.sharedSecret(vault, HashAlgorithm.SHA256, alice.subList(0, 3), INFO))).isNotEqualTo(export(skA));
        assertThat(export(X3dh.sharedSecret(vault, HashAlgorithm.SHA512, alice, INFO))).hasSize(32).isNotEqualTo(export(skA));
    }

    @Test
    void theSharedSecretIsHkdfOfFfPrefixAndTheDhOutputsWithAZeroSalt() throws Exception {
        // With one DH output known, SK can be recomputed independently: HKDF(salt = 0^32, IKM = 0xFF^32 || DH, info).
        byte[] dh = new byte[32];
        dh[5] = 7;
        SecretHandle dhHandle = vault.importSecret(dh);
        byte[] ikm = new byte[64];
        java.util.Arrays.fill(ikm, 0, 32, (byte) 0xFF);
        System.arraycopy(dh, 0, ikm, 32, 32);
        SecretHandle expected = vault.hkdf(HashAlgorithm.SHA256, vault.importSecret(new byte[32]), vault.importSecret(ikm), INFO,
                List.of(32)).get(0);
        assertThat(export(X3dh.sharedSecret(vault, HashAlgorithm.SHA256, List.of(dhHandle), INFO))).isEqualTo(export(expected));
    }

    @Test
    void associatedDataIsBothIdentityKeysInitiatorFirst() throws Exception {
        byte[] ad = X3dh.associatedData(pub(ikA), pub(ikB));
        assertThat(ad).hasSize(64);
        assertThat(java.util.Arrays.copyOf(ad, 32)).isEqualTo(pub(ikA).bytes());
        assertThat(java.util.Arrays.copyOfRange(ad, 32, 64)).isEqualTo(pub(ikB).bytes());
    }

    @Test
    void deletingHandlesThatAreGoneAlreadyIsQuiet() throws Exception {
        SecretHandle a = vault.importSecret(new byte[] {1});
        SecretHandle b = vault.importSecret(new byte[] {2});
        vault.delete(a);
        int before = vault.size();
        X3dh.delete(vault, List.of(a, b));
        assertThat(vault.size()).as("b is deleted although a was gone").isEqualTo(before - 1);
    }
}
