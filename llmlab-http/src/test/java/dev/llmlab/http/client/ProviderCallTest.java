package dev.llmlab.http.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.http.HttpServer;
import dev.llmlab.http.Router;
import dev.llmlab.http.SseStream;
import dev.llmlab.http.TestPki;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The call a gateway makes to a provider: TLS, a key, a streamed OpenAI-shaped answer read as SSE. */
class ProviderCallTest {
    @TempDir
    Path dir;

    @Test
    void aStreamedChatCompletion_overTls() throws Exception {
        TestPki pki = new TestPki(dir);
        try (HttpServer provider = openAiShaped(pki.server("provider"));
                HttpClient client = HttpClient.builder()
                        .tls(new TlsOptions(pki.caFile(), false, null))
                        .build()) {
            // --- the call: about 20 lines ---
            Origin origin = Origin.of("https://127.0.0.1:" + provider.port());
            RequestHead head = RequestHead.of(
                    origin,
                    "POST",
                    "/v1/chat/completions",
                    Map.of("authorization", "Bearer sk-test", "content-type", "application/json"));
            byte[] body =
                    "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"
                            .getBytes(StandardCharsets.UTF_8);
            List<String> events = new ArrayList<>();
            CompletableFuture<Integer> status = new CompletableFuture<>();
            client.send(head, body, new ResponseListener() {
                final SseParser sse =
                        new SseParser((event, data, n) -> events.add(new String(data, 0, n, StandardCharsets.UTF_8)));
                int code;

                public Body onHead(Call call, ResponseHead h) {
                    code = h.status();
                    return Body.STREAM;
                }

                public void onBody(Call call, io.netty.buffer.ByteBuf content, int index, int length) {
                    sse.feed(content, index, length);
                }

                public void onEnd(Call call, byte[] whole, int length) {
                    status.complete(code);
                }

                public void onFailure(Call call, ClientException e) {
                    status.completeExceptionally(e);
                }
            });
            // --- end of the call ---
            assertThat(status.get(10, TimeUnit.SECONDS)).isEqualTo(200);
            assertThat(events).hasSize(3).last().isEqualTo("[DONE]");
            assertThat(events.getFirst()).contains("\"content\":\"Hel\"");
        }
    }

    /** A server that answers like OpenAI's chat completions endpoint, streamed, when the key is right. */
    private static HttpServer openAiShaped(TestPki.Pair tls) {
        return HttpServer.builder()
                .host("127.0.0.1")
                .port(0)
                .ioThreads(1)
                .tls(tls.cert(), tls.key())
                .router(Router.builder()
                        .add("POST", "/v1/chat/completions", ex -> {
                            if (!"Bearer sk-test".equals(ex.requestHeaders().get("authorization"))) {
                                ex.respond(
                                        401,
                                        "application/json",
                                        Unpooled.copiedBuffer("{\"error\":{}}", StandardCharsets.UTF_8));
                                return;
                            }
                            SseStream s = ex.startSse();
                            for (String piece : new String[] {"Hel", "lo"})
                                s.send(Unpooled.copiedBuffer(
                                        "data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\""
                                                + piece + "\"}}]}\n\n",
                                        StandardCharsets.UTF_8));
                            s.send(Unpooled.copiedBuffer("data: [DONE]\n\n", StandardCharsets.UTF_8));
                            s.end();
                        })
                        .build())
                .start();
    }
}
