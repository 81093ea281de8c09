package org.hopseal.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Flushes are deferred only while the calling worker has more messages queued, and each target once per batch. */
class FlushBatchTest {
    private final List<String> flushed = new ArrayList<>();
    private final FlushBatch.Target a = () -> flushed.add("a");
    private final FlushBatch.Target b = () -> flushed.add("b");

    @Test
    void aThreadWithoutABatchFlushesAtOnce() throws Exception {
        boolean deferred = CompletableFuture.supplyAsync(() -> FlushBatch.flushNowOrAfterBatch(a)).get();
        assertThat(deferred).isFalse();
        assertThat(flushed).containsExactly("a");
    }

    @Test
    void aBatchWithNothingQueuedBehindTheMessageFlushesAtOnce() {
        FlushBatch batch = FlushBatch.bindToCurrentThread();
        batch.beforeMessage(false);
        assertThat(FlushBatch.flushNowOrAfterBatch(a)).isFalse();
        assertThat(flushed).containsExactly("a");
        batch.afterMessage(false);
        assertThat(flushed).as("nothing was deferred").containsExactly("a");
    }

    @Test
    void whileMoreIsQueuedFlushesWaitAndEachTargetFlushesOnceWhenTheQueueRunsDry() {
        FlushBatch batch = FlushBatch.bindToCurrentThread();
        batch.beforeMessage(true);
        assertThat(FlushBatch.flushNowOrAfterBatch(a)).isTrue();
        assertThat(FlushBatch.flushNowOrAfterBatch(b)).isTrue();
        assertThat(FlushBatch.flushNowOrAfterBatch(a)).isTrue();
        batch.afterMessage(true);
        assertThat(flushed).as("still more queued").isEmpty();

        batch.beforeMessage(false);
        batch.afterMessage(false);
        assertThat(flushed).containsExactly("a", "b");

        batch.afterMessage(false);
        assertThat(flushed).as("a batch flushes what it deferred once").containsExactly("a", "b");
    }

    @Test
    void flushPendingFlushesEverythingAndEndsTheDeferral() {
        FlushBatch batch = FlushBatch.bindToCurrentThread();
        batch.beforeMessage(true);
        FlushBatch.flushNowOrAfterBatch(b);
        batch.flushPending();
        assertThat(flushed).containsExactly("b");
        assertThat(FlushBatch.flushNowOrAfterBatch(a)).as("after flushPending, flushes are immediate").isFalse();
        assertThat(flushed).containsExactly("b", "a");
    }
}
