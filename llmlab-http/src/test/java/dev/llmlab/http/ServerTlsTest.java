package dev.llmlab.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Serving TLS from PEM files, and the clear errors for files that cannot serve it. */
class ServerTlsTest {
    @TempDir
    Path dir;

    private HttpServer start(Path cert, Path key) {
        return HttpServer.builder()
                .host("127.0.0.1")
                .port(0)
                .ioThreads(1)
                .tls(cert, key)
                .router(Router.builder()
                        .add(
                                "GET",
                                "/hi",
                                ex -> ex.respond(
                                        200, "text/plain", Unpooled.copiedBuffer("hi", StandardCharsets.UTF_8)))
                        .build())
                .start();
    }

    @Test
    void tls_servesAClientThatTrustsTheCa() throws Exception {
        TestPki pki = new TestPki(dir);
        TestPki.Pair pair = pki.server("server");
        try (HttpServer s = start(pair.cert(), pair.key())) {
            assertThat(s.scheme()).isEqualTo("https");
            assertThat(s.tlsEngine()).isEqualTo(Tls.engine());
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("ca", Tls.certificates(pki.caFile(), "CA")[0]);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            try (HttpClient c = HttpClient.newBuilder().sslContext(ssl).build()) {
                HttpResponse<String> r = c.send(
                        HttpRequest.newBuilder(URI.create("https://localhost:" + s.port() + "/hi"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("hi");
            }
        }
    }

    @Test
    void badFiles_areRefusedAtStart_namingTheFile() throws Exception {
        TestPki pki = new TestPki(dir);
        TestPki.Pair a = pki.server("a");
        TestPki.Pair b = pki.server("b");
        Path missing = dir.resolve("missing.pem");
        Path text = Files.writeString(dir.resolve("notes.txt"), "not a certificate");
        assertThatThrownBy(() -> start(missing, a.key()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing.pem")
                .hasMessageContaining("no such file");
        assertThatThrownBy(() -> start(text, a.key()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("notes.txt")
                .hasMessageContaining("no PEM certificate");
        assertThatThrownBy(() -> start(a.cert(), a.cert()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no PEM private key");
        assertThatThrownBy(() -> start(a.cert(), b.key()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not the key of the certificate");
        assertThatThrownBy(() -> HttpServer.builder().tls(a.cert(), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("both");
    }

    @Test
    void anRsaKeyInPkcs1_isRead() throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        java.security.KeyPair kp = g.generateKeyPair();
        // PKCS#8's PrivateKeyInfo holds the PKCS#1 key as its last OCTET STRING: unwrap it to write the old form.
        byte[] pkcs8 = kp.getPrivate().getEncoded();
        byte[] pkcs1 = java.util.Arrays.copyOfRange(pkcs8, 26, pkcs8.length);
        Path key = dir.resolve("rsa.key");
        Files.writeString(
                key,
                "-----BEGIN RSA PRIVATE KEY-----\n"
                        + java.util.Base64.getMimeEncoder().encodeToString(pkcs1)
                        + "\n-----END RSA PRIVATE KEY-----\n");
        assertThat(Tls.privateKey(key, "key").getEncoded()).isEqualTo(pkcs8);
    }

    @Test
    void certificates_keepTheChainInOrder() throws Exception {
        TestPki pki = new TestPki(dir);
        X509Certificate[] chain = Tls.certificates(pki.server("s").cert(), "cert");
        assertThat(chain[0].getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
    }
}
