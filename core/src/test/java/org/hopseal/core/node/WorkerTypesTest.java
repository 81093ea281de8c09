package org.hopseal.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.hopseal.api.routing.Routed;
import org.hopseal.api.worker.Context;
import org.hopseal.api.worker.Worker;
import org.junit.jupiter.api.Test;

/** A worker's message type is read from however its class declares {@code Worker<M>}. */
class WorkerTypesTest {
    static class Direct implements Worker<String> {
        @Override
        public void handleMessage(Context ctx, Routed<String> msg) {
        }
    }

    static class Inherited extends Direct {
    }

    abstract static class Base<M> implements Worker<M> {
        @Override
        public void handleMessage(Context ctx, Routed<M> msg) {
        }
    }

    static class FromGenericBase extends Base<Integer> {
    }

    interface TextWorker extends Worker<CharSequence> {
    }

    static class ThroughInterface implements TextWorker {
        @Override
        public void handleMessage(Context ctx, Routed<CharSequence> msg) {
        }
    }

    interface Typed<M> extends Worker<M> {
    }

    static class ThroughGenericInterface implements Typed<Long> {
        @Override
        public void handleMessage(Context ctx, Routed<Long> msg) {
        }
    }

    static class Parameterized implements Worker<List<String>> {
        @Override
        public void handleMessage(Context ctx, Routed<List<String>> msg) {
        }
    }

    static class Unresolved<M> implements Worker<M> {
        @Override
        public void handleMessage(Context ctx, Routed<M> msg) {
        }
    }

    @Test
    void theTypeIsFoundOnTheClassItsSuperclassesAndItsInterfaces() {
        assertThat(WorkerTypes.messageType(new Direct())).isEqualTo(String.class);
        assertThat(WorkerTypes.messageType(new Inherited())).isEqualTo(String.class);
        assertThat(WorkerTypes.messageType(new FromGenericBase())).isEqualTo(Integer.class);
        assertThat(WorkerTypes.messageType(new ThroughInterface())).isEqualTo(CharSequence.class);
        assertThat(WorkerTypes.messageType(new ThroughGenericInterface())).isEqualTo(Long.class);
        assertThat(WorkerTypes.messageType(new Parameterized())).isEqualTo(List.class);
    }

    @Test
    void aTypeThatIsNotDeclaredIsAClearError() {
        Worker<String> lambda = (ctx, msg) -> { };
        assertThatThrownBy(() -> WorkerTypes.messageType(lambda)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("startWorker(address, MessageType.class, worker)");
        assertThatThrownBy(() -> WorkerTypes.messageType(new Unresolved<String>())).isInstanceOf(IllegalArgumentException.class);
    }
}
