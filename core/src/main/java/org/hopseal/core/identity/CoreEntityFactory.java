package org.hopseal.core.identity;

import java.time.InstantSource;
import java.util.List;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.identity.EntityFactory;
import org.hopseal.api.identity.StoredEntity;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.worker.Context;
import org.hopseal.core.node.Node;

/** Provides {@link Entity}'s static methods: entities on the given vaults, or on the node's. */
public final class CoreEntityFactory implements EntityFactory {
    @Override
    public Entity create(Context ctx, Vaults vaults) throws HopsealException {
        return CoreEntity.create(ctx, vaultsOr(ctx, vaults));
    }

    @Override
    public Entity create(Context ctx, Vaults vaults, String name, KeyType keyType) throws HopsealException {
        return CoreEntity.create(ctx, vaultsOr(ctx, vaults), name, keyType, InstantSource.system());
    }

    @Override
    public Entity load(Context ctx, Vaults vaults, String nameOrIdentifier) throws HopsealException {
        return CoreEntity.load(ctx, vaultsOr(ctx, vaults), nameOrIdentifier);
    }

    @Override
    public List<StoredEntity> list(Vaults vaults) throws HopsealException {
        return CoreEntity.list(vaults);
    }

    @Override
    public StoredEntity delete(Vaults vaults, String nameOrIdentifier) throws HopsealException {
        return CoreEntity.delete(vaults, nameOrIdentifier);
    }

    private static Vaults vaultsOr(Context ctx, Vaults vaults) throws HopsealException {
        return vaults != null ? vaults : Node.of(ctx).vaults();
    }
}
