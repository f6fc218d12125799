package dev.llmlab.sim.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.models.ChatModel;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.embeddings.EmbeddingModel;
import com.openai.models.models.Model;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java SDK, unchanged, against the simulator. */
class OpenAiSdkTest {
    static SimHarness h;
    static OpenAIClient client;

    @BeforeAll
    static void start() {
        h = SimHarness.start();
        client = OpenAIOkHttpClient.builder()
                .baseUrl(h.url("/v1"))
                .apiKey("sk-test")
                .maxRetries(0)
                .build();
    }

    @AfterAll
    static void stop() {
        client.close();
        h.close();
    }

    private static ChatCompletionCreateParams.Builder hello() {
        return ChatCompletionCreateParams.builder()
                .model(ChatModel.GPT_4O)
                .addUserMessage("Say this is a test")
                .maxCompletionTokens(12)
                .seed(11);
    }

    @Test
    void chat_nonStream() {
        ChatCompletion c = client.chat().completions().create(hello().build());
        assertThat(c.model()).isEqualTo("gpt-4o");
        assertThat(c.choices()).hasSize(1);
        assertThat(c.choices().getFirst().message().content())
                .hasValueSatisfying(s -> assertThat(s).isNotBlank());
        assertThat(c.usage()).hasValueSatisfying(u -> {
            assertThat(u.completionTokens()).isEqualTo(12);
            assertThat(u.totalTokens()).isEqualTo(u.promptTokens() + 12);
        });
        assertThat(c.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.LENGTH);
    }

    @Test
    void chat_stream_sameTextAsNonStream_withUsage() {
        String whole = client.chat()
                .completions()
                .create(hello().build())
                .choices()
                .getFirst()
                .message()
                .content()
                .orElseThrow();
        StringBuilder text = new StringBuilder();
        List<Long> usage = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> s = client.chat()
                .completions()
                .createStreaming(hello().streamOptions(ChatCompletionStreamOptions.builder()
                                .includeUsage(true)
                                .build())
                        .build())) {
            s.stream().forEach(chunk -> {
                chunk.choices().forEach(ch -> ch.delta().content().ifPresent(text::append));
                chunk.usage().ifPresent(u -> usage.add(u.completionTokens()));
            });
        }
        assertThat(text.toString()).isEqualTo(whole);
        assertThat(usage).containsExactly(12L);
    }

    @Test
    void embeddings() {
        CreateEmbeddingResponse r = client.embeddings()
                .create(EmbeddingCreateParams.builder()
                        .model(EmbeddingModel.TEXT_EMBEDDING_3_SMALL)
                        .input("The food was delicious")
                        .dimensions(64)
                        .build());
        assertThat(r.data()).hasSize(1);
        assertThat(r.data().getFirst().embedding()).hasSize(64);
        assertThat(r.usage().promptTokens()).isEqualTo(4);
    }

    @Test
    void models_listRetrieveAndNotFound() {
        Set<String> ids = client.models().list().data().stream().map(Model::id).collect(Collectors.toSet());
        assertThat(ids).contains("gpt-4o", "text-embedding-3-large");
        assertThat(client.models().retrieve("gpt-4o-mini").id()).isEqualTo("gpt-4o-mini");
        assertThatThrownBy(() -> client.models().retrieve("nope")).isInstanceOf(NotFoundException.class);
    }

    /** Every chat model id the SDK knows is served, so apps can point at the simulator unchanged. */
    @Test
    void everyChatModelIdOfTheSdk_isServed() throws IllegalAccessException {
        List<String> missing = new ArrayList<>();
        for (Field f : ChatModel.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == ChatModel.class) {
                String id = ((ChatModel) f.get(null)).asString();
                if (h.get("/v1/models/" + id).statusCode() != 200) missing.add(id);
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void injectedFaults_reachTheSdkAsItsOwnExceptions() {
        assertThatThrownBy(() -> client.chat()
                        .completions()
                        .create(hello().putAdditionalHeader("X-Llmlab-Fault", "status=429")
                                .build()))
                .isInstanceOf(com.openai.errors.RateLimitException.class);
        assertThatThrownBy(() -> client.chat()
                        .completions()
                        .create(hello().putAdditionalHeader("X-Llmlab-Fault", "status=500")
                                .build()))
                .isInstanceOf(com.openai.errors.InternalServerException.class);
    }

    @Test
    void responses_nonStreamAndStream() {
        var params = com.openai.models.responses.ResponseCreateParams.builder()
                .model(ChatModel.GPT_4O)
                .instructions("Be brief.")
                .input("Say this is a test")
                .maxOutputTokens(16)
                .temperature(0.0)
                .build();
        com.openai.models.responses.Response r = client.responses().create(params);
        assertThat(r.id()).startsWith("resp_");
        // temperature 0 makes the reply deterministic, and this one is longer than the cap
        assertThat(r.status()).hasValue(com.openai.models.responses.ResponseStatus.INCOMPLETE);
        String text = r.output().stream()
                .flatMap(i -> i.message().stream())
                .flatMap(m -> m.content().stream())
                .flatMap(c -> c.outputText().stream())
                .map(com.openai.models.responses.ResponseOutputText::text)
                .collect(Collectors.joining());
        assertThat(text).isNotBlank();
        assertThat(r.usage())
                .hasValueSatisfying(u -> assertThat(u.outputTokens()).isEqualTo(16));

        var acc = com.openai.helpers.ResponseAccumulator.create();
        StringBuilder deltas = new StringBuilder();
        try (StreamResponse<com.openai.models.responses.ResponseStreamEvent> s =
                client.responses().createStreaming(params)) {
            s.stream().forEach(e -> {
                acc.accumulate(e);
                e.outputTextDelta().ifPresent(d -> deltas.append(d.delta()));
            });
        }
        com.openai.models.responses.Response streamed = acc.response();
        assertThat(deltas.toString()).isNotBlank();
        assertThat(streamed.usage())
                .hasValueSatisfying(u -> assertThat(u.outputTokens()).isEqualTo(16));
        assertThat(streamed.output().getFirst().message())
                .hasValueSatisfying(m -> assertThat(m.content().getFirst().outputText())
                        .hasValueSatisfying(t -> assertThat(t.text()).isEqualTo(deltas.toString())));
    }
}
