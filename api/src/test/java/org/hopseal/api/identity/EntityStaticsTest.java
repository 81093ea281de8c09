package org.hopseal.api.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.IdentityException;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.SecureChannelVault;
import org.hopseal.api.vault.SigningVault;
import org.hopseal.api.vault.Verifier;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.worker.Context;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the static methods of {@link Entity} ask of the runtime's {@link EntityFactory}: a recording factory is found
 * through a service file visible to this test's thread only (nothing is added to the module's test resources).
 */
class EntityStaticsTest {
    private static final Identifier ALICE = new Identifier("I" + "a".repeat(64));
    /** The calls the recording factory received, each as the method name and its arguments. */
    static final List<List<Object>> CALLS = Collections.synchronizedList(new ArrayList<>());
    /** How the recording factory answers a call. */
    static volatile Answer answer = call -> null;

    /** An answer of the recording factory, which may fail as a factory does. */
    interface Answer {
        Object apply(List<Object> call) throws HopsealException;
    }

    private final Context ctx = (Context) stub(Context.class);
    private final Vaults vaults = new Vaults((SigningVault) stub(SigningVault.class),
            (SecureChannelVault) stub(SecureChannelVault.class),
            (Verifier) stub(Verifier.class));
    private final Entity entity = (Entity) stub(Entity.class);

    private static Object stub(Class<?> type) {
        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, a) -> switch (m.getName()) {
            case "equals" -> p == a[0];
            case "hashCode" -> System.identityHashCode(p);
            case "toString" -> type.getSimpleName();
            default -> null;
        });
    }

    /** A factory that records every call and answers as {@link #answer} says. */
    static EntityFactory recordingFactory() {
        return (EntityFactory) Proxy.newProxyInstance(EntityFactory.class.getClassLoader(), new Class<?>[] {EntityFactory.class},
                (p, m, a) -> {
                    List<Object> call = new ArrayList<>();
                    call.add(m.getName());
                    if (a != null) {
                        call.addAll(Arrays.asList(a));
                    }
                    CALLS.add(call);
                    return answer.apply(call);
                });
    }

    private URL servicesRoot;

    @BeforeEach
    void writeTheServiceFile(@TempDir Path dir) throws IOException {
        CALLS.clear();
        answer = call -> entity;
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        Files.writeString(services.resolve(EntityFactory.class.getName()), FactoryShim.class.getName() + "\n", StandardCharsets.UTF_8);
        servicesRoot = dir.toUri().toURL();
    }

    /** A body of a test that calls the runtime. */
    interface Body {
        void run() throws Exception;
    }

    /**
     * Runs {@code body} with a context class loader that also finds the service file, on the calling thread only (a
     * test may run on a thread of its own, see junit-platform.properties).
     */
    private void withRecordingFactory(Body body) throws Exception {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        URL root = servicesRoot;
        Thread.currentThread().setContextClassLoader(new ClassLoader(previous) {
            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                if (name.equals("META-INF/services/" + EntityFactory.class.getName())) {
                    return Collections.enumeration(List.of(new URL(root, name)));
                }
                return super.getResources(name);
            }
        });
        try {
            body.run();
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    @Test
    void createWithoutVaultsLeavesTheVaultToTheNode() throws Exception {
        withRecordingFactory(() -> {
            assertThat(Entity.create(ctx)).isSameAs(entity);
            assertThat(Entity.create(ctx, vaults)).isSameAs(entity);

            assertThat(CALLS).containsExactly(Arrays.asList("create", ctx, null), List.of("create", ctx, vaults));
        });
    }

    @Test
    void createWithANameChecksItAndLetsTheFactoryPickTheKeyTypeUnlessGiven() throws Exception {
        withRecordingFactory(() -> {
            assertThat(Entity.create(ctx, vaults, "alice")).isSameAs(entity);
            assertThat(Entity.create(ctx, vaults, "bob", KeyType.ECDSA_P256)).isSameAs(entity);

            assertThat(CALLS).containsExactly(Arrays.asList("create", ctx, vaults, "alice", null),
                    List.of("create", ctx, vaults, "bob", KeyType.ECDSA_P256));
            assertThatThrownBy(() -> Entity.create(ctx, vaults, "bob", null)).isInstanceOf(NullPointerException.class);
        });
    }

    @Test
    void loadFromTheNodesVaultOrFromGivenVaults() throws Exception {
        withRecordingFactory(() -> {
            assertThat(Entity.load(ctx, "alice")).isSameAs(entity);
            assertThat(Entity.load(ctx, vaults, ALICE.value())).isSameAs(entity);

            assertThat(CALLS).containsExactly(Arrays.asList("load", ctx, null, "alice"), List.of("load", ctx, vaults, ALICE.value()));
            assertThatThrownBy(() -> Entity.load(ctx, null, "alice")).isInstanceOf(NullPointerException.class);
        });
    }

    @Test
    void createOrLoadLoadsWhatExists() throws Exception {
        withRecordingFactory(() -> {
            assertThat(Entity.createOrLoad(ctx, "alice")).isSameAs(entity);
            assertThat(Entity.createOrLoad(ctx, vaults, "alice")).isSameAs(entity);

            assertThat(CALLS).containsExactly(Arrays.asList("load", ctx, null, "alice"), List.of("load", ctx, vaults, "alice"));
        });
    }

    @Test
    void createOrLoadCreatesOnlyWhenNothingIsFound() throws Exception {
        withRecordingFactory(() -> {
            answer = call -> {
                if (call.get(0).equals("load")) {
                    throw new IdentityException(ErrorKind.NOT_FOUND, "no identity named 'alice'");
                }
                return entity;
            };

            assertThat(Entity.createOrLoad(ctx, vaults, "alice")).isSameAs(entity);

            assertThat(CALLS).containsExactly(List.of("load", ctx, vaults, "alice"), Arrays.asList("create", ctx, vaults, "alice", null));
        });
    }

    @Test
    void createOrLoadDoesNotCreateOverAnIdentityItCannotRead() {
        answer = call -> {
            throw new IdentityException(ErrorKind.INVALID, "the stored record is corrupt");
        };

        assertThatThrownBy(() -> Entity.createOrLoad(ctx, vaults, "alice")).isInstanceOf(IdentityException.class)
                .hasMessageContaining("corrupt");
        assertThat(CALLS).hasSize(1);
    }

    @Test
    void listAndDeleteAskTheFactory() throws Exception {
        withRecordingFactory(() -> {
            StoredEntity stored = new StoredEntity("alice", ALICE);
            answer = call -> call.get(0).equals("list") ? List.of(stored) : stored;

            assertThat(Entity.list(vaults)).containsExactly(stored);
            assertThat(Entity.delete(vaults, "alice")).isEqualTo(stored);

            assertThat(CALLS).containsExactly(List.of("list", vaults), List.of("delete", vaults, "alice"));
        });
    }

    /** The provider class named in the service file: ServiceLoader on the class path needs a class it can instantiate. */
    public static final class FactoryShim implements EntityFactory {
        private final EntityFactory recording = recordingFactory();

        public FactoryShim() {
        }

        @Override
        public Entity create(Context ctx, Vaults vaults) throws HopsealException {
            return recording.create(ctx, vaults);
        }

        @Override
        public Entity create(Context ctx, Vaults vaults, String name, KeyType keyType) throws HopsealException {
            return recording.create(ctx, vaults, name, keyType);
        }

        @Override
        public Entity load(Context ctx, Vaults vaults, String nameOrIdentifier) throws HopsealException {
            return recording.load(ctx, vaults, nameOrIdentifier);
        }

        @Override
        public List<StoredEntity> list(Vaults vaults) throws HopsealException {
            return recording.list(vaults);
        }

        @Override
        public StoredEntity delete(Vaults vaults, String nameOrIdentifier) throws HopsealException {
            return recording.delete(vaults, nameOrIdentifier);
        }
    }
}
