package org.hopseal.api.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.Routed;
import org.hopseal.api.routing.TransportMessage;
import org.junit.jupiter.api.Test;

/** What the convenience methods of {@link Context} pass on to the methods a runtime implements. */
class ContextDefaultsTest {
    /** A call a runtime received: the method's name and its arguments. */
    record Call(String method, List<Object> args) {
    }

    private final List<Call> calls = new ArrayList<>();
    private final Context ctx = (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
            new Recorder());

    private final class Recorder implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            calls.add(new Call(method.getName(), args == null ? List.of() : Arrays.asList(args)));
            if (method.getName().equals("receiveRouted")) {
                LocalMessage m = new LocalMessage(TransportMessage.wrap(Route.of("app"), Route.of("svc"), new byte[0]));
                return new Routed<>("reply", m);
            }
            return null;
        }
    }

    @Test
    void sendingToATextAddressSendsAlongARouteOfThatOneAddress() throws Exception {
        ctx.send("1#10.0.0.1:4000", "hello");

        assertThat(calls).containsExactly(new Call("send", List.of(Route.of(Address.tcp("10.0.0.1:4000")), "hello")));
    }

    @Test
    void receiveReturnsTheBodyOfWhatReceiveRoutedReturnsWithTheGivenOrDefaultTimeout() throws Exception {
        assertThat(ctx.receive(String.class, Duration.ofMillis(5))).isEqualTo("reply");
        assertThat(ctx.receive(String.class)).isEqualTo("reply");

        assertThat(calls).containsExactly(new Call("receiveRouted", List.of(String.class, Duration.ofMillis(5))),
                new Call("receiveRouted", List.of(String.class, Context.DEFAULT_RECEIVE_TIMEOUT)));
        assertThat(Context.DEFAULT_RECEIVE_TIMEOUT).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aWorkerWithAnAccessControlButNoExposureIsUnexposed() throws Exception {
        Worker<String> worker = (c, m) -> { };
        AccessControl control = m -> false;

        ctx.startWorker(Address.of("svc"), String.class, worker, control);

        assertThat(calls).containsExactly(new Call("startWorker", List.of(Address.of("svc"), String.class, worker, Exposure.none(),
                control)));
    }
}
