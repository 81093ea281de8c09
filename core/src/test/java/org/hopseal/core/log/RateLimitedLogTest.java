package org.hopseal.core.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class RateLimitedLogTest {
    /** One call on the stub logger: the method's name and its arguments, varargs flattened. */
    record Call(String method, List<Object> args) {
    }

    /** An SLF4J logger that records every call made on it. */
    private static Logger recorder(List<Call> calls) {
        return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getName":
                            return "test";
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "equals":
                            return proxy == args[0];
                        case "toString":
                            return "recorder";
                        default:
                            break;
                    }
                    if (method.getReturnType() == boolean.class) {
                        return true;
                    }
                    List<Object> flat = new ArrayList<>();
                    for (Object a : args == null ? new Object[0] : args) {
                        if (a instanceof Object[] array) {
                            flat.addAll(Arrays.asList(array));
                        } else {
                            flat.add(a);
                        }
                    }
                    calls.add(new Call(method.getName(), flat));
                    return null;
                });
    }

    private static void sleepPast(long sinceNanos, Duration interval) throws InterruptedException {
        long until = sinceNanos + interval.toNanos() + Duration.ofMillis(20).toNanos();
        while (System.nanoTime() - until < 0) {
            Thread.sleep(Math.max(1, (until - System.nanoTime()) / 1_000_000 + 1));
        }
    }

    @Test
    void theFirstWarningIsLoggedAsGiven() {
        List<Call> calls = new CopyOnWriteArrayList<>();
        RateLimitedLog log = RateLimitedLog.warnings(recorder(calls));
        assertThat(log.warn("bad frame from {}: {}", "peer", "reason")).isTrue();
        assertThat(calls).containsExactly(new Call("warn", List.of("bad frame from {}: {}", "peer", "reason")));
    }

    @Test
    void theDefaultIntervalIsTenSecondsAndSuppressesTheNextWarnings() {
        assertThat(RateLimitedLog.DEFAULT_INTERVAL).isEqualTo(Duration.ofSeconds(10));
        List<Call> calls = new CopyOnWriteArrayList<>();
        RateLimitedLog log = RateLimitedLog.warnings(recorder(calls));
        assertThat(log.warn("one")).isTrue();
        assertThat(log.warn("two")).isFalse();
        assertThat(log.warn("three {}", 3)).isFalse();
        assertThat(calls).hasSize(1);
    }

    @Test
    void afterTheIntervalTheNextWarningIsLoggedWithTheSuppressedCount() throws Exception {
        Duration interval = Duration.ofMillis(300);
        List<Call> calls = new CopyOnWriteArrayList<>();
        RateLimitedLog log = RateLimitedLog.warnings(recorder(calls), interval);
        long first = System.nanoTime();
        assertThat(log.warn("bad input from {}", "a")).isTrue();
        assertThat(log.warn("bad input from {}", "b")).isFalse();
        assertThat(log.warn("bad input from {}", "c")).isFalse();
        assertThat(log.warn("bad input from {}", "d")).isFalse();
        assertThat(calls).hasSize(1);

        sleepPast(first, interval);
        long second = System.nanoTime();
        assertThat(log.warn("bad input from {}", "e")).isTrue();
        assertThat(calls).hasSize(2);
        assertThat(calls.get(1)).isEqualTo(new Call("warn",
                List.of("bad input from {} ({} more like this not logged)", "e", 3)));

        // The count starts again from zero: nothing suppressed since, so the next line has no note.
        sleepPast(second, interval);
        assertThat(log.warn("quiet {}", "f")).isTrue();
        assertThat(calls.get(2)).isEqualTo(new Call("warn", List.of("quiet {}", "f")));
    }

    @Test
    void theIntervalStartsAtTheLoggedLineNotAtTheSuppressedOnes() throws Exception {
        Duration interval = Duration.ofMillis(300);
        List<Call> calls = new CopyOnWriteArrayList<>();
        RateLimitedLog log = RateLimitedLog.warnings(recorder(calls), interval);
        long first = System.nanoTime();
        assertThat(log.warn("x")).isTrue();
        sleepPast(first, interval);
        long second = System.nanoTime();
        assertThat(log.warn("x")).isTrue();
        // Immediately after a logged line, suppressed again.
        if (System.nanoTime() - second < interval.toNanos() / 2) {
            assertThat(log.warn("x")).isFalse();
        }
        assertThat(calls.get(1)).isEqualTo(new Call("warn", List.of("x")));
    }

    @Test
    void manyThreadsAtOnceLogOneLine() throws Exception {
        List<Call> calls = new CopyOnWriteArrayList<>();
        RateLimitedLog log = RateLimitedLog.warnings(recorder(calls));
        int n = 16;
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger logged = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                if (log.warn("flood")) {
                    logged.incrementAndGet();
                }
            }));
        }
        go.countDown();
        for (Thread t : threads) {
            t.join(5_000);
        }
        assertThat(logged).hasValue(1);
        assertThat(calls).hasSize(1);
    }
}
