package org.hopseal.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.IdentityException;
import org.hopseal.api.identity.ChangeHistory;
import org.hopseal.api.vault.HashAlgorithm;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Persistence;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.SigningKeyHandle;
import org.hopseal.api.vault.Vaults;
import org.hopseal.vault.software.SoftwareVault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link IdentityHistory#verify}: each rule of a change history checked on its own, with histories built so that
 * every other rule holds and only the rule under test can refuse them.
 */
class IdentityHistoryTest {
    private Vaults v;
    private SigningKeyHandle rootKey;
    private SigningKeyHandle secondKey;
    private List<IdentityChange> root;

    @BeforeEach
    void open() throws HopsealException {
        v = SoftwareVault.vaults();
        rootKey = v.identity().generateSigningKey(KeyType.ED25519);
        secondKey = v.identity().generateSigningKey(KeyType.ED25519);
        root = IdentityHistory.create(v.identity(), rootKey);
    }

    @AfterEach
    void close() {
        v.close();
    }

    private byte[] sign(SigningKeyHandle key, byte[] body) throws HopsealException {
        return v.identity().sign(key, IdentityChange.signedBytes(body));
    }

    /** A rotation change with the given fields, its signatures made by {@code selfKey} and {@code previousKey}. */
    private IdentityChange change(int index, byte[] previousId, SigningKeyHandle selfKey, SigningKeyHandle previousKey)
            throws HopsealException {
        PublicKey pub = v.identity().publicKey(selfKey);
        byte[] body = IdentityChange.body(index, previousId, pub);
        return new IdentityChange(body, index, previousId, pub, sign(selfKey, body),
                previousKey == null ? null : sign(previousKey, body));
    }

    private byte[] rootId() throws HopsealException {
        return IdentityHistory.changeId(v.verifier(), root.get(0));
    }

    private ChangeHistory verify(List<IdentityChange> changes) throws HopsealException {
        return IdentityHistory.verify(IdentityHistory.encode(changes), v.verifier());
    }

    @Test
    void aWellFormedRotationVerifiesAndItsIdentifierIsTheHashOfTheRootBody() throws HopsealException {
        List<IdentityChange> rotated = List.of(root.get(0), change(1, rootId(), secondKey, rootKey));
        byte[] encoded = IdentityHistory.encode(rotated);

        ChangeHistory h = IdentityHistory.verify(encoded, v.verifier());

        assertThat(h.keys()).containsExactly(v.identity().publicKey(rootKey), v.identity().publicKey(secondKey));
        assertThat(h.currentKey()).isEqualTo(v.identity().publicKey(secondKey));
        assertThat(h.encoded()).isEqualTo(encoded);
        byte[] rootHash = v.verifier().hash(HashAlgorithm.SHA256, root.get(0).body());
        assertThat(h.identifier().value()).isEqualTo("I" + HexFormat.of().formatHex(rootHash));
        assertThat(IdentityHistory.rotate(root, v.verifier(), v.identity(), rootKey, secondKey))
                .as("rotate builds the same change").extracting(IdentityChange::body)
                .containsExactly(rotated.get(0).body(), rotated.get(1).body());
    }

    @Test
    void aRotationSignedOnlyByTheNewKeyIsRefused() throws HopsealException {
        // The new key signs in the previous key's place: whoever holds only the new key cannot claim the identity.
        List<IdentityChange> selfSigned = List.of(root.get(0), change(1, rootId(), secondKey, secondKey));

        assertHopsealError(ErrorKind.AUTHENTICATION, () -> verify(selfSigned))
                .isInstanceOf(IdentityException.class)
                .hasMessage("identity change 1 has a bad signature");
    }

    @Test
    void aRotationWhosePreviousKeySignatureIsCorruptedIsRefused() throws HopsealException {
        IdentityChange good = change(1, rootId(), secondKey, rootKey);
        byte[] corrupted = good.previousSignature().clone();
        corrupted[7] ^= 0x01;
        IdentityChange bad = new IdentityChange(good.body(), 1, good.previousId(), good.key(), good.selfSignature(), corrupted);

        assertThat(verify(List.of(root.get(0), good)).keys()).as("the uncorrupted change verifies").hasSize(2);
        assertHopsealError(ErrorKind.AUTHENTICATION, () -> verify(List.of(root.get(0), bad)))
                .isInstanceOf(IdentityException.class)
                .hasMessage("identity change 1 has a bad signature");
    }

    @Test
    void aRotationWhosePreviousSignatureIsByAKeyOutsideTheHistoryIsRefused() throws HopsealException {
        SigningKeyHandle stranger = v.identity().generateSigningKey(KeyType.ED25519);
        List<IdentityChange> history = List.of(root.get(0), change(1, rootId(), secondKey, stranger));

        assertThatThrownBy(() -> verify(history))
                .isInstanceOf(IdentityException.class)
                .hasMessage("identity change 1 has a bad signature");
    }

    @Test
    void aRotationWhoseSelfSignatureIsByTheOldKeyIsRefused() throws HopsealException {
        List<IdentityChange> history = List.of(root.get(0), change(1, rootId(), rootKey, rootKey));
        // rootKey signs both, but the change names rootKey as the new key: that is fine; naming secondKey is not.
        PublicKey pub = v.identity().publicKey(secondKey);
        byte[] body = IdentityChange.body(1, rootId(), pub);
        IdentityChange claimsSecond = new IdentityChange(body, 1, rootId(), pub, sign(rootKey, body), sign(rootKey, body));

        assertThat(verify(history).keys()).hasSize(2);
        assertThatThrownBy(() -> verify(List.of(root.get(0), claimsSecond)))
                .isInstanceOf(IdentityException.class).hasMessage("identity change 1 has a bad signature");
    }

    @Test
    void aPreviousKeySignatureLiftedFromAnotherRotationDoesNotAuthorizeADifferentNewKey() throws HopsealException {
        // Alice rotated from her root key to secondKey; Mallory reuses Alice's previous-key signature for his own key.
        IdentityChange alices = change(1, rootId(), secondKey, rootKey);
        SigningKeyHandle mallorysKey = v.identity().generateSigningKey(KeyType.ED25519);
        PublicKey mallory = v.identity().publicKey(mallorysKey);
        byte[] body = IdentityChange.body(1, rootId(), mallory);
        IdentityChange lifted = new IdentityChange(body, 1, rootId(), mallory, sign(mallorysKey, body), alices.previousSignature());

        assertHopsealError(ErrorKind.AUTHENTICATION, () -> verify(List.of(root.get(0), lifted)))
                .hasMessage("identity change 1 has a bad signature");
    }

    @Test
    void aChangeBodyWithTrailingBytesIsRefusedEvenWhenSigned() throws HopsealException {
        // Otherwise one root key would have many identifiers (the hash of each padded body).
        PublicKey pub = v.identity().publicKey(rootKey);
        byte[] padded = Arrays.copyOf(IdentityChange.body(0, new byte[0], pub), root.get(0).body().length + 1);
        IdentityChange change = new IdentityChange(padded, 0, new byte[0], pub, sign(rootKey, padded), null);

        assertHopsealError(ErrorKind.INVALID, () -> verify(List.of(change)))
                .hasMessageContaining("identity change body");
    }

    @Test
    void aChangeThatDoesNotNameThePreviousChangeIsABrokenChain() throws HopsealException {
        // Correct index, both signatures valid, key type allowed: only the chain check can refuse it.
        byte[] otherId = v.verifier().hash(HashAlgorithm.SHA256, "not the root".getBytes());
        List<IdentityChange> history = List.of(root.get(0), change(1, otherId, secondKey, rootKey));

        assertHopsealError(ErrorKind.INVALID, () -> verify(history))
                .isInstanceOf(IdentityException.class)
                .hasMessage("identity change 1 does not follow change 0 (broken chain)");
    }

    @Test
    void aChangeThatNamesNoPreviousChangeAfterTheRootIsABrokenChain() throws HopsealException {
        List<IdentityChange> history = List.of(root.get(0), change(1, new byte[0], secondKey, rootKey));

        assertThatThrownBy(() -> verify(history))
                .isInstanceOf(IdentityException.class).hasMessageContaining("(broken chain)");
    }

    @Test
    void aSplicedThirdChangeThatNamesTheRootInsteadOfChangeOneIsABrokenChain() throws HopsealException {
        SigningKeyHandle third = v.identity().generateSigningKey(KeyType.ED25519);
        IdentityChange one = change(1, rootId(), secondKey, rootKey);
        // Index 2 and signed by the key it follows, but chained to the root: a history spliced from two branches.
        List<IdentityChange> history = List.of(root.get(0), one, change(2, rootId(), third, secondKey));

        assertThatThrownBy(() -> verify(history))
                .isInstanceOf(IdentityException.class)
                .hasMessage("identity change 2 does not follow change 1 (broken chain)");
    }

    @Test
    void aRootThatNamesAPreviousChangeIsABrokenChain() throws HopsealException {
        byte[] someId = v.verifier().hash(HashAlgorithm.SHA256, "before the root".getBytes());
        IdentityChange fakeRoot = change(0, someId, rootKey, null);

        assertThatThrownBy(() -> verify(List.of(fakeRoot)))
                .isInstanceOf(IdentityException.class)
                .hasMessage("identity change 0 does not follow change -1 (broken chain)");
    }

    @Test
    void aRootSignedByASecondKeyIsRefused() throws HopsealException {
        IdentityChange doublySigned = change(0, new byte[0], rootKey, secondKey);

        assertThatThrownBy(() -> verify(List.of(doublySigned)))
                .isInstanceOf(IdentityException.class).hasMessageContaining("the first identity change has no previous key");
    }

    @Test
    void aRotationWithoutAPreviousSignatureIsRefused() throws HopsealException {
        List<IdentityChange> history = List.of(root.get(0), change(1, rootId(), secondKey, null));

        assertThatThrownBy(() -> verify(history))
                .isInstanceOf(IdentityException.class).hasMessage("identity change 1 is not signed by the previous key");
    }

    @Test
    void aChangeClaimingAnotherIndexIsReordering() throws HopsealException {
        List<IdentityChange> history = List.of(root.get(0), change(2, rootId(), secondKey, rootKey));

        assertThatThrownBy(() -> verify(history))
                .isInstanceOf(IdentityException.class).hasMessage("identity change 1 claims index 2 (reordered history)");
    }

    @Test
    void anX25519KeyIsNotAnIdentityKeyEvenWhenTheChainAndIndexHold() throws HopsealException {
        PublicKey x25519 = v.channel().publicKey(v.channel().generateAgreementKey(KeyType.X25519,
                Persistence.EPHEMERAL));
        byte[] body = IdentityChange.body(1, rootId(), x25519);
        IdentityChange change = new IdentityChange(body, 1, rootId(), x25519, new byte[64], sign(rootKey, body));

        assertThatThrownBy(() -> verify(List.of(root.get(0), change)))
                .isInstanceOf(IdentityException.class).hasMessageContaining("identity keys are Ed25519 or ECDSA P-256");
    }

    @Test
    void verifyingFromAKnownPrefixChecksOnlyTheChangesAfterIt() throws HopsealException {
        IdentityChange one = change(1, rootId(), secondKey, rootKey);
        SigningKeyHandle third = v.identity().generateSigningKey(KeyType.ED25519);
        byte[] oneId = IdentityHistory.changeId(v.verifier(), one);
        IdentityChange badlyChained = change(2, rootId(), third, secondKey);
        List<IdentityChange> known = List.of(root.get(0), one);

        assertThat(IdentityHistory.verifyExtension(known, List.of(root.get(0), one, change(2, oneId, third, secondKey)),
                v.verifier(), new byte[0]).keys()).hasSize(3);
        assertThatThrownBy(() -> IdentityHistory.verifyExtension(known, List.of(root.get(0), one, badlyChained), v.verifier(),
                new byte[0])).isInstanceOf(IdentityException.class).hasMessage("identity change 2 does not follow change 1 (broken chain)");
        List<IdentityChange> forgedAfterKnown = List.of(root.get(0), one, change(2, oneId, third, rootKey));
        assertThatThrownBy(() -> IdentityHistory.verifyExtension(known, forgedAfterKnown, v.verifier(), new byte[0]))
                .as("the change after the known ones must be signed by the known history's last key")
                .isInstanceOf(IdentityException.class).hasMessage("identity change 2 has a bad signature");
    }

    @Test
    void aHistoryOfTheMaximumNumberOfChangesDecodesAndOneMoreDoesNot() throws HopsealException {
        // decode checks the form only, so repeating one change is enough to test the count bound.
        List<IdentityChange> most = Collections.nCopies(IdentityChange.MAX_CHANGES, root.get(0));
        List<IdentityChange> tooMany = Collections.nCopies(IdentityChange.MAX_CHANGES + 1, root.get(0));

        assertThat(IdentityHistory.decode(IdentityHistory.encode(most))).hasSize(IdentityChange.MAX_CHANGES);
        assertThatThrownBy(() -> IdentityHistory.decode(IdentityHistory.encode(tooMany)))
                .isInstanceOf(IdentityException.class).hasMessageContaining("1 to 1024 changes, not 1025");
        assertThatThrownBy(() -> IdentityHistory.decode(IdentityHistory.encode(List.of())))
                .isInstanceOf(IdentityException.class).hasMessageContaining("not 0");
    }

    @Test
    void trailingBytesAfterAHistoryAreRefused() {
        byte[] good = IdentityHistory.encode(root);
        byte[] trailing = Arrays.copyOf(good, good.length + 1);

        assertHopsealError(ErrorKind.INVALID, () -> IdentityHistory.decode(trailing))
                .isInstanceOf(IdentityException.class).hasMessageStartingWith("malformed identity history");
    }

    @Test
    void anUnknownHistoryVersionIsRefused() {
        byte[] good = IdentityHistory.encode(root);
        byte[] v2 = good.clone();
        v2[0] = 2;

        assertThatThrownBy(() -> IdentityHistory.decode(v2))
                .isInstanceOf(IdentityException.class).hasMessageContaining("unsupported identity history version 2");
    }

    @Test
    void everyByteFlipOfASignedRotationIsRefused() throws HopsealException {
        byte[] good = IdentityHistory.encode(IdentityHistory.rotate(root, v.verifier(), v.identity(), rootKey, secondKey));
        assertThat(IdentityHistory.verify(good, v.verifier()).keys()).hasSize(2);
        for (int i = 0; i < good.length; i++) {
            byte[] flipped = good.clone();
            flipped[i] ^= 0x40;
            assertThatThrownBy(() -> IdentityHistory.verify(flipped, v.verifier())).as("flip at byte %d", i)
                    .isInstanceOf(IdentityException.class);
        }
    }
}
