package org.hopseal.vault.pkcs11;

import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.VaultProvider;
import org.hopseal.api.vault.VaultSpec;
import org.hopseal.api.vault.Vaults;
import org.hopseal.vault.software.SoftwareVault;
import org.hopseal.vault.software.SoftwareVerifier;

/**
 * The {@code pkcs11} vault: identity keys on the token a PKCS#11 URI names, channel keys in an in-memory software
 * vault (attested by the token's identity key, so each handshake costs the token one signature), verification in
 * software.
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
        Pkcs11SigningVault identity = Pkcs11SigningVault.open(spec.toString());
        return new Vaults(identity, new SoftwareVault(), new SoftwareVerifier());
    }
}
