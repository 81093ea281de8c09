package org.hopseal.benchmarks.tlscheck;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A server and a client that each hold a {@link SelfSignedP256} identity and trust only the other's certificate,
 * with the JDK's default key and trust manager algorithms and one {@link SSLContext} per side. TLS 1.3 only, with
 * the x25519 key exchange alone (as the benchmark's peer: without it the client also sends a secp256r1 key share that
 * the server ignores); the server requires a client certificate.
 */
final class MutualTls {
    static final String PROTOCOL = "TLSv1.3";
    static final String GROUP = "x25519";

    final SSLContext server;
    final SSLContext client;
    private final VerifiedServers clientTrust;

    private MutualTls(SSLContext server, SSLContext client, VerifiedServers clientTrust) {
        this.server = server;
        this.client = client;
        this.clientTrust = clientTrust;
    }

    static MutualTls create() throws Exception {
        SelfSignedP256 serverId = SelfSignedP256.create("check-server");
        SelfSignedP256 clientId = SelfSignedP256.create("check-client");
        VerifiedServers clientTrust = new VerifiedServers(jdkTrust(serverId));
        return new MutualTls(context(serverId, jdkTrust(clientId)), context(clientId, clientTrust), clientTrust);
    }

    /** The JDK's default trust manager, trusting {@code peer}'s certificate only. */
    private static X509ExtendedTrustManager jdkTrust(SelfSignedP256 peer) throws GeneralSecurityException, IOException {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        trusted.setCertificateEntry("peer", peer.certificate);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        for (TrustManager m : factory.getTrustManagers()) {
            if (m instanceof X509ExtendedTrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("the default trust manager factory made no X.509 trust manager");
    }

    private static SSLContext context(SelfSignedP256 own, X509ExtendedTrustManager trust) throws GeneralSecurityException {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(own.keyStore, SelfSignedP256.PASSWORD);
        SSLContext context = SSLContext.getInstance(PROTOCOL);
        context.init(keys.getKeyManagers(), new TrustManager[] {trust}, null);
        return context;
    }

    /** Full handshakes the client made so far: each verifies the server's certificate, a resumed one does not. */
    long fullHandshakes() {
        return clientTrust.accepted();
    }

    /** TLS 1.3 only, x25519 only; for a server, also a client certificate required. */
    static SSLParameters parameters(SSLParameters defaults, boolean server) {
        defaults.setProtocols(new String[] {PROTOCOL});
        defaults.setNamedGroups(new String[] {GROUP});
        if (server) {
            defaults.setNeedClientAuth(true);
        }
        return defaults;
    }

    SSLEngine clientEngine() {
        SSLEngine engine = client.createSSLEngine();
        engine.setUseClientMode(true);
        engine.setSSLParameters(parameters(engine.getSSLParameters(), false));
        return engine;
    }

    SSLEngine serverEngine() {
        SSLEngine engine = server.createSSLEngine();
        engine.setUseClientMode(false);
        engine.setSSLParameters(parameters(engine.getSSLParameters(), true));
        return engine;
    }

}
