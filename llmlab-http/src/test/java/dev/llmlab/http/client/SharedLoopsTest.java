package dev.llmlab.http.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.http.EventLoops;
import dev.llmlab.http.HttpServer;
import dev.llmlab.http.Router;
import io.netty.buffer.Unpooled;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A server and a client on one set of event loops, as a gateway runs them. */
class SharedLoopsTest {
    @Test
    void aCallSentFromAServersHandler_goesOutAndComesBackOnThatHandlersThread() throws Exception {
        try (EventLoops loops = EventLoops.start(2, "shared-test");
                HttpServer upstream = HttpServer.builder()
                        .host("127.0.0.1")
                        .port(0)
                        .ioThreads(1)
                        .router(Router.builder()
                                .add(
                                        "GET",
                                        "/up",
                                        ex -> ex.respond(
                                                200, "text/plain", Unpooled.copiedBuffer("up", StandardCharsets.UTF_8)))
                                .build())
                        .start()) {
            HttpClient client = HttpClient.builder().eventLoops(loops).build();
            CompletableFuture<String> threads = new CompletableFuture<>();
            HttpServer front = HttpServer.builder()
                    .host("127.0.0.1")
                    .port(0)
                    .eventLoops(loops)
                    .router(Router.builder()
                            .add("GET", "/front", ex -> {
                                String handler = Thread.currentThread().getName();
                                client.send(
                                        RequestHead.of(
                                                new Origin("http", "127.0.0.1", upstream.port()),
                                                "GET",
                                                "/up",
                                                Map.of()),
                                        null,
                                        new Recorded(ResponseListener.Body.WHOLE) {
                                            @Override
                                            public void onEnd(Call call, byte[] whole, int length) {
                                                threads.complete(handler + " "
                                                        + Thread.currentThread().getName());
                                                ex.respond(200, "text/plain", Unpooled.wrappedBuffer(whole, 0, length));
                                            }
                                        });
                            })
                            .build())
                    .start();
            var http = java.net.http.HttpClient.newHttpClient();
            var r = http.send(
                    java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + front.port() + "/front"))
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.body()).isEqualTo("up");
            String[] t = threads.get(5, TimeUnit.SECONDS).split(" ");
            assertThat(t[0]).startsWith("shared-test").isEqualTo(t[1]);
            // Closing the client closes its connections, not the loops: the server on them goes on serving
            // (the handler's call now fails at once, and its listener is told so).
            client.close();
            Recorded after = new Recorded(ResponseListener.Body.WHOLE);
            client.send(
                    RequestHead.of(new Origin("http", "127.0.0.1", upstream.port()), "GET", "/up", Map.of()),
                    null,
                    after);
            assertThat(after.await().failure.kind()).isEqualTo(ClientException.Kind.CLOSED);
            assertThat(loops.group().isShuttingDown()).isFalse();
            front.shutdownGracefully();
            assertThat(loops.group().isShuttingDown())
                    .as("the server leaves loops it did not start")
                    .isFalse();
            http.close();
        }
    }
}
