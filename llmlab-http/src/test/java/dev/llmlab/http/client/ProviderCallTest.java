package dev.llmlab.http.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.api.Completion;
import dev.llmlab.api.FinishReason;
import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.GenerationRequest.Endpoint;
import dev.llmlab.api.Message;
import dev.llmlab.api.Usage;
import dev.llmlab.api.client.AnswerBuilder;
import dev.llmlab.api.client.ClientApi;
import dev.llmlab.api.client.ClientRequest;
import dev.llmlab.api.client.StreamDecoder;
import dev.llmlab.api.openai.StreamEncoder;
import dev.llmlab.http.HttpServer;
import dev.llmlab.http.Router;
import dev.llmlab.http.SseStream;
import dev.llmlab.http.TestPki;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The call a gateway makes to a provider, with the shared client and llmlab-api's client codecs:
 * the internal request encoded for the provider's API, sent over TLS with its key, the streamed
 * answer decoded back into the internal model.
 */
class ProviderCallTest {
    @TempDir
    Path dir;

    @Test
    void aStreamedChatCompletion_overTls_throughTheCodecs() throws Exception {
        TestPki pki = new TestPki(dir);
        GenerationRequest ask = GenerationRequest.plain(
                Endpoint.CHAT,
                "gpt-4o-mini",
                List.of(new Message("user", "Hi", null, null, null)),
                List.of(),
                64,
                true);
        try (HttpServer provider = openAiShaped(pki.server("provider"));
                HttpClient client = HttpClient.builder()
                        .tls(new TlsOptions(pki.caFile(), false, null))
                        .build()) {
            // --- the call: about 20 lines ---
            ClientApi api = ClientApi.OPENAI_CHAT;
            ClientRequest wire = api.codec().request(ask, "sk-test");
            Map<String, String> headers = new LinkedHashMap<>();
            wire.headers().forEach(h -> headers.put(h.name(), h.value()));
            Origin origin = Origin.of("https://127.0.0.1:" + provider.port());
            RequestHead head = RequestHead.of(origin, "POST", api.basePath() + wire.path(), headers);
            AnswerBuilder answer = new AnswerBuilder();
            CompletableFuture<Completion> done = new CompletableFuture<>();
            client.send(head, wire.body(), new ResponseListener() {
                final StreamDecoder decoder = api.codec().streamDecoder(ask, answer);
                final SseParser sse = new SseParser((event, data, n) -> decoder.event(data, 0, n));

                public Body onHead(Call call, ResponseHead h) {
                    return h.status() == 200 ? Body.STREAM : Body.WHOLE;
                }

                public void onBody(Call call, ByteBuf content, int index, int length) {
                    sse.feed(content, index, length);
                }

                public void onEnd(Call call, byte[] whole, int length) {
                    if (decoder.ended()) done.complete(answer.completion());
                    else
                        done.completeExceptionally(new IllegalStateException(
                                api.codec().error(500, whole, 0, length).message()));
                }

                public void onFailure(Call call, ClientException e) {
                    done.completeExceptionally(e);
                }
            });
            Completion c = done.get(10, TimeUnit.SECONDS);
            // --- end of the call ---
            assertThat(c.choices()).hasSize(1);
            assertThat(c.choices().getFirst().text()).isEqualTo("Hello");
            assertThat(c.choices().getFirst().finishReason()).isEqualTo(FinishReason.STOP);
            assertThat(c.usage()).isEqualTo(new Usage(8, 2, 0));
            assertThat(c.model()).isEqualTo("gpt-4o-mini");
        }
    }

    /**
     * A server that answers like OpenAI's chat completions endpoint, streamed with llmlab-api's
     * server-side encoder (what the simulator sends), when the key is right.
     */
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
                            StreamEncoder enc =
                                    new StreamEncoder(Endpoint.CHAT, "chatcmpl-1", 1, "gpt-4o-mini", "fp_1", true);
                            ByteArrayOutputStream frames = new ByteArrayOutputStream();
                            enc.role(frames, 0);
                            enc.content(frames, 0, "Hel", null);
                            enc.content(frames, 0, "lo", null);
                            enc.finish(frames, 0, FinishReason.STOP);
                            enc.usage(frames, new Usage(8, 2, 0));
                            StreamEncoder.done(frames);
                            SseStream s = ex.startSse();
                            s.send(Unpooled.wrappedBuffer(frames.toByteArray()));
                            s.end();
                        })
                        .build())
                .start();
    }
}
