package org.hopseal.api.internal;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The runtime's implementations of the API's service interfaces, found once through {@link ServiceLoader}: exactly
 * one of each ({@code hopseal-core} provides them). Not exported: the API's own plumbing.
 */
public final class RuntimeServices {
    private static final Map<Class<?>, Object> FOUND = new ConcurrentHashMap<>();

    private RuntimeServices() {
    }

    /** The one provider of {@code service}; fails clearly if there is none (the runtime is missing) or several. */
    public static <T> T get(Class<T> service) {
        return service.cast(FOUND.computeIfAbsent(service, RuntimeServices::load));
    }

    private static Object load(Class<?> service) {
        List<?> found = ServiceLoader.load(service).stream().map(ServiceLoader.Provider::get).toList();
        if (found.size() != 1) {
            throw new IllegalStateException("expected exactly one " + service.getSimpleName()
                    + " (from hopseal-core, on the class or module path), found " + found.size());
        }
        return found.get(0);
    }
}
