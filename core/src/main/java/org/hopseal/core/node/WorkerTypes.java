package org.hopseal.core.node;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import org.hopseal.api.worker.Worker;

/** Reads a worker's message type from its class's generic declaration. */
final class WorkerTypes {
    private WorkerTypes() {
    }

    @SuppressWarnings("unchecked")
    static <M> Class<M> messageType(Worker<M> worker) {
        for (Class<?> c = worker.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            Class<?> found = fromTypes(c.getGenericInterfaces());
            if (found == null) {
                found = fromTypes(new Type[] {c.getGenericSuperclass()});
            }
            if (found != null) {
                return (Class<M>) found;
            }
        }
        throw new IllegalArgumentException("cannot read the message type of " + worker.getClass().getName()
                + " (a lambda?); start it with startWorker(address, MessageType.class, worker)");
    }

    private static Class<?> fromTypes(Type[] types) {
        for (Type t : types) {
            if (t instanceof ParameterizedType p) {
                if (p.getRawType() == Worker.class) {
                    Type arg = p.getActualTypeArguments()[0];
                    if (arg instanceof Class<?> c) {
                        return c;
                    }
                    if (arg instanceof ParameterizedType pa && pa.getRawType() instanceof Class<?> c) {
                        return c;
                    }
                    return null;
                }
                if (p.getRawType() instanceof Class<?> raw) {
                    Class<?> inner = fromTypes(raw.getGenericInterfaces());
                    if (inner != null) {
                        return inner;
                    }
                }
            } else if (t instanceof Class<?> c && c != Object.class) {
                Class<?> inner = fromTypes(c.getGenericInterfaces());
                if (inner != null) {
                    return inner;
                }
            }
        }
        return null;
    }
}
