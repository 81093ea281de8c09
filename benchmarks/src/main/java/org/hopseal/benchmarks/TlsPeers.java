package org.hopseal.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The peer Hopseal is measured against: JDK TLS 1.3 with mutual authentication, both sides holding a self-signed
 * certificate (ECDSA P-256, or Ed25519 where a row says so) that the other trusts, configured as a user who cares
 * about speed would:
 * <ul>
 *   <li>key managers from {@code SunX509}, the JDK default, which reads each private key from the key store once
 *       ({@code PKIX}'s builder-based key manager decrypts the PKCS#12 entry, 10,000 PBKDF2 rounds, on every
 *       handshake);</li>
 *   <li>trust managers and one {@link SSLContext} per side, built once, never per handshake;</li>
 *   <li>TLS 1.3 only, client authentication required, and one key-exchange group, {@value #KEY_SHARE_GROUP} (by
 *       default the JDK client generates a secp256r1 key share too, which the server never uses);</li>
 *   <li>no session resumption: servers send no session tickets ({@value #TICKETS_PROPERTY} = 0, set before the
 *       JDK's TLS configuration loads), without which a TLS 1.3 client cannot resume, so every handshake is a full
 *       mutual one; the client's trust manager counts the server certificates it verifies, one per full handshake,
 *       and {@link #requireFullHandshakes} checks the count;</li>
 *   <li>sockets with {@code TCP_NODELAY} and {@link SocketTuning#BUFFER_BYTES} buffers, set before connecting.</li>
 * </ul>
 */
final class TlsPeers {
    enum Curve { ED25519, P256 }

    static final String TICKETS_PROPERTY = "jdk.tls.server.newSessionTicketCount";
    static final String PROTOCOL = "TLSv1.3";
    /** The one key-exchange group offered: the JDK client otherwise makes an x25519 and a secp256r1 key share. */
    static final String KEY_SHARE_GROUP = "x25519";
    private static final char[] STORE_PASSWORD = "bench".toCharArray();
    private static final String ALIAS = "key";

    static {
        // Read once, when the JDK's TLS configuration class loads; no TLS object exists before this class.
        if (System.getProperty(TICKETS_PROPERTY) == null) {
            System.setProperty(TICKETS_PROPERTY, "0");
        }
    }

    final SSLContext server;
    final SSLContext client;
    private final CountingTrustManager clientTrust;
    private final KeyStore serverKeys;
    private final KeyStore clientKeys;

    TlsPeers(Curve curve) throws Exception {
        this(keyStore(curve, "server"), keyStore(curve, "client"));
    }

    private TlsPeers(KeyStore serverKeys, KeyStore clientKeys) throws Exception {
        this.serverKeys = serverKeys;
        this.clientKeys = clientKeys;
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", serverKeys.getCertificate(ALIAS));
        trust.setCertificateEntry("client", clientKeys.getCertificate(ALIAS));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        X509ExtendedTrustManager trustManager = (X509ExtendedTrustManager) tmf.getTrustManagers()[0];
        clientTrust = new CountingTrustManager(trustManager);
        server = context(serverKeys, trustManager);
        client = context(clientKeys, clientTrust);
    }

    /** Writes both identities, so that a peer in another process can load the same ones. */
    void save(Path dir) throws Exception {
        try (OutputStream out = Files.newOutputStream(dir.resolve("server.p12"))) {
            serverKeys.store(out, STORE_PASSWORD);
        }
        try (OutputStream out = Files.newOutputStream(dir.resolve("client.p12"))) {
            clientKeys.store(out, STORE_PASSWORD);
        }
    }

    static TlsPeers load(Path dir) throws Exception {
        return new TlsPeers(read(dir.resolve("server.p12")), read(dir.resolve("client.p12")));
    }

    private static KeyStore read(Path file) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, STORE_PASSWORD);
        }
        return ks;
    }

    private static SSLContext context(KeyStore keys, X509ExtendedTrustManager trust) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
        kmf.init(keys, STORE_PASSWORD);
        SSLContext ctx = SSLContext.getInstance(PROTOCOL);
        ctx.init(kmf.getKeyManagers(), new TrustManager[] {trust}, null);
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
        ks.setKeyEntry(ALIAS, kp.getPrivate(), STORE_PASSWORD, new X509Certificate[] {cert});
        return ks;
    }

    private static SSLParameters tls13(SSLParameters p) {
        p.setProtocols(new String[] {PROTOCOL});
        p.setNamedGroups(new String[] {KEY_SHARE_GROUP});
        return p;
    }

    /** A client engine; made without a peer host, so it never looks for a session to resume. */
    SSLEngine clientEngine() {
        SSLEngine e = client.createSSLEngine();
        e.setUseClientMode(true);
        e.setSSLParameters(tls13(e.getSSLParameters()));
        return e;
    }

    SSLEngine serverEngine() {
        SSLEngine e = server.createSSLEngine();
        e.setUseClientMode(false);
        SSLParameters p = tls13(e.getSSLParameters());
        p.setNeedClientAuth(true);
        e.setSSLParameters(p);
        return e;
    }

    /** A connected client socket that has finished its handshake. */
    SSLSocket connect(InetSocketAddress server) throws IOException {
        SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket();
        SocketTuning.apply(s);
        s.setSSLParameters(tls13(s.getSSLParameters()));
        s.connect(server, (int) SocketTuning.CONNECT_TIMEOUT.toMillis());
        s.startHandshake();
        return s;
    }

    /** A listening server socket that requires client certificates (accepted sockets still need {@link SocketTuning}). */
    SSLServerSocket listen(InetSocketAddress at) throws IOException {
        SSLServerSocket s = (SSLServerSocket) server.getServerSocketFactory().createServerSocket();
        SSLParameters p = tls13(s.getSSLParameters());
        p.setNeedClientAuth(true);
        s.setSSLParameters(p);
        s.setReceiveBufferSize(SocketTuning.BUFFER_BYTES);
        s.bind(at);
        return s;
    }

    /** How many server certificates the client has verified: one per full handshake, none for a resumed one. */
    long fullHandshakes() {
        return clientTrust.serverChecks();
    }

    /** Fails unless the client verified the server's certificate in each of {@code connections} since {@code before}. */
    void requireFullHandshakes(long before, long connections) {
        long full = fullHandshakes() - before;
        if (full != connections) {
            throw new IllegalStateException(connections + " TLS connections made only " + full + " full handshakes (is "
                    + TICKETS_PROPERTY + " set to 0 before TLS is first used?)");
        }
    }
}
