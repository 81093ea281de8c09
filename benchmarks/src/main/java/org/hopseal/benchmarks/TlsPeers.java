package org.hopseal.benchmarks;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The peer Hopseal is measured against: JDK TLS 1.3 with mutual authentication, both sides holding a self-signed
 * certificate (Ed25519 or ECDSA P-256) that the other trusts.
 */
final class TlsPeers {
    enum Curve { ED25519, P256 }

    final SSLContext server;
    final SSLContext client;

    TlsPeers(Curve curve) throws Exception {
        this(keyStore(curve, "server"), keyStore(curve, "client"));
    }

    private final KeyStore serverKeys;
    private final KeyStore clientKeys;

    private TlsPeers(KeyStore serverKeys, KeyStore clientKeys) throws Exception {
        this.serverKeys = serverKeys;
        this.clientKeys = clientKeys;
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", serverKeys.getCertificate("key"));
        trust.setCertificateEntry("client", clientKeys.getCertificate("key"));
        server = context(serverKeys, trust);
        client = context(clientKeys, trust);
    }

    /** Writes both identities, so that a peer in another process can load the same ones. */
    void save(java.nio.file.Path dir) throws Exception {
        try (var out = java.nio.file.Files.newOutputStream(dir.resolve("server.p12"))) {
            serverKeys.store(out, "pw".toCharArray());
        }
        try (var out = java.nio.file.Files.newOutputStream(dir.resolve("client.p12"))) {
            clientKeys.store(out, "pw".toCharArray());
        }
    }

    static TlsPeers load(java.nio.file.Path dir) throws Exception {
        return new TlsPeers(read(dir.resolve("server.p12")), read(dir.resolve("client.p12")));
    }

    private static KeyStore read(java.nio.file.Path file) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = java.nio.file.Files.newInputStream(file)) {
            ks.load(in, "pw".toCharArray());
        }
        return ks;
    }

    private static SSLContext context(KeyStore keys, KeyStore trust) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(keys, "pw".toCharArray());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLSv1.3");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
        return ctx;
    }

    private static KeyStore keyStore(Curve curve, String name) throws Exception {
        KeyPair kp;
        String sigAlg;
        if (curve == Curve.ED25519) {
            kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            sigAlg = "Ed25519";
        } else {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            kp = g.generateKeyPair();
            sigAlg = "SHA256withECDSA";
        }
        X500Name dn = new X500Name("CN=" + name);
        long now = System.currentTimeMillis();
        var builder = new JcaX509v3CertificateBuilder(dn, BigInteger.valueOf(now), new Date(now - 60_000), new Date(now + 86_400_000L), dn, kp.getPublic());
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder(sigAlg).build(kp.getPrivate())));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("key", kp.getPrivate(), "pw".toCharArray(), new X509Certificate[] {cert});
        return ks;
    }

    /** A connected pair of in-memory engines that finished a full mutual-auth handshake. */
    Pair handshake() throws SSLException {
        SSLEngine c = client.createSSLEngine("server", 443);
        c.setUseClientMode(true);
        SSLEngine s = server.createSSLEngine();
        s.setUseClientMode(false);
        s.setNeedClientAuth(true);
        Pair p = new Pair(c, s);
        p.completeHandshake();
        return p;
    }

    /** Two engines joined by in-memory buffers. */
    static final class Pair {
        final SSLEngine client;
        final SSLEngine server;
        private final ByteBuffer c2s;
        private final ByteBuffer s2c;
        private final ByteBuffer clientApp;
        private final ByteBuffer serverApp;
        private final ByteBuffer empty = ByteBuffer.allocate(0);

        Pair(SSLEngine client, SSLEngine server) {
            this.client = client;
            this.server = server;
            int net = Math.max(client.getSession().getPacketBufferSize(), 1 << 17) * 2;
            int app = Math.max(client.getSession().getApplicationBufferSize(), 1 << 17) * 2;
            c2s = ByteBuffer.allocate(net);
            s2c = ByteBuffer.allocate(net);
            clientApp = ByteBuffer.allocate(app);
            serverApp = ByteBuffer.allocate(app);
        }

        void completeHandshake() throws SSLException {
            client.beginHandshake();
            server.beginHandshake();
            for (int round = 0; round < 100; round++) {
                boolean cDone = step(client, c2s, s2c, clientApp);
                boolean sDone = step(server, s2c, c2s, serverApp);
                if (cDone && sDone) {
                    return;
                }
            }
            throw new SSLException("TLS handshake did not finish");
        }

        private boolean step(SSLEngine e, ByteBuffer out, ByteBuffer in, ByteBuffer app) throws SSLException {
            SSLEngineResult.HandshakeStatus hs = e.getHandshakeStatus();
            for (int i = 0; i < 20; i++) {
                switch (hs) {
                    case NEED_WRAP -> hs = e.wrap(empty, out).getHandshakeStatus();
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                        in.flip();
                        SSLEngineResult r = e.unwrap(in, app);
                        in.compact();
                        hs = r.getHandshakeStatus();
                        if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                            return false;
                        }
                    }
                    case NEED_TASK -> {
                        Runnable t;
                        while ((t = e.getDelegatedTask()) != null) {
                            t.run();
                        }
                        hs = e.getHandshakeStatus();
                    }
                    default -> {
                        return true;
                    }
                }
            }
            return hs == SSLEngineResult.HandshakeStatus.FINISHED || hs == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING;
        }

        /** Client wraps {@code data}, server unwraps it; returns the bytes received. */
        int transfer(ByteBuffer data) throws SSLException {
            c2s.clear();
            while (data.hasRemaining()) {
                client.wrap(data, c2s);
            }
            c2s.flip();
            serverApp.clear();
            while (c2s.hasRemaining()) {
                server.unwrap(c2s, serverApp);
            }
            return serverApp.position();
        }
    }
}
