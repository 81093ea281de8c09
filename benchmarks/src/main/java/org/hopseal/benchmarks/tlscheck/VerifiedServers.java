package org.hopseal.benchmarks.tlscheck;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The client's trust manager: the JDK's own, plus a count of server certificate chains it accepted. A resumed
 * TLS 1.3 handshake carries no certificate, so the count equals the number of full handshakes.
 */
final class VerifiedServers extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager jdk;
    private final AtomicLong accepted = new AtomicLong();

    VerifiedServers(X509ExtendedTrustManager jdk) {
        this.jdk = jdk;
    }

    long accepted() {
        return accepted.get();
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        jdk.checkServerTrusted(chain, authType, engine);
        accepted.incrementAndGet();
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        jdk.checkServerTrusted(chain, authType, socket);
        accepted.incrementAndGet();
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        jdk.checkServerTrusted(chain, authType);
        accepted.incrementAndGet();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("this trust manager is the client's");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("this trust manager is the client's");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("this trust manager is the client's");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return jdk.getAcceptedIssuers();
    }
}
