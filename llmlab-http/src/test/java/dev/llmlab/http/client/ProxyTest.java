package dev.llmlab.http.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.http.HttpServer;
import dev.llmlab.http.Router;
import dev.llmlab.http.TestPki;
import dev.llmlab.http.client.ClientException.Kind;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Requests through a small proxy started in the test, with the variables injected as curl would read them. */
class ProxyTest {
    @TempDir
    Path dir;

    private static HttpServer server(TestPki.Pair tls) {
        return HttpServer.builder()
                .host("127.0.0.1")
                .port(0)
                .ioThreads(1)
                .tls(tls == null ? null : tls.cert(), tls == null ? null : tls.key())
                .router(Router.builder()
                        .add(
                                "POST",
                                "/v1/x",
                                ex -> ex.respond(
                                        200,
                                        "text/plain",
                                        Unpooled.copiedBuffer(
                                                "via " + ex.requestHeaders().get("host"), StandardCharsets.UTF_8)))
                        .build())
                .start();
    }

    private static Recorded post(HttpClient c, Origin o) throws Exception {
        Recorded r = new Recorded(ResponseListener.Body.WHOLE);
        c.send(RequestHead.of(o, "POST", "/v1/x", Map.of()), new byte[] {'{', '}'}, r);
        return r.await();
    }

    @Test
    void https_goesThroughACONNECTTunnel_withBasicCredentials() throws Exception {
        TestPki pki = new TestPki(dir);
        String basic =
                "Basic " + java.util.Base64.getEncoder().encodeToString("me:s3cret".getBytes(StandardCharsets.UTF_8));
        try (HttpServer s = server(pki.server("s"));
                TestProxy proxy = new TestProxy(basic);
                HttpClient c = HttpClient.builder()
                        .ioThreads(1)
                        .tls(new TlsOptions(pki.caFile(), false, null))
                        .proxies(Proxies.fromEnvironment(
                                Map.of("HTTPS_PROXY", "http://me:s3cret@127.0.0.1:" + proxy.port())))
                        .build()) {
            Origin o = new Origin("https", "127.0.0.1", s.port());
            Recorded first = post(c, o);
            assertThat(first.failure).isNull();
            assertThat(first.text()).isEqualTo("via 127.0.0.1:" + s.port());
            assertThat(first.tls).isNotNull(); // TLS end to end, through the tunnel
            assertThat(post(c, o).text()).startsWith("via");
            assertThat(proxy.lines())
                    .containsExactly("CONNECT 127.0.0.1:" + s.port() + " HTTP/1.1"); // one tunnel, reused
        }
    }

    @Test
    void aProxyThatRefuses_isAProxyError_withItsStatus() throws Exception {
        TestPki pki = new TestPki(dir);
        try (HttpServer s = server(pki.server("s"));
                TestProxy proxy = new TestProxy("Basic nope");
                HttpClient c = HttpClient.builder()
                        .ioThreads(1)
                        .tls(new TlsOptions(pki.caFile(), false, null))
                        .proxies(Proxies.fromEnvironment(Map.of("https_proxy", "127.0.0.1:" + proxy.port())))
                        .build()) {
            Recorded r = post(c, new Origin("https", "127.0.0.1", s.port()));
            assertThat(r.failure.kind()).isEqualTo(Kind.PROXY);
            assertThat(r.failure.getMessage()).contains("407").contains("127.0.0.1:" + proxy.port());
        }
    }

    @Test
    void plainHttp_isForwardedInAbsoluteForm() throws Exception {
        try (HttpServer s = server(null);
                TestProxy proxy = new TestProxy(null);
                HttpClient c = HttpClient.builder()
                        .ioThreads(1)
                        .proxies(Proxies.fromEnvironment(Map.of("http_proxy", "http://127.0.0.1:" + proxy.port())))
                        .build()) {
            Recorded r = post(c, new Origin("http", "127.0.0.1", s.port()));
            assertThat(r.failure).isNull();
            assertThat(r.text()).isEqualTo("via 127.0.0.1:" + s.port());
            assertThat(proxy.lines()).containsExactly("POST http://127.0.0.1:" + s.port() + "/v1/x HTTP/1.1");
        }
    }

    /** Through a tunnel or forwarded, a proxy whose name does not resolve is named as such, without its port. */
    @Test
    void aProxyWhoseNameDoesNotResolve_saysSo() throws Exception {
        try (HttpClient c = HttpClient.builder()
                .ioThreads(1)
                .proxies(Proxies.fromEnvironment(Map.of(
                        "https_proxy", "http://no-such-proxy.invalid:3128",
                        "http_proxy", "http://no-such-proxy.invalid:3128")))
                .build()) {
            Recorded tunnelled = post(c, new Origin("https", "api.example.com", 443));
            assertThat(tunnelled.failure.kind()).isEqualTo(Kind.CONNECT);
            assertThat(tunnelled.failure.getMessage())
                    .isEqualTo("cannot resolve proxy host no-such-proxy.invalid (proxy for https://api.example.com)");
            Recorded forwarded = post(c, new Origin("http", "api.example.com", 80));
            assertThat(forwarded.failure.kind()).isEqualTo(Kind.CONNECT);
            assertThat(forwarded.failure.getMessage())
                    .isEqualTo("cannot resolve proxy host no-such-proxy.invalid (proxy for http://api.example.com)");
        }
    }

    @Test
    void anOriginWhoseNameDoesNotResolve_saysSo() throws Exception {
        try (HttpClient c = HttpClient.builder().ioThreads(1).build()) {
            Recorded r = post(c, new Origin("http", "no-such-host.invalid", 8000));
            assertThat(r.failure.kind()).isEqualTo(Kind.CONNECT);
            assertThat(r.failure.getMessage()).isEqualTo("cannot resolve host no-such-host.invalid");
        }
    }

    @Test
    void noProxy_sendsTheOriginDirect() throws Exception {
        try (HttpServer s = server(null);
                TestProxy proxy = new TestProxy(null);
                HttpClient c = HttpClient.builder()
                        .ioThreads(1)
                        .proxies(Proxies.fromEnvironment(Map.of(
                                "http_proxy", "http://127.0.0.1:" + proxy.port(), "no_proxy", "localhost,127.0.0.0/8")))
                        .build()) {
            assertThat(post(c, new Origin("http", "127.0.0.1", s.port())).text())
                    .startsWith("via");
            assertThat(proxy.heads).isEmpty();
        }
    }
}
