package org.hopseal.api.vault;

/**
 * An opaque reference to a key held by a vault. A handle names a key; it never contains key material. The id is
 * meaningful only to the vault that issued it; a handle given to another vault, or used after its key was deleted,
 * is rejected ({@code INVALID} or {@code NOT_FOUND}).
 *
 * @since 0.1
 */
public sealed interface KeyHandle permits SigningKeyHandle, AgreementKeyHandle, KemKeyHandle, SecretHandle, AeadKeyHandle {
    /** {@return the id the issuing vault gave the key; meaningful to that vault only} */
    String id();
}
