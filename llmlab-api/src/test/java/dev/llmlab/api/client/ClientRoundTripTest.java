package dev.llmlab.api.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.api.Choice;
import dev.llmlab.api.Completion;
import dev.llmlab.api.FinishReason;
import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.GenerationRequest.Endpoint;
import dev.llmlab.api.ToolCall;
import dev.llmlab.api.Usage;
import dev.llmlab.api.anthropic.AnthropicResponses;
import dev.llmlab.api.client.Simulated.Planned;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The simulator's encoders into the client's decoders, for every API, streamed and whole: the same
 * text, tool calls (ids, names, arguments), usage (cached tokens included) and finish reasons
 * (length; stop, with the stop sequence where the API reports one; tool calls) come back.
 */
class ClientRoundTripTest {
    private static final Usage USAGE = new Usage(120, 9, 64);

    private static final Simulated TEXT_WITH_STOP_SEQUENCE = new Simulated(
            List.of(Planned.text(FinishReason.STOP, "END", "Hello", ",", " wörld", " \"quoted\"\\", "\n\ttab", " 🎉")),
            USAGE);
    private static final Simulated CAPPED = new Simulated(
            List.of(Planned.text(FinishReason.LENGTH, null, "The", " quick", " brown")), new Usage(7, 3, 0));
    private static final Simulated TOOL_CALL = new Simulated(
            List.of(Planned.call("call_AbC123xyz", "get_weather", "{\"city\":", "\"Paris\",", "\"unit\":\"°C\"}")),
            USAGE);
    private static final Simulated TWO_CHOICES = new Simulated(
            List.of(
                    Planned.text(FinishReason.STOP, null, "One", " two", " three"),
                    Planned.call("call_Zz9", "lookup", "{\"q\":", "\"x\"}")),
            new Usage(30, 11, 0));
    private static final Simulated TWO_TEXTS = new Simulated(
            List.of(
                    Planned.text(FinishReason.STOP, null, "alpha"),
                    Planned.text(FinishReason.LENGTH, null, "beta", " gamma")),
            new Usage(30, 3, 0));

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (ClientApi api : ClientApi.values()) {
            if (!api.generates()) continue;
            for (boolean stream : new boolean[] {true, false}) {
                out.add(Arguments.of(api, stream, "text ending on a stop sequence", TEXT_WITH_STOP_SEQUENCE));
                out.add(Arguments.of(api, stream, "capped by the length", CAPPED));
                if (api != ClientApi.OPENAI_COMPLETIONS) out.add(Arguments.of(api, stream, "a tool call", TOOL_CALL));
                if (api == ClientApi.OPENAI_CHAT || api == ClientApi.GEMINI)
                    out.add(Arguments.of(api, stream, "text and a call, two choices", TWO_CHOICES));
                if (api == ClientApi.OPENAI_COMPLETIONS) out.add(Arguments.of(api, stream, "two choices", TWO_TEXTS));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} stream={1}: {2}")
    @MethodSource("cases")
    void decode_simulatorAnswer_givesItBack(ClientApi api, boolean stream, String name, Simulated answer) {
        AnswerBuilder got = decode(api, stream, answer);

        Completion c = got.completion();
        assertThat(c.choices()).isEqualTo(expectedChoices(api, answer));
        assertThat(c.usage()).isEqualTo(answer.usage());
        assertThat(c.model()).isEqualTo(Simulated.MODEL);
        assertThat(c.id()).isNotBlank();
        assertThat(got.errors()).isEmpty();
        assertThat(got.ended()).isTrue();
    }

    static AnswerBuilder decode(ClientApi api, boolean stream, Simulated answer) {
        ClientCodec codec = api.codec();
        AnswerBuilder got = new AnswerBuilder();
        if (stream) {
            GenerationRequest req = answer.request(endpoint(api), true);
            StreamDecoder decoder = codec.streamDecoder(req, got);
            List<byte[]> events = Simulated.events(answer.stream(api));
            for (int i = 0; i < events.size(); i++) {
                byte[] e = events.get(i);
                boolean end = decoder.event(e, 0, e.length);
                assertThat(end).as("only the last event ends the stream").isEqualTo(i == events.size() - 1);
            }
            assertThat(decoder.ended()).isTrue();
        } else {
            byte[] body = answer.whole(api);
            codec.decode(body, 0, body.length, got);
        }
        return got;
    }

    static Endpoint endpoint(ClientApi api) {
        return switch (api) {
            case OPENAI_CHAT -> Endpoint.CHAT;
            case OPENAI_COMPLETIONS -> Endpoint.COMPLETION;
            case OPENAI_RESPONSES -> Endpoint.RESPONSES;
            case ANTHROPIC_MESSAGES -> Endpoint.MESSAGES;
            default -> Endpoint.GEMINI;
        };
    }

    /**
     * What each API can say back: Anthropic's tool ids are the simulator's with the {@code toolu_}
     * prefix, and only Anthropic reports the stop sequence that ended a choice.
     */
    static List<Choice> expectedChoices(ClientApi api, Simulated answer) {
        List<Choice> out = new ArrayList<>();
        for (int k = 0; k < answer.choices().size(); k++) {
            Planned p = answer.choices().get(k);
            String stop = api == ClientApi.ANTHROPIC_MESSAGES ? p.stopSequence() : null;
            if (p.isCall()) {
                String id = api == ClientApi.ANTHROPIC_MESSAGES ? AnthropicResponses.toolUseId(p.callId()) : p.callId();
                out.add(new Choice(
                        k, null, List.of(new ToolCall(id, p.toolName(), p.joined())), p.reason(), null, stop));
            } else {
                out.add(new Choice(k, p.joined(), List.of(), p.reason(), null, stop));
            }
        }
        return out;
    }
}
