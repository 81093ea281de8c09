package org.hopseal.api.identity;

import org.hopseal.api.error.HopsealException;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.worker.Context;

/**
 * Service interface behind {@link Entity#create}; {@code org.hopseal.core} provides it.
 *
 * @since 0.1
 */
public interface EntityFactory {
    /** Creates an entity on {@code vaults}, or on the node's vault when {@code vaults} is {@code null}. */
    Entity create(Context ctx, Vaults vaults) throws HopsealException;
}
