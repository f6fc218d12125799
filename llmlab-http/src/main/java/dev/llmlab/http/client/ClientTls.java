package dev.llmlab.http.client;

import dev.llmlab.http.Tls;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The client's TLS context, made once from {@link TlsOptions}, and a handler per connection. Thread-safe. */
final class ClientTls {
    private static final Logger log = LoggerFactory.getLogger(HttpClient.class);

    final Tls.Engine engine;
    private final SslContext context;

    private ClientTls(Tls.Engine engine, SslContext context) {
        this.engine = engine;
        this.context = context;
    }

    /**
     * @throws IllegalArgumentException for a CA file that cannot be read, naming it
     * @throws IllegalStateException when the TLS engine or the JDK's trust store refuses, saying so
     */
    static ClientTls create(TlsOptions options) {
        Tls.Engine engine = options.engineOrDefault();
        SslContextBuilder b = SslContextBuilder.forClient().sslProvider(engine.provider());
        if (options.insecure()) {
            log.warn("TLS verification is off: any certificate, for any host, is accepted");
            b.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
        } else {
            if (options.caFile() != null) b.trustManager(withDefaults(Tls.certificates(options.caFile(), "CA file")));
            b.endpointIdentificationAlgorithm("HTTPS");
        }
        try {
            return new ClientTls(engine, b.build());
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS (" + engine.label() + "): " + Failures.text(e), e);
        }
    }

    /** The JDK's trusted CAs and {@code extra} together. */
    private static TrustManagerFactory withDefaults(X509Certificate[] extra) {
        try {
            TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            jdk.init((KeyStore) null);
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (TrustManager tm : jdk.getTrustManagers()) {
                if (tm instanceof X509TrustManager x)
                    for (X509Certificate c : x.getAcceptedIssuers()) store.setCertificateEntry("jdk-" + i++, c);
            }
            for (X509Certificate c : extra) store.setCertificateEntry("ca-file-" + i++, c);
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init(store);
            return f;
        } catch (GeneralSecurityException | java.io.IOException e) {
            String why = e.getMessage();
            String cause = Failures.text(e);
            throw new IllegalStateException(
                    "cannot set up TLS: cannot build the trust store (the JDK's CAs and the CA file): " + why
                            + (cause.equals(why) ? "" : " (" + cause + ")"),
                    e);
        }
    }

    /** A handler for one connection to {@code origin}: SNI and the host checked against the certificate. */
    SslHandler handler(ByteBufAllocator alloc, Origin origin, long handshakeTimeoutMillis) {
        SslHandler h = context.newHandler(alloc, origin.host(), origin.port());
        h.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
        return h;
    }
}
