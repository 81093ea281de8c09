package org.hopseal.api.identity;

import java.util.List;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.worker.Context;

/**
 * Service interface behind {@link Entity}'s static methods; {@code org.hopseal.core} provides it.
 *
 * @since 0.1
 */
public interface EntityFactory {
    /** Creates an entity on {@code vaults}, or on the node's vault when {@code vaults} is {@code null}. */
    Entity create(Context ctx, Vaults vaults) throws HopsealException;

    /**
     * Creates an entity named {@code name} (unique within the vault) with an identity key of {@code keyType}, or the
     * vault's preferred type when {@code keyType} is {@code null}; {@code vaults} as in {@link #create(Context, Vaults)}.
     */
    Entity create(Context ctx, Vaults vaults, String name, KeyType keyType) throws HopsealException;

    /** Loads the entity stored in {@code vaults} (or the node's vault) under a name or an identifier. */
    Entity load(Context ctx, Vaults vaults, String nameOrIdentifier) throws HopsealException;

    /** The entities stored in {@code vaults}. */
    List<StoredEntity> list(Vaults vaults) throws HopsealException;

    /** Deletes the stored entity named or identified by {@code nameOrIdentifier}: its record and its keys. */
    StoredEntity delete(Vaults vaults, String nameOrIdentifier) throws HopsealException;
}
