package org.hopseal.api.identity;

import java.util.List;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.worker.Context;

/**
 * Service interface behind {@link Entity}'s static methods; {@code org.hopseal.core} provides it. Applications call
 * {@link Entity}'s methods, which document the failures; an implementation fails in the same ways.
 *
 * @since 0.1
 */
public interface EntityFactory {
    /**
     * Creates an unnamed entity on {@code vaults}, or on the node's vault when {@code vaults} is {@code null}.
     *
     * @param ctx a context of the node the entity's channels run on
     * @param vaults where the entity's keys live; {@code null} for the node's vault
     * @return the new entity
     * @throws HopsealException as {@link Entity#create(Context, Vaults)} does
     */
    Entity create(Context ctx, Vaults vaults) throws HopsealException;

    /**
     * Creates an entity named {@code name} (unique within the vault) with an identity key of {@code keyType}, or the
     * vault's preferred type when {@code keyType} is {@code null}; {@code vaults} as in {@link #create(Context, Vaults)}.
     *
     * @param ctx a context of the node the entity's channels run on
     * @param vaults where the entity's keys live; {@code null} for the node's vault
     * @param name the name, already checked by {@link StoredEntity#checkName}
     * @param keyType the identity key's type, or {@code null} for the vault's preferred one
     * @return the new entity
     * @throws HopsealException as {@link Entity#create(Context, Vaults, String, KeyType)} does
     */
    Entity create(Context ctx, Vaults vaults, String name, KeyType keyType) throws HopsealException;

    /**
     * Loads the entity stored in {@code vaults} (or the node's vault) under a name or an identifier.
     *
     * @param ctx a context of the node the entity's channels run on
     * @param vaults where the entity is stored; {@code null} for the node's vault
     * @param nameOrIdentifier the entity's name, or its identifier's text form
     * @return the entity
     * @throws HopsealException as {@link Entity#load(Context, Vaults, String)} does
     */
    Entity load(Context ctx, Vaults vaults, String nameOrIdentifier) throws HopsealException;

    /**
     * The entities stored in {@code vaults}.
     *
     * @param vaults the vaults to look in
     * @return the stored entities
     * @throws HopsealException as {@link Entity#list(Vaults)} does
     */
    List<StoredEntity> list(Vaults vaults) throws HopsealException;

    /**
     * Deletes the stored entity named or identified by {@code nameOrIdentifier}: its record and its keys.
     *
     * @param vaults where the entity is stored
     * @param nameOrIdentifier the entity's name, or its identifier's text form
     * @return what was deleted
     * @throws HopsealException as {@link Entity#delete(Vaults, String)} does
     */
    StoredEntity delete(Vaults vaults, String nameOrIdentifier) throws HopsealException;
}
