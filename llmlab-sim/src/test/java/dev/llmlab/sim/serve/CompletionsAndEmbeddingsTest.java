package dev.llmlab.sim.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class CompletionsAndEmbeddingsTest {
    static SimHarness h;

    @BeforeAll
    static void start() {
        h = SimHarness.start();
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    void completion_matchesTheApiReferenceShape() {
        var r = h.post("/v1/completions", """
        {"model":"gpt-3.5-turbo-instruct","prompt":"Say this is a test","max_tokens":7,"temperature":0}""");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Golden.assertMatches(r.body(), "completion.json");
    }

    @Test
    void completion_defaultsTo16Tokens_andEchoPrependsThePrompt() {
        JsonNode r = SimHarness.json(h.post("/v1/completions", """
        {"model":"gpt-3.5-turbo-instruct","prompt":"Once upon a time","echo":true,"seed":1}""").body());
        assertThat(r.at("/usage/completion_tokens").intValue()).isEqualTo(16);
        assertThat(r.at("/choices/0/text").stringValue()).startsWith("Once upon a time");
    }

    @Test
    void completion_promptArray_yieldsChoicesPerPromptAndN() {
        JsonNode r = SimHarness.json(h.post("/v1/completions", """
        {"model":"gpt-3.5-turbo-instruct","prompt":["a","b"],"n":2,"max_tokens":3}""").body());
        assertThat(r.get("choices")).hasSize(4);
        assertThat(r.at("/usage/completion_tokens").intValue()).isEqualTo(12);
        assertThat(r.at("/usage/prompt_tokens").intValue()).isEqualTo(2);
    }

    @Test
    void completion_tokenArrayPrompt_countsItsLength() {
        JsonNode r = SimHarness.json(h.post("/v1/completions", """
        {"model":"gpt-3.5-turbo-instruct","prompt":[1212,318,257,1332],"max_tokens":2}""").body());
        assertThat(r.at("/usage/prompt_tokens").intValue()).isEqualTo(4);
    }

    @Test
    void completion_stream_framesAndUsage() {
        List<String> data = h.stream("/v1/completions", """
        {"model":"gpt-3.5-turbo-instruct","prompt":"Say this is a test","max_tokens":7,"stream":true,
         "stream_options":{"include_usage":true}}""");
        assertThat(data.getLast()).isEqualTo("[DONE]");
        Golden.assertMatches(data.get(0).replace(",\"usage\":null", ""), "completion_chunk.json");
        JsonNode usage = SimHarness.json(data.get(data.size() - 2));
        assertThat(usage.get("choices")).isEmpty();
        assertThat(usage.at("/usage/completion_tokens").intValue()).isEqualTo(7);
        assertThat(SimHarness.json(data.get(data.size() - 3))
                        .at("/choices/0/finish_reason")
                        .stringValue())
                .isEqualTo("length");
    }

    @Test
    void embeddings_matchTheApiReferenceShape() {
        var r = h.post("/v1/embeddings", """
        {"model":"text-embedding-3-small","input":"The food was delicious and the waiter...","dimensions":3}""");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Golden.assertMatches(r.body(), "embedding.json");
    }

    @Test
    void embeddings_areDeterministicNormalisedAndDistinct() {
        float[] a = vector("{\"model\":\"text-embedding-3-small\",\"input\":\"alpha\"}", 0);
        float[] a2 = vector("{\"model\":\"text-embedding-3-small\",\"input\":[\"beta\",\"alpha\"]}", 1);
        float[] b = vector("{\"model\":\"text-embedding-3-small\",\"input\":\"beta\"}", 0);
        assertThat(a).hasSize(1536).containsExactly(a2);
        assertThat(norm(a)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(Math.abs(dot(a, b))).isLessThan(0.2);
    }

    @Test
    void embeddings_dimensionsTruncateAndRenormalise_base64IsLittleEndianFloats() {
        float[] full = vector("{\"model\":\"text-embedding-3-large\",\"input\":\"x\"}", 0);
        float[] small = vector("{\"model\":\"text-embedding-3-large\",\"input\":\"x\",\"dimensions\":256}", 0);
        assertThat(full).hasSize(3072);
        assertThat(small).hasSize(256);
        assertThat(norm(small)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        double scale = small[0] / full[0];
        assertThat(small[10] / full[10]).isCloseTo((float) scale, org.assertj.core.data.Offset.offset(1e-3f));

        JsonNode r = SimHarness.json(h.post(
                        "/v1/embeddings",
                        "{\"model\":\"text-embedding-3-large\",\"input\":\"x\",\"dimensions\":256,\"encoding_format\":\"base64\"}")
                .body());
        ByteBuffer bb = ByteBuffer.wrap(
                        Base64.getDecoder().decode(r.at("/data/0/embedding").stringValue()))
                .order(ByteOrder.LITTLE_ENDIAN);
        assertThat(bb.remaining()).isEqualTo(256 * 4);
        for (float f : small) assertThat(bb.getFloat()).isEqualTo(f);
    }

    @Test
    void embeddings_tokenArraysAndErrors() {
        assertThat(h.post("/v1/embeddings", "{\"model\":\"text-embedding-3-small\",\"input\":[[1,2,3],[4,5]]}")
                        .statusCode())
                .isEqualTo(200);
        var ada = h.post("/v1/embeddings", "{\"model\":\"text-embedding-ada-002\",\"input\":\"x\",\"dimensions\":8}");
        assertThat(ada.statusCode()).isEqualTo(400);
        assertThat(SimHarness.json(ada.body()).at("/error/param").stringValue()).isEqualTo("dimensions");
        var chatModel = h.post("/v1/embeddings", "{\"model\":\"gpt-4o\",\"input\":\"x\"}");
        assertThat(chatModel.statusCode()).isEqualTo(400);
        var empty = h.post("/v1/embeddings", "{\"model\":\"text-embedding-3-small\",\"input\":\"\"}");
        assertThat(empty.statusCode()).isEqualTo(400);
        var tooLong = h.post(
                "/v1/embeddings", "{\"model\":\"text-embedding-3-small\",\"input\":\"" + "word ".repeat(9000) + "\"}");
        assertThat(SimHarness.json(tooLong.body()).at("/error/code").stringValue())
                .isEqualTo("context_length_exceeded");
    }

    private static float[] vector(String body, int index) {
        var r = h.post("/v1/embeddings", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode e = SimHarness.json(r.body()).at("/data/" + index + "/embedding");
        float[] v = new float[e.size()];
        for (int i = 0; i < v.length; i++) v[i] = e.get(i).floatValue();
        return v;
    }

    private static double norm(float[] v) {
        return Math.sqrt(dot(v, v));
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (double) a[i] * b[i];
        return s;
    }
}
