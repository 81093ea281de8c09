package org.hopseal.vault.software;

import java.security.GeneralSecurityException;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A few JCA engine objects of one kind ({@code Mac}, {@code MessageDigest}, {@code Cipher}) kept for reuse, so that
 * an operation does not pay {@code getInstance} and the provider look-up of the engine's first {@code init} each
 * time. A thread {@linkplain #take takes} an engine, uses it alone, and {@linkplain #give gives} it back when it
 * holds no key material any more; an engine given back when every slot is full is left to the garbage collector.
 * Slots, not thread-locals: a node runs a virtual thread per worker, and an engine per virtual thread would cost
 * memory per channel.
 *
 * <p>Thread safety: thread safe; an engine belongs to the thread that took it until it is given back.
 *
 * @param <T> the engine type
 */
final class EnginePool<T> {
    /** Makes a new engine when no slot holds one. */
    @FunctionalInterface
    interface Factory<T> {
        T create() throws GeneralSecurityException;
    }

    private final AtomicReferenceArray<T> slots;
    private final Factory<T> factory;

    EnginePool(int size, Factory<T> factory) {
        this.slots = new AtomicReferenceArray<>(size);
        this.factory = factory;
    }

    /** A pool with two slots per processor: enough for every thread that can run at once. */
    static <T> EnginePool<T> perProcessor(Factory<T> factory) {
        return new EnginePool<>(2 * Runtime.getRuntime().availableProcessors(), factory);
    }

    /** An engine for the calling thread alone: a kept one if any, else a new one. */
    T take() throws GeneralSecurityException {
        int start = start();
        for (int i = 0; i < slots.length(); i++) {
            T engine = slots.getAndSet((start + i) % slots.length(), null);
            if (engine != null) {
                return engine;
            }
        }
        return factory.create();
    }

    /** Keeps {@code engine}, which the caller no longer uses and which holds no key material, if a slot is free. */
    void give(T engine) {
        int start = start();
        for (int i = 0; i < slots.length(); i++) {
            if (slots.compareAndSet((start + i) % slots.length(), null, engine)) {
                return;
            }
        }
    }

    /** The number of engines kept. */
    int kept() {
        int n = 0;
        for (int i = 0; i < slots.length(); i++) {
            if (slots.get(i) != null) {
                n++;
            }
        }
        return n;
    }

    /** Where a thread starts looking, so that threads running at once mostly touch different slots. */
    private int start() {
        return (int) (Thread.currentThread().threadId() % slots.length());
    }
}
