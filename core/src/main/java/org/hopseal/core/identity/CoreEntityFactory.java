package org.hopseal.core.identity;

import org.hopseal.api.error.HopsealException;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.identity.EntityFactory;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.worker.Context;
import org.hopseal.core.node.Node;

/** Provides {@link Entity#create}: entities on the given vaults, or on the node's. */
public final class CoreEntityFactory implements EntityFactory {
    @Override
    public Entity create(Context ctx, Vaults vaults) throws HopsealException {
        return CoreEntity.create(ctx, vaults != null ? vaults : Node.of(ctx).vaults());
    }
}
