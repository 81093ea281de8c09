package org.hopseal.vault.pkcs11;

import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.VaultProvider;
import org.hopseal.api.vault.VaultSpec;
import org.hopseal.api.vault.Vaults;
import org.hopseal.vault.software.SoftwareVault;
import org.hopseal.vault.software.SoftwareVerifier;

/**
 * The {@code pkcs11} vault: identity keys and P-256 ECDH keys on the token a PKCS#11 URI names; the channel's static
 * X25519 key in an in-memory software vault (attested by the token's identity key, so each handshake costs the token
 * one signature), or on the token too with {@code x-channel-key=token}; ML-KEM, HKDF, AEAD and verification in software.
 * {@code pkcs11:token=hopseal;object=alice?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=env:HOPSEAL_PIN}
 *
 * @since 0.1
 */
public final class Pkcs11VaultProvider implements VaultProvider {
    @Override
    public String name() {
        return "pkcs11";
    }

    @Override
    public Vaults open(VaultSpec spec) throws VaultException {
        Pkcs11Uri uri = Pkcs11Uri.parse(spec.toString());
        String channelKey = uri.query("x-channel-key").orElse("software");
        if (!channelKey.equals("software") && !channelKey.equals("token")) {
            throw new VaultException(ErrorKind.INVALID,
                    "x-channel-key is 'software' (the default) or 'token', not '" + channelKey + "'");
        }
        Pkcs11Token token = Pkcs11Token.open(uri);
        String label = uri.path("object").orElse("hopseal");
        try {
            return new Vaults(new Pkcs11SigningVault(token, label),
                    new Pkcs11ChannelVault(token, label, new SoftwareVault(), channelKey.equals("token")), new SoftwareVerifier());
        } catch (VaultException e) {
            token.close();
            throw e;
        }
    }
}
