package dev.llmlab.api.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.api.Choice;
import dev.llmlab.api.Completion;
import dev.llmlab.api.FinishReason;
import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.ToolCall;
import dev.llmlab.api.Usage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Recorded provider streams and answers (each fixture cites its source at its top) decoded to the
 * calls and the answer they hold.
 */
class GoldenFixturesTest {

    /** A fixture's body: the file without its leading {@code #} lines. */
    static byte[] fixture(String name) {
        try (InputStream in = GoldenFixturesTest.class.getResourceAsStream("/client/" + name)) {
            String s = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            while (s.startsWith("#")) s = s.substring(s.indexOf('\n') + 1);
            return s.getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final GenerationRequest ANY_REQUEST = new Simulated(
                    List.of(Simulated.Planned.text(FinishReason.STOP, null, "x")), new Usage(0, 0, 0))
            .request(GenerationRequest.Endpoint.GEMINI, true);

    /** Decodes a streamed fixture; checks that its last event, and only that one, ends it. */
    static Recorder stream(ClientApi api, String name, int choices) {
        Recorder r = new Recorder();
        GenerationRequest req = new Simulated(
                        java.util.Collections.nCopies(choices, Simulated.Planned.text(FinishReason.STOP, null, "x")),
                        new Usage(0, 0, 0))
                .request(ClientRoundTripTest.endpoint(api), true);
        StreamDecoder d = api.codec().streamDecoder(req, r);
        List<byte[]> events = Simulated.events(fixture(name));
        for (int i = 0; i < events.size(); i++) {
            byte[] e = events.get(i);
            assertThat(d.event(e, 0, e.length))
                    .as("event %d ends the stream", i)
                    .isEqualTo(i == events.size() - 1);
        }
        return r;
    }

    @Test
    void openAiChat_parallelToolCallsWithUsage() {
        Recorder r = stream(ClientApi.OPENAI_CHAT, "openai-chat-tool-calls.sse", 1);

        assertThat(r.outline())
                .containsExactly(
                        "response chatcmpl-CK0XBiHwsrgUyuIOsQJ7L2KjpG0pb gpt-4o-2024-08-06",
                        "tool 0 0 call_MBriMTSHw1UFtzQAduPP0Mkj add",
                        "tool 0 0",
                        "tool 0 1 call_7sVj20JsN3VYpXv8pZuLDruY multiply",
                        "tool 0 1",
                        "finish 0 TOOL_CALLS tool_calls null",
                        "usage 106 50 0",
                        "end");
        assertThat(r.answer.completion().choices())
                .containsExactly(new Choice(
                        0,
                        null,
                        List.of(
                                new ToolCall("call_MBriMTSHw1UFtzQAduPP0Mkj", "add", "{\"a\": 2, \"b\": 3}"),
                                new ToolCall("call_7sVj20JsN3VYpXv8pZuLDruY", "multiply", "{\"a\": 2, \"b\": 3}")),
                        FinishReason.TOOL_CALLS,
                        null,
                        null));
    }

    @Test
    void anthropic_textThenToolUse_withPings() {
        Recorder r = stream(ClientApi.ANTHROPIC_MESSAGES, "anthropic-text-tool-use.sse", 1);

        assertThat(r.outline())
                .containsExactly(
                        "response msg_01K2JbSUMYhez5RHoK9ZCj9U claude-haiku-4-5-20251001",
                        "usage 849 10 0",
                        "text 0",
                        "tool 0 0 toolu_01KFbKqPYSuAKujiL6mTfzYA json",
                        "tool 0 0",
                        "usage 849 47 0",
                        "finish 0 TOOL_CALLS tool_use null",
                        "end");
        Completion c = r.answer.completion();
        assertThat(c.choices().getFirst().text()).isEqualTo("I'll invoke the JSON response tool.");
        assertThat(c.choices().getFirst().toolCalls())
                .containsExactly(
                        new ToolCall(
                                "toolu_01KFbKqPYSuAKujiL6mTfzYA",
                                "json",
                                "{\"elements\": [{\"location\": \"San Francisco\", \"temperature\": 58, \"condition\": \"sunny\"}]}"));
    }

    @Test
    void anthropic_thinkingThenToolUse_paddedEvents() {
        Recorder r = stream(ClientApi.ANTHROPIC_MESSAGES, "anthropic-thinking-tool-use.sse", 1);

        assertThat(r.answer.reasoning(0))
                .isEqualTo("The user is asking for weather information for Florence, Italy. I have access to a weather"
                        + " function that takes a \"location\" parameter. The user has provided the location as"
                        + " \"Florence, Italy\" which is clear and specific. I have all the required parameters to"
                        + " make this function call.");
        Completion c = r.answer.completion();
        assertThat(c.choices().getFirst().toolCalls())
                .containsExactly(new ToolCall(
                        "toolu_0171KFcBwn1Z64XzvQfz3sZS", "weather", "{\"location\": \"Florence, Italy\"}"));
        assertThat(c.choices().getFirst().finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(c.usage()).isEqualTo(new Usage(423, 119, 0));
        assertThat(c.model()).isEqualTo("claude-sonnet-4-20250514");
    }

    @Test
    void anthropic_toolWithoutArguments_getsAnEmptyObject_streamedAndWhole() {
        Recorder streamed = stream(ClientApi.ANTHROPIC_MESSAGES, "anthropic-tool-no-args.sse", 1);
        Recorder whole = new Recorder();
        byte[] body = fixture("anthropic-tool-no-args.whole.txt");
        ClientApi.ANTHROPIC_MESSAGES.codec().decode(body, 0, body.length, whole);

        // Only what the wire carried: the block's start and its one empty piece, nothing at its stop
        // (a made-up "{}" there would be timed as output arriving at the block's end).
        assertThat(streamed.argumentPieces).containsExactly("", "");
        assertThat(streamed.outline())
                .containsSubsequence(
                        "tool 0 0 toolu_01QE1WLsSVp5hy5Q3GmGTmjP updateIssueList", "tool 0 0", "usage 565 48 0");

        assertThat(streamed.answer.completion().choices().getFirst().toolCalls())
                .containsExactly(new ToolCall("toolu_01QE1WLsSVp5hy5Q3GmGTmjP", "updateIssueList", "{}"));
        assertThat(whole.answer.completion().choices().getFirst().toolCalls())
                .containsExactly(new ToolCall("toolu_01LRmxn9vGM1d2DZSDBowdZ1", "updateIssueList", "{}"));
        assertThat(whole.answer.completion().choices().getFirst().text())
                .startsWith("<thinking>\nThe updateIssueList tool")
                .endsWith("Okay, I will update the current issue list:");
        assertThat(whole.outline())
                .containsExactly(
                        "response msg_01GCBaV8gyWAYgMVggRqZbuQ claude-3-opus-20240229",
                        "text 0",
                        "tool 0 0 toolu_01LRmxn9vGM1d2DZSDBowdZ1 updateIssueList",
                        "usage 602 93 0",
                        "finish 0 TOOL_CALLS tool_use null",
                        "end");
    }

    @Test
    void gemini_twoFunctionCallsInOneChunk_endTheStream() {
        Recorder r = stream(ClientApi.GEMINI, "gemini-function-calls.sse", 1);

        assertThat(r.outline())
                .containsExactly(
                        "response XNH5aLSAF8GznsEP9sXIsAs gemini-2.5-flash",
                        "tool 0 0 null add",
                        "tool 0 1 null multiply",
                        "usage 121 75 0",
                        "finish 0 TOOL_CALLS STOP null",
                        "end");
        assertThat(r.answer.completion().choices().getFirst().toolCalls())
                .containsExactly(
                        new ToolCall(null, "add", "{\"a\":2,\"b\":3}"),
                        new ToolCall(null, "multiply", "{\"b\":3,\"a\":2}"));
    }

    @Test
    void gemini_chunkAsAWholeAnswer_decodesAlike() {
        byte[] body = Simulated.events(fixture("gemini-function-calls.sse")).getFirst();
        Recorder r = new Recorder();
        ClientApi.GEMINI.codec().decode(body, 0, body.length, r);

        assertThat(r.answer.completion().choices().getFirst().toolCalls()).hasSize(2);
        assertThat(r.calls).last().isEqualTo("end");
    }

    @Test
    void gemini_textStream_endsWithTheFinishReason() {
        Recorder r = stream(ClientApi.GEMINI, "gemini-text.sse", 1);

        Completion c = r.answer.completion();
        assertThat(c.choices())
                .containsExactly(new Choice(
                        0,
                        "The sum of 2 and 3 is 5 and the product of 2 and 3 is 6.",
                        List.of(),
                        FinishReason.STOP,
                        null,
                        null));
        assertThat(c.usage()).isEqualTo(new Usage(181, 22, 0));
        assertThat(r.calls.stream().filter(x -> x.startsWith("usage"))).hasSize(3);
    }

    @Test
    void gemini_usageOnlyChunkAfterTheEnd_stillCounts() {
        Recorder r = stream(ClientApi.GEMINI, "gemini-text.sse", 1);
        StreamDecoder d = ClientApi.GEMINI.codec().streamDecoder(ANY_REQUEST, r);
        List<byte[]> events = Simulated.events(fixture("gemini-text.sse"));
        for (byte[] e : events) d.event(e, 0, e.length);
        byte[] usage = ("{\"usageMetadata\": {\"promptTokenCount\": 181,\"candidatesTokenCount\": 22,"
                        + "\"thoughtsTokenCount\": 7}}")
                .getBytes(StandardCharsets.UTF_8);

        assertThat(d.event(usage, 0, usage.length)).as("the end came before").isFalse();
        assertThat(r.calls).last().isEqualTo("usage 181 29 0");
        assertThat(d.ended()).isTrue();
    }

    @Test
    void responses_functionCall() {
        Recorder r = stream(ClientApi.OPENAI_RESPONSES, "responses-function-call.sse", 1);

        assertThat(r.outline())
                .containsExactly(
                        "response resp_0befc33218ec8037016a3c120e5510819d9df02eea96fc61ae gpt-4o-mini-2024-07-18",
                        "tool 0 0 call_4TL7SrUyTg60nSUcfgeWLFXO weather",
                        "tool 0 0",
                        "usage 58 17 0",
                        "finish 0 TOOL_CALLS completed null",
                        "end");
        assertThat(r.answer.completion().choices().getFirst().toolCalls())
                .containsExactly(
                        new ToolCall("call_4TL7SrUyTg60nSUcfgeWLFXO", "weather", "{\"location\":\"Florence, Italy\"}"));
    }

    @Test
    void responses_completedResponseObject_asAWholeAnswer() {
        List<byte[]> events = Simulated.events(fixture("responses-function-call.sse"));
        String completed = new String(events.getLast(), StandardCharsets.UTF_8);
        String response = completed.substring(
                completed.indexOf("\"response\":") + 11, completed.lastIndexOf(",\"sequence_number\""));
        byte[] body = response.getBytes(StandardCharsets.UTF_8);
        Recorder r = new Recorder();
        ClientApi.OPENAI_RESPONSES.codec().decode(body, 0, body.length, r);

        assertThat(r.outline())
                .containsExactly(
                        "response resp_0befc33218ec8037016a3c120e5510819d9df02eea96fc61ae gpt-4o-mini-2024-07-18",
                        "tool 0 0 call_4TL7SrUyTg60nSUcfgeWLFXO weather",
                        "usage 58 17 0",
                        "finish 0 TOOL_CALLS completed null",
                        "end");
    }
}
