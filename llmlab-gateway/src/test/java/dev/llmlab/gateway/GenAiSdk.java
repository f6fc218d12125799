package dev.llmlab.gateway;

import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.types.Candidate;
import com.google.genai.types.Content;
import com.google.genai.types.FunctionCall;
import com.google.genai.types.FunctionCallingConfig;
import com.google.genai.types.FunctionCallingConfigMode;
import com.google.genai.types.FunctionDeclaration;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.Part;
import com.google.genai.types.Tool;
import com.google.genai.types.ToolConfig;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Google's Gen AI SDK in the Gemini Developer API's mode (an API key, no Vertex AI), with the
 * gateway's origin as its base URL. A stream is gathered as an application would: the text
 * pieces joined, the function calls collected, the last finish reason and usage kept.
 */
final class GenAiSdk implements SdkClient {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Client client;

    GenAiSdk(String gatewayOrigin, String apiKey) {
        client = Client.builder()
                .apiKey(apiKey)
                .vertexAI(false)
                .httpOptions(HttpOptions.builder().baseUrl(gatewayOrigin + "/").build())
                .build();
    }

    @Override
    public SdkReply text(String model, boolean stream) {
        return call(
                model,
                "Say this is a test",
                GenerateContentConfig.builder()
                        .systemInstruction(Content.fromParts(Part.fromText("Be brief.")))
                        .maxOutputTokens(MAX_TOKENS)
                        .build(),
                stream);
    }

    @Override
    public SdkReply tool(String model, boolean stream) {
        FunctionDeclaration weather = FunctionDeclaration.builder()
                .name(TOOL)
                .description("The weather in a city")
                .parametersJsonSchema(Map.of(
                        "type", "object",
                        "properties", Map.of("city", Map.of("type", "string")),
                        "required", List.of("city")))
                .build();
        return call(
                model,
                "Weather in Paris?",
                GenerateContentConfig.builder()
                        .maxOutputTokens(200)
                        .tools(Tool.builder().functionDeclarations(weather).build())
                        .toolConfig(ToolConfig.builder()
                                .functionCallingConfig(FunctionCallingConfig.builder()
                                        .mode(FunctionCallingConfigMode.Known.ANY)
                                        .build())
                                .build())
                        .build(),
                stream);
    }

    private SdkReply call(String model, String prompt, GenerateContentConfig config, boolean stream) {
        Gathered g = new Gathered();
        if (!stream) {
            g.add(client.models.generateContent(model, prompt, config));
        } else {
            try (ResponseStream<GenerateContentResponse> s =
                    client.models.generateContentStream(model, prompt, config)) {
                for (GenerateContentResponse chunk : s) g.add(chunk);
            }
        }
        return g.reply();
    }

    /** The pieces of one answer, from one response or from every chunk of a stream. */
    private static final class Gathered {
        final StringBuilder text = new StringBuilder();
        FunctionCall call;
        String finish;
        long input = -1;
        long output = -1;
        int events;

        void add(GenerateContentResponse r) {
            events++;
            Candidate first =
                    r.candidates().flatMap(cs -> cs.stream().findFirst()).orElse(null);
            if (first != null) {
                first.content()
                        .flatMap(Content::parts)
                        .ifPresent(parts -> parts.forEach(p -> {
                            p.text().ifPresent(text::append);
                            if (call == null) call = p.functionCall().orElse(null);
                        }));
                first.finishReason().ifPresent(f -> finish = f.toString());
            }
            r.usageMetadata().ifPresent(u -> {
                u.promptTokenCount().ifPresent(n -> input = n);
                u.candidatesTokenCount().ifPresent(n -> output = n);
            });
        }

        SdkReply reply() {
            return new SdkReply(
                    text.toString(),
                    call == null ? null : call.name().orElse(null),
                    call == null ? null : JSON.writeValueAsString(call.args().orElse(Map.of())),
                    finish,
                    input,
                    output,
                    events);
        }
    }

    @Override
    public String lengthFinish() {
        return "MAX_TOKENS";
    }

    @Override
    public String toolFinish() {
        return "STOP";
    }

    @Override
    public void close() {
        client.close();
    }
}
