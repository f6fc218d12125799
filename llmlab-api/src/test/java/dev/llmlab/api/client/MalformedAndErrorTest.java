package dev.llmlab.api.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmlab.api.ApiException;
import dev.llmlab.api.FinishReason;
import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.Usage;
import dev.llmlab.api.anthropic.AnthropicResponses;
import dev.llmlab.api.gemini.GeminiResponses;
import dev.llmlab.api.openai.OpenAiResponses;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Input that is not an answer, and the errors providers send: one exception type, or the error decoded. */
class MalformedAndErrorTest {
    private static final Simulated ANSWER =
            new Simulated(List.of(Simulated.Planned.text(FinishReason.STOP, null, "a", "b")), new Usage(3, 2, 0));

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static StreamDecoder decoder(ClientApi api, ClientListener l) {
        GenerationRequest req = ANSWER.request(ClientRoundTripTest.endpoint(api), true);
        return api.codec().streamDecoder(req, l);
    }

    private static boolean feed(StreamDecoder d, String data) {
        byte[] b = utf8(data);
        return d.event(b, 0, b.length);
    }

    @ParameterizedTest
    @EnumSource(
            value = ClientApi.class,
            names = {"OPENAI_EMBEDDINGS"},
            mode = EnumSource.Mode.EXCLUDE)
    void event_truncatedOrNotAnObject_isMalformed_andTheDecoderGoesOn(ClientApi api) {
        AnswerBuilder got = new AnswerBuilder();
        StreamDecoder d = decoder(api, got);
        List<byte[]> events = Simulated.events(ANSWER.stream(api));

        for (String bad :
                List.of("{\"choices\":[{\"delta\":{\"content\":", "[1,2]", "42", "\"text\"", "{} {}", "{\"a\":}")) {
            assertThatThrownBy(() -> feed(d, bad))
                    .as(bad)
                    .isInstanceOf(MalformedAnswerException.class)
                    .hasMessageStartingWith("a");
        }
        for (byte[] e : events) d.event(e, 0, e.length);
        assertThat(got.completion().choices().getFirst().text()).isEqualTo("ab");
        assertThat(got.ended()).isTrue();
    }

    @Test
    void event_messages_sayWhatWasWrong() {
        StreamDecoder chat = decoder(ClientApi.OPENAI_CHAT, new AnswerBuilder());
        assertThatThrownBy(() -> feed(chat, "{\"choices\":[{\"delta\":{\"content\":"))
                .hasMessage("a chat chunk: truncated JSON");
        assertThatThrownBy(() -> feed(chat, "[1]")).hasMessage("a chat chunk: not a JSON object");
        assertThatThrownBy(() -> feed(chat, "{\"a\":1}{\"b\":2}")).hasMessage("a chat chunk: more than one JSON value");
        StreamDecoder anthropic = decoder(ClientApi.ANTHROPIC_MESSAGES, new AnswerBuilder());
        assertThatThrownBy(() ->
                        feed(anthropic, "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_del"))
                .hasMessage("an Anthropic event: truncated JSON");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\n"})
    void event_blank_isAKeepAlive(String data) {
        AnswerBuilder got = new AnswerBuilder();
        StreamDecoder d = decoder(ClientApi.OPENAI_CHAT, got);

        assertThat(feed(d, data)).isFalse();
        assertThat(got.completion().choices()).isEmpty();
    }

    @Test
    void listenerFailure_isNotMistakenForAMalformedEvent() {
        StreamDecoder d = decoder(ClientApi.OPENAI_CHAT, new ClientListener() {
            @Override
            public void text(int choice, String delta) {
                throw new IllegalStateException("listener bug");
            }
        });
        assertThatThrownBy(() -> feed(d, "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("listener bug");
    }

    @Test
    void doneAfterSpaces_endsTheStream_andLaterEventsAreIgnored() {
        AnswerBuilder got = new AnswerBuilder();
        StreamDecoder d = decoder(ClientApi.OPENAI_COMPLETIONS, got);

        assertThat(feed(d, " [DONE] ")).isTrue();
        assertThat(feed(d, "not json at all")).isFalse();
        assertThat(got.ended()).isTrue();
    }

    @Test
    void openAiErrorChunk_midStream() {
        Recorder r = new Recorder();
        StreamDecoder d = decoder(ClientApi.OPENAI_CHAT, r);
        feed(d, "{\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}");
        // OpenAI's shape, and vLLM's (an integer code that is the status)
        feed(
                d,
                "{\"error\":{\"message\":\"The server had an error while processing your request.\",\"type\":\"server_error\","
                        + "\"param\":null,\"code\":null}}");
        feed(
                d,
                "{\"error\":{\"object\":\"error\",\"message\":\"context too long\",\"type\":\"BadRequestError\",\"param\":null,"
                        + "\"code\":400}}");

        assertThat(r.answer.errors())
                .containsExactly(
                        new ProviderError(
                                0,
                                "server_error",
                                null,
                                "The server had an error while processing your request.",
                                -1,
                                null),
                        new ProviderError(400, "BadRequestError", null, "context too long", -1, null));
        assertThat(d.ended()).isFalse();
    }

    @Test
    void anthropicErrorEvent_midStream() {
        Recorder r = new Recorder();
        StreamDecoder d = decoder(ClientApi.ANTHROPIC_MESSAGES, r);
        List<byte[]> events = Simulated.events(ANSWER.stream(ClientApi.ANTHROPIC_MESSAGES));
        for (byte[] e : events.subList(0, 3)) d.event(e, 0, e.length);
        // the API reference's example of an error in a stream
        feed(d, "{\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}");

        assertThat(r.answer.errors())
                .containsExactly(new ProviderError(529, "overloaded_error", null, "Overloaded", -1, null));
        assertThat(r.answer.errors().getFirst().rateLimited()).isFalse();
        assertThat(d.ended()).isFalse();
    }

    @Test
    void responsesErrorEvent_andFailedResponse() {
        Recorder r = new Recorder();
        StreamDecoder d = decoder(ClientApi.OPENAI_RESPONSES, r);
        // the API reference's examples of an error event and of response.failed
        feed(
                d,
                "{\"type\":\"error\",\"code\":\"ERR_SOMETHING\",\"message\":\"Something went wrong\",\"param\":null,"
                        + "\"sequence_number\":1}");
        boolean end = feed(
                d,
                "{\"type\":\"response.failed\",\"response\":{\"id\":\"resp_123\",\"object\":\"response\","
                        + "\"created_at\":1740855869,\"status\":\"failed\",\"error\":{\"code\":\"server_error\",\"message\":"
                        + "\"The model failed to generate a response.\"},\"incomplete_details\":null,\"model\":\"gpt-4o-mini\","
                        + "\"output\":[],\"usage\":null},\"sequence_number\":2}");

        assertThat(end).isTrue();
        assertThat(r.outline())
                .containsExactly(
                        "error 0 error Something went wrong",
                        "response resp_123 gpt-4o-mini",
                        "error 0 response.failed The model failed to generate a response.",
                        "end");
        assertThat(r.answer.errors().get(1).code()).isEqualTo("server_error");
    }

    @Test
    void responsesErrorEvent_inTheNestedShapeTheServiceSends_isARateLimit() {
        Recorder r = new Recorder();
        StreamDecoder d = decoder(ClientApi.OPENAI_RESPONSES, r);
        // as captured from the service (openai-python #3934): the error nested, not at the top level
        feed(
                d,
                "{\"type\":\"error\",\"sequence_number\":2,\"error\":{\"type\":\"tokens\",\"code\":"
                        + "\"rate_limit_exceeded\",\"message\":\"Rate limit reached for gpt-4o on tokens per min. Please "
                        + "try again in 6.57s.\",\"param\":null}}");
        ProviderError e = r.answer.errors().getFirst();
        assertThat(e.code()).isEqualTo("rate_limit_exceeded");
        assertThat(e.message()).startsWith("Rate limit reached");
        assertThat(e.rateLimited()).isTrue();
        assertThat(e.retryAfterMillis()).isEqualTo(6570);
        assertThat(e.limit()).isEqualTo("tokens");
    }

    @Test
    void openAiRateLimitChunk_midStream_isARateLimit() {
        Recorder r = new Recorder();
        StreamDecoder d = decoder(ClientApi.OPENAI_CHAT, r);
        feed(
                d,
                "{\"error\":{\"message\":\"Rate limit reached. Please try again in 1.2s.\",\"type\":\"tokens\","
                        + "\"param\":null,\"code\":\"rate_limit_exceeded\"}}");
        ProviderError e = r.answer.errors().getFirst();
        assertThat(e.status()).isEqualTo(429);
        assertThat(e.rateLimited()).isTrue();
        assertThat(e.limit()).isEqualTo("tokens");
        assertThat(e.retryAfterMillis()).isEqualTo(1200);
    }

    @Test
    void geminiErrorChunk_midStream() {
        Recorder r = new Recorder();
        StreamDecoder d = decoder(ClientApi.GEMINI, r);
        feed(
                d,
                "{\"error\": {\"code\": 500, \"message\": \"An internal error has occurred.\", \"status\": \"INTERNAL\"}}");

        assertThat(r.answer.errors())
                .containsExactly(new ProviderError(500, "INTERNAL", null, "An internal error has occurred.", -1, null));
    }

    @Test
    void simulatorsMalformedFaultFrames_areMalformed() {
        assertThatThrownBy(
                        () -> feed(
                                decoder(ClientApi.OPENAI_CHAT, new AnswerBuilder()),
                                "{\"id\":\"chatcmpl-\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"delta\":{\"content\":"))
                .isInstanceOf(MalformedAnswerException.class);
        assertThatThrownBy(() -> feed(
                        decoder(ClientApi.OPENAI_RESPONSES, new AnswerBuilder()),
                        "{\"type\":\"response.output_text.delta\",\"item_id\":"))
                .isInstanceOf(MalformedAnswerException.class);
        assertThatThrownBy(() -> feed(
                        decoder(ClientApi.GEMINI, new AnswerBuilder()),
                        "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":"))
                .isInstanceOf(MalformedAnswerException.class);
    }

    @ParameterizedTest
    @EnumSource(
            value = ClientApi.class,
            names = {"OPENAI_EMBEDDINGS"},
            mode = EnumSource.Mode.EXCLUDE)
    void wholeAnswer_cutInTheMiddle_isMalformed(ClientApi api) {
        byte[] body = ANSWER.whole(api);
        for (int len : new int[] {0, 1, body.length / 2, body.length - 1}) {
            assertThatThrownBy(() -> api.codec().decode(body, 0, len, new AnswerBuilder()))
                    .as("%d of %d bytes", len, body.length)
                    .isInstanceOf(MalformedAnswerException.class);
        }
        byte[] twice = (new String(body, StandardCharsets.UTF_8) + "{}").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> api.codec().decode(twice, 0, twice.length, new AnswerBuilder()))
                .hasMessageEndingWith(": more than one JSON value")
                .hasMessageNotContaining("answer: a");
    }

    // ------------------------------------------------------------------ error bodies

    @Test
    void openAiRateLimitBody_saysWhenAndWhichLimit() {
        // the shape of OpenAI's documented 429 for a tokens-per-minute limit
        byte[] body =
                utf8("{\"error\":{\"message\":\"Rate limit reached for gpt-4o in organization org-abc on tokens per"
                        + " min (TPM): Limit 30000, Used 29844, Requested 1024. Please try again in 1.736s. Visit"
                        + " https://platform.openai.com/account/rate-limits to learn more.\",\"type\":\"tokens\",\"param\":null,"
                        + "\"code\":\"rate_limit_exceeded\"}}");
        for (ClientApi api : List.of(
                ClientApi.OPENAI_CHAT,
                ClientApi.OPENAI_COMPLETIONS,
                ClientApi.OPENAI_EMBEDDINGS,
                ClientApi.OPENAI_RESPONSES)) {
            ProviderError e = api.codec().error(429, body, 0, body.length);
            assertThat(e.status()).isEqualTo(429);
            assertThat(e.type()).isEqualTo("tokens");
            assertThat(e.code()).isEqualTo("rate_limit_exceeded");
            assertThat(e.retryAfterMillis()).isEqualTo(1736);
            assertThat(e.limit()).isEqualTo("tokens");
            assertThat(e.rateLimited()).isTrue();
        }
        byte[] quota = utf8(
                "{\"error\":{\"message\":\"You exceeded your current quota, please check your plan and billing"
                        + " details.\",\"type\":\"insufficient_quota\",\"param\":null,\"code\":\"insufficient_quota\"}}");
        ProviderError q = ClientApi.OPENAI_CHAT.codec().error(429, quota, 0, quota.length);
        assertThat(q.code()).isEqualTo("insufficient_quota");
        assertThat(q.limit()).isNull();
        assertThat(q.retryAfterMillis()).isEqualTo(-1);
    }

    @Test
    void simulatorsErrorBodies_decodeOnEveryApi() {
        ByteArrayOutputStream openAi = new ByteArrayOutputStream();
        OpenAiResponses.writeError(openAi, ApiException.modelNotFound("gpt-x"));
        byte[] b = openAi.toByteArray();
        assertThat(ClientApi.OPENAI_CHAT.codec().error(404, b, 0, b.length))
                .isEqualTo(new ProviderError(
                        404,
                        "invalid_request_error",
                        "model_not_found",
                        "The model `gpt-x` does not exist or you do not have access to it.",
                        -1,
                        null));

        ByteArrayOutputStream anthropic = new ByteArrayOutputStream();
        AnthropicResponses.writeError(anthropic, 429, "Number of requests has exceeded your rate limit", "req_1");
        b = anthropic.toByteArray();
        assertThat(ClientApi.ANTHROPIC_MESSAGES.codec().error(429, b, 0, b.length))
                .isEqualTo(new ProviderError(
                        429, "rate_limit_error", null, "Number of requests has exceeded your rate limit", -1, null));

        ByteArrayOutputStream gemini = new ByteArrayOutputStream();
        GeminiResponses.writeError(gemini, 400, "Invalid JSON payload received.");
        b = gemini.toByteArray();
        assertThat(ClientApi.GEMINI.codec().error(400, b, 0, b.length))
                .isEqualTo(
                        new ProviderError(400, "INVALID_ARGUMENT", null, "Invalid JSON payload received.", -1, null));
    }

    @Test
    void geminiQuotaBody_saysWhenAndWhichQuota_alsoInVertexsArray() {
        String error =
                "{\"error\": {\"code\": 429, \"message\": \"You exceeded your current quota, please check your plan"
                        + " and billing details.\", \"status\": \"RESOURCE_EXHAUSTED\", \"details\": [{\"@type\":"
                        + " \"type.googleapis.com/google.rpc.QuotaFailure\", \"violations\": [{\"quotaMetric\":"
                        + " \"generativelanguage.googleapis.com/generate_content_free_tier_requests\", \"quotaId\":"
                        + " \"GenerateRequestsPerMinutePerProjectPerModel-FreeTier\", \"quotaDimensions\": {\"location\":"
                        + " \"global\", \"model\": \"gemini-2.5-flash\"}, \"quotaValue\": \"10\"}]}, {\"@type\":"
                        + " \"type.googleapis.com/google.rpc.Help\", \"links\": [{\"description\": \"Learn more about Gemini API"
                        + " quotas\", \"url\": \"https://ai.google.dev/gemini-api/docs/rate-limits\"}]}, {\"@type\":"
                        + " \"type.googleapis.com/google.rpc.RetryInfo\", \"retryDelay\": \"43.5s\"}]}}";
        for (String body : List.of(error, "[" + error + "\n]")) {
            byte[] b = utf8(body);
            ProviderError e = ClientApi.GEMINI.codec().error(429, b, 0, b.length);
            assertThat(e.type()).isEqualTo("RESOURCE_EXHAUSTED");
            assertThat(e.retryAfterMillis()).isEqualTo(43_500);
            assertThat(e.limit()).isEqualTo("GenerateRequestsPerMinutePerProjectPerModel-FreeTier");
            assertThat(e.message()).startsWith("You exceeded your current quota");
        }
    }

    @ParameterizedTest
    @EnumSource(ClientApi.class)
    void errorBodyThatIsNotJson_givesItsFirstLine(ClientApi api) {
        byte[] b = utf8("<html>\n<head><title>502 Bad Gateway</title></head>\n</html>");
        assertThat(api.codec().error(502, b, 0, b.length))
                .isEqualTo(new ProviderError(502, null, null, "<html>", -1, null));
        byte[] empty = new byte[0];
        assertThat(api.codec().error(503, empty, 0, 0).message()).isEmpty();
    }

    // ------------------------------------------------------------------ embeddings

    @Test
    void embeddingsAnswer_countsVectorsAndDimensions_floatAndBase64() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<OpenAiResponses.Embedding> vectors = List.of(
                new OpenAiResponses.Embedding(new float[] {0.1f, 0.2f, 0.3f}),
                new OpenAiResponses.Embedding(new float[] {1, 2, 3}));
        OpenAiResponses.writeEmbeddings(out, "text-embedding-3-small", vectors, false, 7);
        byte[] b = out.toByteArray();
        assertThat(ClientApi.OPENAI_EMBEDDINGS.codec().embeddings(b, 0, b.length))
                .isEqualTo(new EmbeddingsAnswer(2, 3, 7));

        out.reset();
        OpenAiResponses.writeEmbeddings(out, "text-embedding-3-small", vectors.subList(0, 1), true, 4);
        b = out.toByteArray();
        assertThat(ClientApi.OPENAI_EMBEDDINGS.codec().embeddings(b, 0, b.length))
                .isEqualTo(new EmbeddingsAnswer(1, 3, 4));

        byte[] cut = java.util.Arrays.copyOf(b, b.length / 2);
        assertThatThrownBy(() -> ClientApi.OPENAI_EMBEDDINGS.codec().embeddings(cut, 0, cut.length))
                .isInstanceOf(MalformedAnswerException.class)
                .hasMessageStartingWith("an embeddings answer");
        byte[] noData = utf8("{\"object\":\"list\"}");
        assertThatThrownBy(() -> ClientApi.OPENAI_EMBEDDINGS.codec().embeddings(noData, 0, noData.length))
                .hasMessage("an embeddings answer: no data");
    }
}
