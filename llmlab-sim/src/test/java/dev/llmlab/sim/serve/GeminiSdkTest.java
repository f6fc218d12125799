package dev.llmlab.sim.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.types.CountTokensResponse;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.HttpOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Google's official Gen AI Java SDK, unchanged, against the simulator's Gemini API. */
class GeminiSdkTest {
    static SimHarness h;
    static Client client;

    @BeforeAll
    static void start() {
        h = SimHarness.start("models: [{id: gemini-2.5-flash, output_tokens: \"500\"}]");
        client = Client.builder()
                .apiKey("g-test-key")
                .httpOptions(HttpOptions.builder().baseUrl(h.url("/")).build())
                .build();
    }

    @AfterAll
    static void stop() {
        client.close();
        h.close();
    }

    private static GenerateContentConfig config() {
        return GenerateContentConfig.builder().maxOutputTokens(12).build();
    }

    @Test
    void generateContent() {
        GenerateContentResponse r = client.models.generateContent("gemini-2.5-flash", "Say this is a test", config());
        assertThat(r.text()).isNotBlank();
        assertThat(r.usageMetadata())
                .hasValueSatisfying(u -> assertThat(u.candidatesTokenCount()).hasValue(12));
        assertThat(r.finishReason().toString()).isEqualTo("MAX_TOKENS");
    }

    @Test
    void generateContentStream() {
        StringBuilder text = new StringBuilder();
        int chunks = 0;
        try (ResponseStream<GenerateContentResponse> s =
                client.models.generateContentStream("gemini-2.5-flash", "Say this is a test", config())) {
            for (GenerateContentResponse chunk : s) {
                chunks++;
                if (chunk.text() != null) text.append(chunk.text());
            }
        }
        assertThat(chunks).isEqualTo(13);
        assertThat(text.toString()).isNotBlank();
    }

    @Test
    void countTokens() {
        CountTokensResponse c = client.models.countTokens("gemini-2.5-flash", "Say this is a test", null);
        assertThat(c.totalTokens()).hasValueSatisfying(n -> assertThat(n).isPositive());
    }

    @Test
    void unknownModel_isAnSdkError() {
        assertThatThrownBy(() -> client.models.generateContent("gemini-nonexistent", "x", config()))
                .hasMessageContaining("404");
    }
}
