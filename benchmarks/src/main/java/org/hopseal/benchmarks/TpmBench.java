package org.hopseal.benchmarks;

import java.util.concurrent.TimeUnit;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.SigningKeyHandle;
import org.hopseal.vault.pkcs11.Pkcs11SigningVault;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** P-256 signatures per second in a TPM 2.0 through tpm2-pkcs11 (run only when {@code HOPSEAL_BENCH_TPM} names a token). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TpmBench {
    private Pkcs11SigningVault vault;
    private SigningKeyHandle p256;
    private final byte[] message = new byte[64];

    @Setup(Level.Trial)
    public void setup() throws Exception {
        vault = Pkcs11SigningVault.open(HandshakeBench.ownLabel(System.getenv(HandshakeBench.TPM_ENV)));
        p256 = vault.generateSigningKey(KeyType.ECDSA_P256);
    }

    @TearDown(Level.Trial)
    public void close() {
        vault.close();
    }

    @Benchmark
    public byte[] tpmP256Sign() throws Exception {
        return vault.sign(p256, message);
    }
}
