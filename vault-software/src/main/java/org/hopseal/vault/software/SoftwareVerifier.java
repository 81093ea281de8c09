package org.hopseal.vault.software;

import java.security.GeneralSecurityException;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.hopseal.api.error.AuthenticationFailedException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.HashAlgorithm;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.Verifier;

/**
 * Verifies Ed25519 (BouncyCastle, RFC 8032 with its canonical-encoding checks) and ECDSA P-256 (JDK) signatures,
 * and hashes. Needs no secret.
 *
 * <p>Thread safety: stateless, thread safe.
 *
 * @since 0.1
 */
public final class SoftwareVerifier implements Verifier {
    @Override
    public void verify(PublicKey key, byte[] data, byte[] signature) throws AuthenticationFailedException, VaultException {
        byte[] pub = key.bytes();
        boolean ok = switch (key.type()) {
            case ED25519 -> pub.length == Ed25519.PUBLIC_KEY_SIZE && signature.length == Ed25519.SIGNATURE_SIZE
                    && Ed25519.verify(signature, 0, pub, 0, data, 0, data.length);
            case ECDSA_P256 -> {
                try {
                    yield signature.length == 64 && P256.verify(pub, data, signature);
                } catch (IllegalArgumentException | GeneralSecurityException e) {
                    yield false;
                }
            }
            case X25519 -> XEdDsa.verify(pub, data, signature);
            default -> throw new VaultException(ErrorKind.INVALID, key.type() + " keys do not sign");
        };
        if (!ok) {
            throw new AuthenticationFailedException();
        }
    }

    @Override
    public byte[] hash(HashAlgorithm algorithm, byte[]... parts) {
        return Digests.hash(algorithm, parts);
    }
}
