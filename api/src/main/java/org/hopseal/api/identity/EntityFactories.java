package org.hopseal.api.identity;

import java.util.List;
import java.util.ServiceLoader;

final class EntityFactories {
    private static volatile EntityFactory factory;

    private EntityFactories() {
    }

    static EntityFactory get() {
        EntityFactory f = factory;
        if (f == null) {
            List<EntityFactory> found = ServiceLoader.load(EntityFactory.class).stream().map(ServiceLoader.Provider::get).toList();
            if (found.size() != 1) {
                throw new IllegalStateException("expected exactly one EntityFactory (from hopseal-core), found " + found.size());
            }
            f = found.get(0);
            factory = f;
        }
        return f;
    }
}
