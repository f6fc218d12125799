package dev.llmlab.gateway;

import dev.llmlab.http.HttpServer;
import dev.llmlab.http.Router;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** Hand-made upstreams for the gateway's tests: each records what it was sent and answers as told. */
final class Upstreams {
    private Upstreams() {}

    /** One request an upstream received. */
    record Seen(String method, String uri, Map<String, String> headers, String body) {}

    /** An answer: status, headers, body. */
    record Answer(int status, Map<String, String> headers, String body) {
        static Answer ok(String body) {
            return new Answer(200, Map.of(), body);
        }

        static Answer status(int status, String body, String... headers) {
            Map<String, String> h = new java.util.LinkedHashMap<>();
            for (int i = 0; i < headers.length; i += 2) h.put(headers[i], headers[i + 1]);
            return new Answer(status, h, body);
        }
    }

    /** A server answering every POST (and GET) on any of {@code paths} with {@code answer}. */
    static final class Fake implements AutoCloseable {
        final List<Seen> seen = new CopyOnWriteArrayList<>();
        final HttpServer server;

        Fake(List<String> paths, Function<Seen, Answer> answer) {
            Router.Builder r = Router.builder();
            for (String p : paths) {
                for (String m : List.of("POST", "GET")) {
                    r.add(m, p, ex -> {
                        Map<String, String> h = new java.util.LinkedHashMap<>();
                        ex.requestHeaders().forEach(e -> h.put(e.getKey().toLowerCase(), e.getValue()));
                        String uri = ex.path()
                                + (ex.queryParam("api-version") != null
                                        ? "?api-version=" + ex.queryParam("api-version")
                                        : ex.queryParam("alt") != null ? "?alt=" + ex.queryParam("alt") : "");
                        Seen s = new Seen(
                                ex.method(),
                                uri,
                                h,
                                ex.body() == null
                                        ? ""
                                        : ByteBufUtil.getBytes(ex.body()).length == 0
                                                ? ""
                                                : new String(ByteBufUtil.getBytes(ex.body()), StandardCharsets.UTF_8));
                        seen.add(s);
                        Answer a = answer.apply(s);
                        a.headers().forEach((k, v) -> ex.responseHeaders().set(k, v));
                        ex.respond(
                                a.status(),
                                "application/json",
                                Unpooled.copiedBuffer(a.body(), StandardCharsets.UTF_8));
                    });
                }
            }
            server = HttpServer.builder()
                    .host("127.0.0.1")
                    .port(0)
                    .ioThreads(1)
                    .router(r.build())
                    .start();
        }

        String url() {
            return "http://127.0.0.1:" + server.port();
        }

        @Override
        public void close() {
            server.shutdownGracefully();
        }
    }
}
