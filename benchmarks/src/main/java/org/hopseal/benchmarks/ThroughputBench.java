package org.hopseal.benchmarks;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Route;
import org.hopseal.api.worker.AccessControl;
import org.hopseal.api.worker.Context;
import org.hopseal.core.node.Node;
import org.hopseal.vault.software.SoftwareVault;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Messages per second through one authenticated channel inside one node (encrypt, route, decrypt, deliver), beside
 * TLS 1.3 {@code SSLEngine} wrap+unwrap and AES-256-GCM encrypt+decrypt alone (the bound), at several sizes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ThroughputBench {
    static final int BATCH = 64;

    @Param({"64", "1024", "16384", "65536"})
    public int size;

    private Node node;
    private Context ctx;
    private Route route;
    private final Semaphore received = new Semaphore(0);
    private byte[] data;
    private EnginePair tls;
    private Cipher aes;
    private SecretKeySpec key;
    private long nonce;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        data = new byte[size];
        new SecureRandom().nextBytes(data);
        node = Node.start();
        ctx = node.context();
        ctx.startWorker(Address.of("sink"), LocalMessage.class, (c, m) -> received.release(), AccessControl.allowAll());
        Entity alice = Entity.create(ctx, SoftwareVault.vaults());
        Entity bob = Entity.create(ctx, SoftwareVault.vaults());
        bob.createSecureChannelListener("bob");
        route = Route.of(alice.createSecureChannel("bob"), Address.of("sink"));
        tls = EnginePair.connected(new TlsPeers(TlsPeers.Curve.P256));
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        key = new SecretKeySpec(k, "AES");
        aes = Cipher.getInstance("AES/GCM/NoPadding");
    }

    @TearDown(Level.Trial)
    public void close() {
        node.stop();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void hopsealChannel() throws Exception {
        for (int i = 0; i < BATCH; i++) {
            ctx.send(route, data);
        }
        received.acquire(BATCH);
    }

    @Benchmark
    public int tls13Engine() throws Exception {
        return tls.transfer(ByteBuffer.wrap(data));
    }

    @Benchmark
    public byte[] aesGcmBound() throws Exception {
        byte[] iv = ByteBuffer.allocate(12).putLong(4, ++nonce).array();
        aes.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
        byte[] ct = aes.doFinal(data);
        aes.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, iv));
        return aes.doFinal(ct);
    }
}
