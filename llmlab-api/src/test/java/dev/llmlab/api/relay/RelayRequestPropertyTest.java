package dev.llmlab.api.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.GenerationRequest.Endpoint;
import dev.llmlab.api.Message;
import dev.llmlab.api.ResponseFormat;
import dev.llmlab.api.Tool;
import dev.llmlab.api.ToolCall;
import dev.llmlab.api.ToolChoice;
import dev.llmlab.api.anthropic.AnthropicRequests;
import dev.llmlab.api.client.ClientApi;
import dev.llmlab.api.client.ClientRequest;
import dev.llmlab.api.gemini.GeminiRequests;
import dev.llmlab.api.openai.OpenAiRequests;
import dev.llmlab.api.openai.ResponsesRequests;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A seeded random request, written in client API A (by A's client codec), translated for provider
 * API B, and read back by B's server parser, means what A's parser read: the system prompt, the
 * conversation with its tool calls (same JSON arguments) and tool results, the tools and the tool
 * choice, the output cap, stop sequences, the temperature and the stream flag. Every ordered pair
 * of the four chat-shaped APIs.
 */
class RelayRequestPropertyTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<ClientApi> APIS =
            List.of(ClientApi.OPENAI_CHAT, ClientApi.OPENAI_RESPONSES, ClientApi.ANTHROPIC_MESSAGES, ClientApi.GEMINI);
    private static final String[] WORDS = {
        "weather", "Paris", "ünïcode", "\"quoted\"", "line\nbreak", "🌍", "42", "tab\t"
    };

    @Test
    void request_randomConversations_keepTheirMeaningAcrossEveryPair() {
        SplittableRandom rnd = new SplittableRandom(20_261_207L);
        int checked = 0;
        for (int round = 0; round < 60; round++) {
            for (ClientApi a : APIS) {
                for (ClientApi b : APIS) {
                    if (a == b) continue;
                    GenerationRequest r =
                            random(rnd, a == ClientApi.OPENAI_RESPONSES || b == ClientApi.OPENAI_RESPONSES);
                    check(r, a, b, "round " + round + " " + a.flag() + " -> " + b.flag());
                    checked++;
                }
            }
        }
        assertThat(checked).isEqualTo(60 * 12);
    }

    private static void check(GenerationRequest r, ClientApi a, ClientApi b, String as) {
        ClientRequest ingressBody = a.codec().request(r, null);
        Ingress in = a == ClientApi.GEMINI ? Ingress.gemini("client-model", r.stream(), true) : Ingress.of(a);
        byte[] body = ingressBody.body();
        GenerationRequest seen = parse(a, body, r.stream());
        Translation t = Relay.request(in, body, 0, body.length, b, "provider-model", "k");
        GenerationRequest sent = parse(b, t.request().body(), r.stream());
        assertThat(meaning(sent)).as(as).isEqualTo(meaning(seen));
        if (b == ClientApi.GEMINI) assertThat(t.request().path()).as(as).startsWith("/models/provider-model:");
        else assertThat(sent.model()).as(as).isEqualTo("provider-model");
    }

    private static GenerationRequest parse(ClientApi api, byte[] body, boolean stream) {
        return switch (api) {
            case OPENAI_CHAT -> OpenAiRequests.parseChat(OpenAiRequests.readBody(body, 0, body.length));
            case OPENAI_RESPONSES -> ResponsesRequests.parse(OpenAiRequests.readBody(body, 0, body.length));
            case ANTHROPIC_MESSAGES ->
                AnthropicRequests.parseMessages(AnthropicRequests.readBody(body, 0, body.length));
            case GEMINI ->
                GeminiRequests.parseGenerate(GeminiRequests.readBody(body, 0, body.length), "provider-model", stream);
            default -> throw new IllegalArgumentException(api.flag());
        };
    }

    /** What must survive: roles, texts, calls (arguments as JSON), results, tools, choice, cap, stops, sampling. */
    private static List<Object> meaning(GenerationRequest r) {
        List<Object> m = new ArrayList<>();
        StringBuilder system = new StringBuilder();
        for (Message msg : r.messages()) {
            if (msg.role().equals("system") || msg.role().equals("developer")) {
                system.append(msg.content()).append('|');
                continue;
            }
            List<Object> calls = new ArrayList<>();
            for (ToolCall c : msg.toolCalls()) calls.add(List.of(c.id(), c.name(), JSON.readTree(c.arguments())));
            m.add(List.of(msg.role(), msg.content(), msg.role().equals("tool") ? msg.toolCallId() : "", calls));
        }
        m.add(system.toString());
        List<Object> tools = new ArrayList<>();
        for (Tool t : r.tools()) tools.add(List.of(t.name(), String.valueOf(t.description()), t.parameters()));
        m.add(tools);
        m.add(r.toolChoice());
        m.add(r.maxTokens());
        m.add(r.stop());
        m.add(Double.isNaN(r.temperature()) ? "unset" : r.temperature());
        m.add(r.stream());
        return m;
    }

    private static String text(SplittableRandom rnd) {
        StringBuilder b = new StringBuilder(WORDS[rnd.nextInt(WORDS.length)]);
        int n = rnd.nextInt(4);
        for (int i = 0; i < n; i++) b.append(' ').append(WORDS[rnd.nextInt(WORDS.length)]);
        return b.toString();
    }

    private static GenerationRequest random(SplittableRandom rnd, boolean responses) {
        List<Tool> tools = new ArrayList<>();
        int nTools = rnd.nextInt(3);
        for (int i = 0; i < nTools; i++) {
            JsonNode schema = JSON.readTree("{\"type\":\"object\",\"properties\":{\"p" + i
                    + "\":{\"type\":\"string\"}},\"required\":[\"p" + i + "\"]}");
            tools.add(new Tool("tool_" + i, rnd.nextBoolean() ? "does " + i : null, schema, false));
        }
        List<Message> messages = new ArrayList<>();
        if (rnd.nextBoolean()) messages.add(Message.of("system", text(rnd)));
        messages.add(Message.of("user", text(rnd)));
        if (!tools.isEmpty() && rnd.nextBoolean()) {
            int calls = 1 + rnd.nextInt(2);
            List<ToolCall> made = new ArrayList<>();
            for (int c = 0; c < calls; c++) {
                Tool t = tools.get(rnd.nextInt(tools.size()));
                String arg = t.parameters().get("required").get(0).stringValue();
                made.add(new ToolCall(
                        "call_" + rnd.nextInt(1_000_000),
                        t.name(),
                        JSON.writeValueAsString(java.util.Map.of(arg, text(rnd)))));
            }
            messages.add(new Message("assistant", rnd.nextBoolean() ? text(rnd) : "", null, null, null, made));
            for (ToolCall c : made) messages.add(Message.toolResult(c.id(), c.name(), text(rnd)));
        }
        messages.add(Message.of("user", text(rnd)));
        ToolChoice choice = tools.isEmpty()
                ? ToolChoice.NONE
                : switch (rnd.nextInt(3)) {
                    case 0 -> ToolChoice.AUTO;
                    case 1 -> ToolChoice.REQUIRED;
                    default ->
                        ToolChoice.named(tools.get(rnd.nextInt(tools.size())).name());
                };
        List<String> stop = new ArrayList<>();
        if (!responses) for (int i = rnd.nextInt(3); i > 0; i--) stop.add("STOP" + i);
        double temperature = rnd.nextBoolean() ? Double.NaN : rnd.nextInt(11) / 10.0;
        boolean stream = rnd.nextBoolean();
        return new GenerationRequest(
                Endpoint.CHAT,
                "client-model",
                List.copyOf(messages),
                List.of(),
                16 + rnd.nextInt(2000),
                1,
                List.copyOf(stop),
                null,
                temperature,
                Double.NaN,
                stream,
                stream,
                List.copyOf(tools),
                choice,
                true,
                ResponseFormat.TEXT,
                false,
                0,
                false,
                null);
    }
}
