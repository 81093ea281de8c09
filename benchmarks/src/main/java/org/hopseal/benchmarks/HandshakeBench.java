package org.hopseal.benchmarks;

import java.util.concurrent.TimeUnit;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.identity.KeyAgreement;
import org.hopseal.api.identity.PostQuantum;
import org.hopseal.api.identity.SecureChannelOptions;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Persistence;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.worker.Context;
import org.hopseal.core.channel.SecureChannels;
import org.hopseal.core.channel.noise.HandshakeState;
import org.hopseal.core.channel.noise.NoiseProtocol;
import org.hopseal.core.node.Node;
import org.hopseal.vault.pkcs11.Pkcs11SigningVault;
import org.hopseal.vault.software.SoftwareVault;
import org.hopseal.vault.software.SoftwareVerifier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Handshakes per second, both ends in one JVM: the plain Noise XX engine, authenticated channels (Noise XX and X3DH,
 * opened and closed through a node's workers), and JDK TLS 1.3 with mutual authentication between in-memory
 * {@code SSLEngine}s: full handshakes (no resumption), contexts and buffers made once ({@link TlsPeers}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HandshakeBench {
    /** Set (to a PKCS#11 URI) by 'hopseal bench' when SoftHSM is available. */
    static final String HSM_ENV = "HOPSEAL_BENCH_PKCS11";
    /** Set (to a PKCS#11 URI of a tpm2-pkcs11 token) by 'hopseal bench' when the TPM stack is installed (scripts/swtpm). */
    static final String TPM_ENV = "HOPSEAL_BENCH_TPM";

    /**
     * {@code uri} with its {@code object=} label made unique: a label names one identity's key, and every JMH fork
     * creates its own.
     */
    static String ownLabel(String uri) {
        return uri.replaceFirst("object=([^;?]*)", "object=$1-" + Long.toHexString(System.nanoTime()));
    }

    private Vaults vaults;
    private NoiseProtocol xx;
    private NoiseProtocol xxhfs;
    private AgreementKeyHandle si;
    private AgreementKeyHandle sr;
    private Node node;
    private Context ctx;
    private Entity alice;
    private Entity hsmAlice;
    private Vaults hsmVaults;
    private Entity tpmAlice;
    private Vaults tpmVaults;
    private Entity p256Alice;
    private TlsPeers tlsEd25519;
    private TlsPeers tlsP256;
    private EnginePair tlsEd25519Link;
    private EnginePair tlsP256Link;
    private long tlsEd25519Handshakes;
    private long tlsP256Handshakes;
    private final SecureChannelOptions x3dh = SecureChannelOptions.defaults().withKeyAgreements(KeyAgreement.X3DH);
    /** The classical rows stay classical: the default would make them hybrid where both ends can. */
    private final SecureChannelOptions classical = SecureChannelOptions.defaults().withPostQuantum(PostQuantum.OFF);
    private final SecureChannelOptions hybrid = SecureChannelOptions.defaults().withPostQuantum(PostQuantum.REQUIRED);

    @Setup(Level.Trial)
    public void setup() throws Exception {
        vaults = SoftwareVault.vaults();
        xx = NoiseProtocol.parse(NoiseProtocol.XX_25519_AESGCM_SHA256);
        xxhfs = NoiseProtocol.parse(NoiseProtocol.XXHFS_25519_MLKEM768_AESGCM_SHA256);
        si = vaults.channel().generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL);
        sr = vaults.channel().generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL);
        node = Node.start();
        ctx = node.context();
        alice = Entity.create(ctx, SoftwareVault.vaults());
        p256Alice = Entity.create(ctx, SoftwareVault.vaults(), "p256", KeyType.ECDSA_P256);
        Entity bob = Entity.create(ctx, SoftwareVault.vaults());
        bob.createSecureChannelListener("bob", SecureChannelOptions.defaults().withKeyAgreements(KeyAgreement.NOISE_XX, KeyAgreement.X3DH));
        String hsm = System.getenv(HSM_ENV);
        if (hsm != null) {
            hsmVaults = new Vaults(Pkcs11SigningVault.open(ownLabel(hsm)), new SoftwareVault(), new SoftwareVerifier());
            hsmAlice = Entity.create(ctx, hsmVaults);
        }
        String tpm = System.getenv(TPM_ENV);
        if (tpm != null) {
            // The TPM offers no EdDSA: the identity is P-256, as it is for every TPM user.
            tpmVaults = new Vaults(Pkcs11SigningVault.open(ownLabel(tpm)), new SoftwareVault(), new SoftwareVerifier());
            tpmAlice = Entity.create(ctx, tpmVaults);
        }
        tlsEd25519 = new TlsPeers(TlsPeers.Curve.ED25519);
        tlsP256 = new TlsPeers(TlsPeers.Curve.P256);
        tlsEd25519Link = new EnginePair(tlsEd25519.clientEngine().getSession());
        tlsP256Link = new EnginePair(tlsP256.clientEngine().getSession());
    }

    @TearDown(Level.Trial)
    public void close() {
        tlsEd25519.requireFullHandshakes(0, tlsEd25519Handshakes);
        tlsP256.requireFullHandshakes(0, tlsP256Handshakes);
        node.stop();
        vaults.close();
        if (hsmVaults != null) {
            hsmVaults.close();
        }
        if (tpmVaults != null) {
            tpmVaults.close();
        }
    }

    @Benchmark
    public byte[] noiseXxEngine() throws Exception {
        return engineHandshake(xx);
    }

    /** The same with ML-KEM-768 added ({@code Noise_XXhfs_25519+MLKEM768_AESGCM_SHA256}). */
    @Benchmark
    public byte[] noiseXxHfsEngine() throws Exception {
        return engineHandshake(xxhfs);
    }

    /** The bytes of the three Noise messages of one handshake of {@code protocolName} with empty payloads. */
    static int wireBytes(String protocolName) {
        NoiseProtocol protocol = NoiseProtocol.parse(protocolName);
        try (Vaults v = SoftwareVault.vaults()) {
            HandshakeState i = HandshakeState.initiator(protocol, v.channel(), v.verifier())
                    .localStatic(v.channel().generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL)).build();
            HandshakeState r = HandshakeState.responder(protocol, v.channel(), v.verifier())
                    .localStatic(v.channel().generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL)).build();
            byte[] m1 = i.writeMessage(new byte[0]);
            r.readMessage(m1);
            byte[] m2 = r.writeMessage(new byte[0]);
            i.readMessage(m2);
            return m1.length + m2.length + i.writeMessage(new byte[0]).length;
        } catch (HopsealException e) {
            throw new IllegalStateException("a " + protocolName + " handshake failed", e);
        }
    }

    private byte[] engineHandshake(NoiseProtocol protocol) throws Exception {
        HandshakeState i = HandshakeState.initiator(protocol, vaults.channel(), vaults.verifier()).localStatic(si).build();
        HandshakeState r = HandshakeState.responder(protocol, vaults.channel(), vaults.verifier()).localStatic(sr).build();
        r.readMessage(i.writeMessage(new byte[0]));
        i.readMessage(r.writeMessage(new byte[0]));
        r.readMessage(i.writeMessage(new byte[0]));
        HandshakeState.TransportKeys a = i.split();
        HandshakeState.TransportKeys b = r.split();
        a.sender().destroy();
        a.receiver().destroy();
        b.sender().destroy();
        b.receiver().destroy();
        return a.handshakeHash();
    }

    @Benchmark
    public Address authenticatedNoiseChannel() throws Exception {
        Address ch = alice.createSecureChannel(Route.of("bob"), classical);
        SecureChannels.close(ctx, ch);
        return ch;
    }

    /** An authenticated hybrid post-quantum channel (the listener accepts both; this end requires hybrid). */
    @Benchmark
    public Address authenticatedHybridChannel() throws Exception {
        Address ch = alice.createSecureChannel(Route.of("bob"), hybrid);
        SecureChannels.close(ctx, ch);
        return ch;
    }

    @Benchmark
    public Address authenticatedX3dhChannel() throws Exception {
        Address ch = alice.createSecureChannel(Route.of("bob"), x3dh);
        SecureChannels.close(ctx, ch);
        return ch;
    }

    @Benchmark
    public Address authenticatedNoiseChannelHsmIdentity() throws Exception {
        if (hsmAlice == null) {
            throw new IllegalStateException("set " + HSM_ENV + " to a PKCS#11 URI to measure this");
        }
        Address ch = hsmAlice.createSecureChannel(Route.of("bob"), classical);
        SecureChannels.close(ctx, ch);
        return ch;
    }

    /** The same with a P-256 identity key in software: the TPM row's like-for-like peer. */
    @Benchmark
    public Address authenticatedNoiseChannelP256Identity() throws Exception {
        Address ch = p256Alice.createSecureChannel(Route.of("bob"), classical);
        SecureChannels.close(ctx, ch);
        return ch;
    }

    /** An authenticated XX channel whose initiator's identity key (P-256) is in a TPM 2.0: one TPM signature each. */
    @Benchmark
    public Address authenticatedNoiseChannelTpmIdentity() throws Exception {
        if (tpmAlice == null) {
            throw new IllegalStateException("set " + TPM_ENV + " to a PKCS#11 URI of a TPM token to measure this");
        }
        Address ch = tpmAlice.createSecureChannel(Route.of("bob"), classical);
        SecureChannels.close(ctx, ch);
        return ch;
    }

    /** A full TLS 1.3 handshake with client authentication (never a resumption), Ed25519 certificates. */
    @Benchmark
    public Object tls13MutualEd25519() throws Exception {
        tlsEd25519Link.handshake(tlsEd25519.clientEngine(), tlsEd25519.serverEngine());
        tlsEd25519Handshakes++;
        return tlsEd25519Link;
    }

    /** A full TLS 1.3 handshake with client authentication (never a resumption), P-256 certificates. */
    @Benchmark
    public Object tls13MutualP256() throws Exception {
        tlsP256Link.handshake(tlsP256.clientEngine(), tlsP256.serverEngine());
        tlsP256Handshakes++;
        return tlsP256Link;
    }
}
