package org.hopseal.core.node;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.HashMap;
import java.util.Map;
import org.hopseal.api.worker.Worker;

/**
 * Reads a worker's message type from its class's generic declarations: {@code Worker<M>} implemented directly, by
 * a superclass, or through interfaces, with type variables bound on the way ({@code class W extends Base<String>}).
 */
final class WorkerTypes {
    private WorkerTypes() {
    }

    @SuppressWarnings("unchecked")
    static <M> Class<M> messageType(Worker<M> worker) {
        Class<?> found = find(worker.getClass(), Map.of());
        if (found == null) {
            throw new IllegalArgumentException("cannot read the message type of " + worker.getClass().getName()
                    + " (a lambda?); start it with startWorker(address, MessageType.class, worker)");
        }
        return (Class<M>) found;
    }

    /** The class {@code Worker}'s type argument has in {@code type}, with {@code bound} giving its type variables. */
    private static Class<?> find(Type type, Map<TypeVariable<?>, Type> bound) {
        Class<?> raw;
        Map<TypeVariable<?>, Type> vars = bound;
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
            raw = c;
            vars = new HashMap<>(bound);
            TypeVariable<?>[] params = c.getTypeParameters();
            Type[] args = p.getActualTypeArguments();
            for (int i = 0; i < params.length; i++) {
                vars.put(params[i], resolve(args[i], bound));
            }
            if (raw == Worker.class) {
                return rawClass(vars.get(params[0]));
            }
        } else if (type instanceof Class<?> c) {
            raw = c;
        } else {
            return null;
        }
        for (Type i : raw.getGenericInterfaces()) {
            Class<?> found = find(i, vars);
            if (found != null) {
                return found;
            }
        }
        Type superclass = raw.getGenericSuperclass();
        return superclass == null || superclass == Object.class ? null : find(superclass, vars);
    }

    private static Type resolve(Type t, Map<TypeVariable<?>, Type> bound) {
        return t instanceof TypeVariable<?> v && bound.containsKey(v) ? bound.get(v) : t;
    }

    private static Class<?> rawClass(Type t) {
        if (t instanceof Class<?> c) {
            return c;
        }
        if (t instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
            return c;
        }
        return null;
    }
}
