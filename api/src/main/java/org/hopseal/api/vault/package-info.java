/**
 * The vault SPI: where keys live, and the operations on them. A {@link org.hopseal.api.vault.SigningVault} holds
 * identity keys, a {@link org.hopseal.api.vault.SecureChannelVault} does the channels' key agreement, key derivation,
 * encryption and key encapsulation, and a {@link org.hopseal.api.vault.Verifier} checks signatures; together they are
 * an entity's {@link org.hopseal.api.vault.Vaults}, opened by spec through the
 * {@link org.hopseal.api.vault.VaultProvider} that {@link java.util.ServiceLoader} finds for it. Keys are named by
 * {@link org.hopseal.api.vault.KeyHandle}s; key material leaves a vault only through the few methods that take an
 * {@link org.hopseal.api.vault.InsecureSecretAccess} token. The test-jar's conformance kit checks an implementation.
 */
package org.hopseal.api.vault;
