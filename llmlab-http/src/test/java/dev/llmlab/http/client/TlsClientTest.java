package dev.llmlab.http.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.llmlab.http.HttpServer;
import dev.llmlab.http.Router;
import dev.llmlab.http.TestPki;
import dev.llmlab.http.Tls;
import dev.llmlab.http.client.ClientException.Kind;
import io.netty.buffer.Unpooled;
import io.netty.handler.ssl.OpenSsl;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * TLS against a server with certificates from a throw-away CA: what is trusted, what is refused and
 * why, on each engine (OpenSSL where it loads, and the JDK's).
 */
class TlsClientTest {
    @TempDir
    Path dir;

    private static HttpServer serve(TestPki.Pair pair) {
        return HttpServer.builder()
                .host("127.0.0.1")
                .port(0)
                .ioThreads(1)
                .tls(pair.cert(), pair.key())
                .router(Router.builder()
                        .add(
                                "GET",
                                "/hi",
                                ex -> ex.respond(
                                        200, "text/plain", Unpooled.copiedBuffer("hi", StandardCharsets.UTF_8)))
                        .build())
                .start();
    }

    private static Recorded get(HttpServer s, String host, TlsOptions tls) throws Exception {
        try (HttpClient c = HttpClient.builder().ioThreads(1).tls(tls).build()) {
            Recorded r = new Recorded(ResponseListener.Body.WHOLE);
            c.send(RequestHead.of(new Origin("https", host, s.port()), "GET", "/hi", Map.of()), null, r);
            return r.await();
        }
    }

    @ParameterizedTest
    @EnumSource(Tls.Engine.class)
    void aCertificateFromTheGivenCa_isAccepted_andItsSessionReported(Tls.Engine engine) throws Exception {
        assumeTrue(engine == Tls.Engine.JDK || OpenSsl.isAvailable());
        TestPki pki = new TestPki(dir);
        try (HttpServer s = serve(pki.server("good"))) {
            for (String host : new String[] {"127.0.0.1", "localhost"}) {
                Recorded r = get(s, host, new TlsOptions(pki.caFile(), false, engine));
                assertThat(r.failure).as(host).isNull();
                assertThat(r.text()).isEqualTo("hi");
                assertThat(r.tls.engine()).isEqualTo(engine.label());
                assertThat(r.tls.protocol()).startsWith("TLSv1.");
                assertThat(r.tls.cipher()).isNotBlank();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Tls.Engine.class)
    void anUnknownCa_anotherHostsCertificate_andAnExpiredOne_areRefusedSayingWhy(Tls.Engine engine) throws Exception {
        assumeTrue(engine == Tls.Engine.JDK || OpenSsl.isAvailable());
        TestPki pki = new TestPki(dir);
        try (HttpServer good = serve(pki.server("good"));
                HttpServer other = serve(pki.otherHost("other"));
                HttpServer expired = serve(pki.expired("expired"))) {
            Recorded unknown = get(good, "127.0.0.1", new TlsOptions(null, false, engine));
            assertThat(unknown.failure.kind()).isEqualTo(Kind.TLS);
            assertThat(unknown.failure.getMessage()).contains("unknown CA").contains("127.0.0.1");

            Recorded mismatch = get(other, "127.0.0.1", new TlsOptions(pki.caFile(), false, engine));
            assertThat(mismatch.failure.kind()).isEqualTo(Kind.TLS);
            assertThat(mismatch.failure.getMessage()).contains("hostname mismatch");

            Recorded old = get(expired, "127.0.0.1", new TlsOptions(pki.caFile(), false, engine));
            assertThat(old.failure.kind()).isEqualTo(Kind.TLS);
            assertThat(old.failure.getMessage()).contains("expired");

            for (Recorded r : new Recorded[] {unknown, mismatch, old})
                assertThat(r.failure.getMessage()).doesNotContainPattern("[a-z]+\\.[a-z]+\\.[A-Z][A-Za-z]*Exception");
        }
    }

    @ParameterizedTest
    @EnumSource(Tls.Engine.class)
    void insecure_acceptsWhatVerificationRefuses(Tls.Engine engine) throws Exception {
        assumeTrue(engine == Tls.Engine.JDK || OpenSsl.isAvailable());
        TestPki pki = new TestPki(dir);
        try (HttpServer other = serve(pki.otherHost("other"));
                HttpServer expired = serve(pki.expired("expired"))) {
            assertThat(get(other, "127.0.0.1", new TlsOptions(null, true, engine))
                            .text())
                    .isEqualTo("hi");
            assertThat(get(expired, "127.0.0.1", new TlsOptions(null, true, engine))
                            .text())
                    .isEqualTo("hi");
        }
    }

    @ParameterizedTest
    @EnumSource(Tls.Engine.class)
    void plainHttpOnATlsOrigin_saysTheServerDoesNotSpeakTls(Tls.Engine engine) throws Exception {
        assumeTrue(engine == Tls.Engine.JDK || OpenSsl.isAvailable());
        try (HttpServer plain =
                HttpServer.builder().host("127.0.0.1").port(0).ioThreads(1).start()) {
            Recorded r = get(plain, "127.0.0.1", new TlsOptions(null, false, engine));
            assertThat(r.failure.kind()).isEqualTo(Kind.TLS);
        }
    }
}
