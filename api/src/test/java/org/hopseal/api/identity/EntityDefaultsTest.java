package org.hopseal.api.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.PublicKey;
import org.junit.jupiter.api.Test;

/**
 * What the convenience methods of {@link Entity} pass on: the route they build and the options, which are the
 * defaults with only the trust policy changed when one is given.
 */
class EntityDefaultsTest {
    private static final Address CHANNEL = Address.of("e1");
    private static final ChangeHistory HISTORY = new ChangeHistory(new Identifier("I" + "a".repeat(64)),
            List.of(new PublicKey(KeyType.ED25519, new byte[32])), new byte[] {1});
    private static final TrustPolicy NOBODY = p -> false;

    private final List<Object[]> calls = new ArrayList<>();
    private final Entity entity = (Entity) Proxy.newProxyInstance(Entity.class.getClassLoader(), new Class<?>[] {Entity.class},
            new Recorder());

    private final class Recorder implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            Object[] call = new Object[1 + (args == null ? 0 : args.length)];
            call[0] = method.getName();
            if (args != null) {
                System.arraycopy(args, 0, call, 1, args.length);
            }
            calls.add(call);
            return switch (method.getName()) {
                case "createSecureChannel" -> CHANNEL;
                case "changeHistory" -> HISTORY;
                default -> null;
            };
        }
    }

    private Object[] onlyCall() {
        assertThat(calls).hasSize(1);
        return calls.get(0);
    }

    /** Asserts that {@code options} are the defaults, but for the trust policy, which must be {@code policy}. */
    private static void assertDefaultsWith(Object options, Class<?> policyType, TrustPolicy policy) {
        SecureChannelOptions o = (SecureChannelOptions) options;
        SecureChannelOptions d = SecureChannelOptions.defaults();
        if (policy != null) {
            assertThat(o.trustPolicy()).isSameAs(policy);
        } else {
            assertThat(o.trustPolicy()).isInstanceOf(policyType);
        }
        assertThat(o.keyAgreements()).isEqualTo(d.keyAgreements());
        assertThat(o.handshakeTimeout()).isEqualTo(d.handshakeTimeout());
        assertThat(o.idleTimeout()).isEqualTo(d.idleTimeout());
        assertThat(o.maxIdentityChanges()).isEqualTo(d.maxIdentityChanges());
    }

    @Test
    void aListenerWithoutOptionsTrustsEveryAuthenticatedPeer() throws Exception {
        entity.createSecureChannelListener("listener");

        Object[] call = onlyCall();
        assertThat(Arrays.asList(call).subList(0, 2)).containsExactly("createSecureChannelListener", "listener");
        assertDefaultsWith(call[2], TrustEveryonePolicy.class, null);
    }

    @Test
    void aListenerWithATrustPolicyUsesItWithTheOtherDefaults() throws Exception {
        entity.createSecureChannelListener("listener", NOBODY);

        Object[] call = onlyCall();
        assertThat(call[1]).isEqualTo("listener");
        assertDefaultsWith(call[2], null, NOBODY);
    }

    @Test
    void aChannelToATextAddressAnAddressOrARouteGoesAlongThatRouteWithTheDefaults() throws Exception {
        assertThat(entity.createSecureChannel("1#10.0.0.1:4000")).isEqualTo(CHANNEL);
        assertThat(entity.createSecureChannel(Address.of("bob"))).isEqualTo(CHANNEL);
        assertThat(entity.createSecureChannel(Route.of("relay", "bob"))).isEqualTo(CHANNEL);

        assertThat(calls).hasSize(3);
        assertThat(calls.get(0)[1]).isEqualTo(Route.of(Address.tcp("10.0.0.1:4000")));
        assertThat(calls.get(1)[1]).isEqualTo(Route.of("bob"));
        assertThat(calls.get(2)[1]).isEqualTo(Route.of("relay", "bob"));
        for (Object[] call : calls) {
            assertDefaultsWith(call[2], TrustEveryonePolicy.class, null);
        }
    }

    @Test
    void aChannelWithATrustPolicyUsesItWithTheOtherDefaults() throws Exception {
        assertThat(entity.createSecureChannel("bob", NOBODY)).isEqualTo(CHANNEL);
        assertThat(entity.createSecureChannel(Route.of("relay", "bob"), NOBODY)).isEqualTo(CHANNEL);

        assertThat(calls.get(0)[1]).isEqualTo(Route.of("bob"));
        assertThat(calls.get(1)[1]).isEqualTo(Route.of("relay", "bob"));
        assertDefaultsWith(calls.get(0)[2], null, NOBODY);
        assertDefaultsWith(calls.get(1)[2], null, NOBODY);
    }

    @Test
    void theExportedContactIsTheChangeHistory() {
        assertThat(entity.exportContact()).isSameAs(HISTORY);
    }
}
