package org.hopseal.vault.software;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The pool of JCA engines: what it makes, keeps, drops and lends, alone and under many threads. */
class EnginePoolTest {
    private final AtomicInteger made = new AtomicInteger();

    private Object newEngine() {
        made.incrementAndGet();
        return new Object();
    }

    @Test
    void anEmptyPoolMakesANewEngineForEachTake() throws Exception {
        EnginePool<Object> pool = new EnginePool<>(4, this::newEngine);
        Object a = pool.take();
        Object b = pool.take();
        assertThat(a).isNotSameAs(b);
        assertThat(made).hasValue(2);
        assertThat(pool.kept()).isZero();
    }

    @Test
    void anEngineGivenBackIsLentAgainInsteadOfANewOne() throws Exception {
        EnginePool<Object> pool = new EnginePool<>(4, this::newEngine);
        Object a = pool.take();
        pool.give(a);
        assertThat(pool.kept()).isEqualTo(1);
        assertThat(pool.take()).isSameAs(a);
        assertThat(pool.kept()).isZero();
        assertThat(made).hasValue(1);
    }

    @Test
    void aFullPoolDropsWhatItCannotKeep() throws Exception {
        EnginePool<Object> pool = new EnginePool<>(2, this::newEngine);
        List<Object> given = List.of(new Object(), new Object(), new Object());
        given.forEach(pool::give);
        assertThat(pool.kept()).isEqualTo(2);
        List<Object> taken = List.of(pool.take(), pool.take(), pool.take());
        assertThat(taken.subList(0, 2)).allMatch(given::contains).doesNotHaveDuplicates();
        assertThat(given).doesNotContain(taken.get(2));
        assertThat(made).hasValue(1);
    }

    @Test
    void aPoolPerProcessorKeepsTwoEnginesPerProcessor() {
        EnginePool<Object> pool = EnginePool.perProcessor(this::newEngine);
        int size = 2 * Runtime.getRuntime().availableProcessors();
        for (int i = 0; i <= size; i++) {
            pool.give(new Object());
        }
        assertThat(pool.kept()).isEqualTo(size);
    }

    @Test
    void aFactoryFailureReachesTheTaker() {
        EnginePool<Object> pool = new EnginePool<>(2, () -> {
            throw new NoSuchAlgorithmException("no such engine");
        });
        assertThatThrownBy(pool::take).isInstanceOf(GeneralSecurityException.class).hasMessage("no such engine");
    }

    @Test
    void noEngineIsLentToTwoThreadsAtOnce() throws Exception {
        EnginePool<AtomicBoolean> pool = new EnginePool<>(4, AtomicBoolean::new);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(threads.submit(() -> {
                    int clashes = 0;
                    for (int i = 0; i < 20_000; i++) {
                        AtomicBoolean inUse = pool.take();
                        if (!inUse.compareAndSet(false, true)) {
                            clashes++;
                        }
                        Thread.onSpinWait();
                        inUse.set(false);
                        pool.give(inUse);
                    }
                    return clashes;
                }));
            }
            for (Future<Integer> r : results) {
                assertThat(r.get()).isZero();
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(pool.kept()).isBetween(1, 4);
    }
}
