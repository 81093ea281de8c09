package org.hopseal.api.vault.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.vault.KeyHandle;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Persistence;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.SigningKeyHandle;
import org.hopseal.api.vault.Vaults;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every key does its one job: a signing key signs, an agreement key derives, and neither is ever taken for the other.
 * A vault module extends this class with {@link #openVaults()}; one whose backend keeps usage attributes (a PKCS#11
 * token) also answers {@link #usages}, and the kit checks that each generated key has exactly its own. A backend
 * without such attributes (software keys) runs the listing checks only.
 */
public abstract class KeyUsageContract {
    /** What a backend lets a stored key object do, after PKCS#11's usage attributes. */
    public enum Usage {
        SIGN, SIGN_RECOVER, VERIFY, VERIFY_RECOVER, ENCRYPT, DECRYPT, WRAP, UNWRAP, DERIVE
    }

    /** A valid P-256 private scalar, for importing an ECDH key. */
    private static final byte[] P256_PRIVATE = HexFormat.of().parseHex("c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721");

    protected Vaults vaults;

    /** Opens fresh vaults for one test; they are closed after it. */
    protected abstract Vaults openVaults() throws Exception;

    /**
     * The usages the backend grants the private ({@code privatePart}) or public object of {@code key}, or empty when
     * the backend keeps no usage attributes for that key (the attribute checks then skip it).
     */
    protected Optional<Set<Usage>> usages(KeyHandle key, boolean privatePart) throws Exception {
        return Optional.empty();
    }

    @BeforeEach
    void open() throws Exception {
        vaults = openVaults();
    }

    @AfterEach
    void close() {
        vaults.close();
    }

    /** Every agreement key the vault can make: each offered type, ephemeral and persistent, and an imported P-256 key. */
    private List<AgreementKeyHandle> agreementKeysOfEveryKind() throws VaultException {
        List<AgreementKeyHandle> out = new ArrayList<>();
        for (KeyType type : vaults.channel().agreementKeyTypes()) {
            for (Persistence p : Persistence.values()) {
                out.add(vaults.channel().generateAgreementKey(type, p));
            }
        }
        if (vaults.channel().agreementKeyTypes().contains(KeyType.P256_ECDH)) {
            for (Persistence p : Persistence.values()) {
                try {
                    out.add(vaults.channel().importAgreementKey(KeyType.P256_ECDH, P256_PRIVATE, p));
                } catch (VaultException e) {
                    if (e.kind() != ErrorKind.UNSUPPORTED) {
                        throw e;
                    }
                }
            }
        }
        return out;
    }

    @Test
    void signingKeysSignAndVerifyAndDoNothingElse() throws Exception {
        int checked = 0;
        for (KeyType type : vaults.identity().signingKeyTypes()) {
            SigningKeyHandle key = vaults.identity().generateSigningKey(type);
            Optional<Set<Usage>> priv = usages(key, true);
            Optional<Set<Usage>> pub = usages(key, false);
            if (priv.isPresent()) {
                assertThat(priv.get()).as("usages of the private %s key", type).isEqualTo(Set.of(Usage.SIGN));
                checked++;
            }
            if (pub.isPresent()) {
                assertThat(pub.get()).as("usages of the public %s key", type).isEqualTo(Set.of(Usage.VERIFY));
                checked++;
            }
        }
        Assumptions.assumeTrue(checked > 0, "this vault keeps no usage attributes on its signing keys");
    }

    @Test
    void agreementKeysDeriveAndDoNothingElse() throws Exception {
        int checked = 0;
        for (AgreementKeyHandle key : agreementKeysOfEveryKind()) {
            Optional<Set<Usage>> priv = usages(key, true);
            Optional<Set<Usage>> pub = usages(key, false);
            if (priv.isPresent()) {
                assertThat(priv.get()).as("usages of the private %s key %s", key.type(), key.id()).isEqualTo(Set.of(Usage.DERIVE));
                checked++;
            }
            if (pub.isPresent()) {
                assertThat(pub.get()).as("usages of the public %s key %s", key.type(), key.id()).isEmpty();
                checked++;
            }
        }
        Assumptions.assumeTrue(checked > 0, "this vault keeps no usage attributes on its agreement keys");
    }

    @Test
    void agreementAndSigningKeysAreNeverListedOrFoundAsEachOther() throws Exception {
        List<byte[]> agreementPoints = new ArrayList<>();
        for (AgreementKeyHandle key : agreementKeysOfEveryKind()) {
            PublicKey pub = vaults.channel().publicKey(key);
            agreementPoints.add(pub.bytes());
            KeyType asSigning = key.type() == KeyType.P256_ECDH ? KeyType.ECDSA_P256 : KeyType.ED25519;
            assertThat(vaults.identity().find(new PublicKey(asSigning, pub.bytes())))
                    .as("the %s key %s found as a %s identity key", key.type(), key.id(), asSigning).isEmpty();
        }
        List<byte[]> signingPoints = new ArrayList<>();
        for (KeyType type : vaults.identity().signingKeyTypes()) {
            signingPoints.add(vaults.identity().publicKey(vaults.identity().generateSigningKey(type)).bytes());
        }
        for (SigningKeyHandle h : vaults.identity().signingKeys()) {
            byte[] point = vaults.identity().publicKey(h).bytes();
            assertThat(agreementPoints).as("signing key %s (%s) is an agreement key", h.id(), h.type())
                    .noneSatisfy(p -> assertThat(p).isEqualTo(point));
        }
        for (AgreementKeyHandle h : vaults.channel().agreementKeys()) {
            byte[] point = vaults.channel().publicKey(h).bytes();
            assertThat(signingPoints).as("agreement key %s (%s) is a signing key", h.id(), h.type())
                    .noneSatisfy(p -> assertThat(p).isEqualTo(point));
        }
    }
}
