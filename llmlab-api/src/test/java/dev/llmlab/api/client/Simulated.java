package dev.llmlab.api.client;

import dev.llmlab.api.Choice;
import dev.llmlab.api.Completion;
import dev.llmlab.api.FinishReason;
import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.GenerationRequest.Endpoint;
import dev.llmlab.api.Message;
import dev.llmlab.api.ResponseFormat;
import dev.llmlab.api.ToolCall;
import dev.llmlab.api.ToolChoice;
import dev.llmlab.api.Usage;
import dev.llmlab.api.anthropic.AnthropicResponses;
import dev.llmlab.api.anthropic.AnthropicStreamEncoder;
import dev.llmlab.api.gemini.GeminiResponses;
import dev.llmlab.api.openai.OpenAiResponses;
import dev.llmlab.api.openai.ResponsesEncoder;
import dev.llmlab.api.openai.StreamEncoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An answer as the simulator sends it, written with the simulator's own encoders in the order its
 * {@code Reply.writeStep} and per-API {@code StreamFormat}s call them (one token per step, all
 * choices in lockstep; a choice's finish frame in the step that ends it; then the usage and the
 * terminator), or whole as its {@code Wires.writeWhole} writes it.
 *
 * @param choices each choice's pieces (text, or a tool call's argument pieces), finish and stop sequence
 */
record Simulated(List<Planned> choices, Usage usage) {
    static final String MODEL = "sim-model";

    /** One choice: text pieces, or (when {@code callId} is set) the pieces of one tool call's arguments. */
    record Planned(List<String> pieces, String callId, String toolName, FinishReason reason, String stopSequence) {
        static Planned text(FinishReason reason, String stopSequence, String... pieces) {
            return new Planned(List.of(pieces), null, null, reason, stopSequence);
        }

        static Planned call(String callId, String name, String... pieces) {
            return new Planned(List.of(pieces), callId, name, FinishReason.TOOL_CALLS, null);
        }

        boolean isCall() {
            return callId != null;
        }

        String joined() {
            return String.join("", pieces);
        }
    }

    /** The internal completion the simulator encodes as a whole answer. */
    Completion completion(String id) {
        List<Choice> out = new ArrayList<>();
        for (int k = 0; k < choices.size(); k++) {
            Planned p = choices.get(k);
            out.add(
                    p.isCall()
                            ? new Choice(
                                    k,
                                    null,
                                    List.of(new ToolCall(p.callId, p.toolName, p.joined())),
                                    p.reason,
                                    null,
                                    p.stopSequence)
                            : new Choice(k, p.joined(), List.of(), p.reason, null, p.stopSequence));
        }
        return new Completion(id, 1_760_000_000L, MODEL, "fp_test", out, usage);
    }

    /** A request such as the simulator would answer this way. */
    GenerationRequest request(Endpoint endpoint, boolean stream) {
        return new GenerationRequest(
                endpoint,
                MODEL,
                List.of(Message.of("user", "hi")),
                List.of(),
                64,
                choices.size(),
                List.of(),
                null,
                Double.NaN,
                Double.NaN,
                stream,
                true,
                List.of(),
                ToolChoice.NONE,
                true,
                ResponseFormat.TEXT,
                false,
                0,
                false,
                null);
    }

    // ------------------------------------------------------------------ whole answers

    byte[] whole(ClientApi api) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (api) {
            case OPENAI_CHAT -> OpenAiResponses.writeChatCompletion(out, completion("chatcmpl-1"));
            case OPENAI_COMPLETIONS -> OpenAiResponses.writeTextCompletion(out, completion("cmpl-1"));
            case OPENAI_RESPONSES -> ResponsesEncoder.writeResponse(out, responseSnapshot());
            case ANTHROPIC_MESSAGES -> AnthropicResponses.writeMessage(out, completion("msg_1"));
            case GEMINI -> GeminiResponses.writeResponse(out, completion("resp-1"));
            default -> throw new IllegalArgumentException(api.flag());
        }
        return out.toByteArray();
    }

    /** As the simulator's {@code Wires.responseSnapshot}: the one output item of the first choice. */
    private ResponsesEncoder.Snapshot responseSnapshot() {
        Planned p = choices.getFirst();
        ResponsesEncoder.Item item = p.isCall()
                ? ResponsesEncoder.Item.call("fc_1", p.callId, p.toolName, p.joined(), true)
                : ResponsesEncoder.Item.message("msg_1", p.joined(), true);
        boolean capped = p.reason == FinishReason.LENGTH;
        return new ResponsesEncoder.Snapshot(
                "resp_1",
                1_760_000_000L,
                MODEL,
                request(Endpoint.RESPONSES, false),
                null,
                capped ? "incomplete" : "completed",
                capped ? "max_output_tokens" : null,
                List.of(item),
                usage);
    }

    // ------------------------------------------------------------------ streams

    /** The stream's bytes, SSE-framed as the simulator frames them. */
    byte[] stream(ClientApi api) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Format f = switch (api) {
            case OPENAI_CHAT -> new OpenAi(Endpoint.CHAT);
            case OPENAI_COMPLETIONS -> new OpenAi(Endpoint.COMPLETION);
            case OPENAI_RESPONSES -> new Responses();
            case ANTHROPIC_MESSAGES -> new Anthropic();
            case GEMINI -> new Gemini();
            default -> throw new IllegalArgumentException(api.flag());
        };
        int[] next = new int[choices.size()];
        boolean[] opened = new boolean[choices.size()];
        boolean[] done = new boolean[choices.size()];
        int remaining = choices.size();
        while (remaining > 0) {
            for (int k = 0; k < choices.size(); k++) {
                if (done[k]) continue;
                Planned p = choices.get(k);
                if (!opened[k]) {
                    opened[k] = true;
                    f.open(out, k, p);
                }
                if (next[k] < p.pieces.size()) {
                    String piece = p.pieces.get(next[k]++);
                    if (p.isCall()) f.toolArguments(out, k, piece);
                    else f.text(out, k, piece);
                }
                if (next[k] == p.pieces.size()) {
                    done[k] = true;
                    remaining--;
                    f.finish(out, k, p.reason, p.stopSequence);
                }
            }
        }
        f.end(out, usage);
        return out.toByteArray();
    }

    /** The data of each SSE event of a stream (framing is the caller's: here, a plain split). */
    static List<byte[]> events(byte[] stream) {
        String s = new String(stream, StandardCharsets.UTF_8).replace("\r\n", "\n");
        List<byte[]> out = new ArrayList<>();
        for (String frame : s.split("\n\n")) {
            StringBuilder data = null;
            for (String line : frame.split("\n")) {
                if (!line.startsWith("data:")) continue;
                String d = line.substring(line.startsWith("data: ") ? 6 : 5);
                if (data == null) data = new StringBuilder(d);
                else data.append('\n').append(d);
            }
            if (data != null) out.add(data.toString().getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    private interface Format {
        void open(ByteArrayOutputStream out, int k, Planned p);

        void text(ByteArrayOutputStream out, int k, String text);

        void toolArguments(ByteArrayOutputStream out, int k, String json);

        void finish(ByteArrayOutputStream out, int k, FinishReason reason, String stopSequence);

        void end(ByteArrayOutputStream out, Usage usage);
    }

    /** As {@code OpenAiStream}. */
    private static final class OpenAi implements Format {
        private final StreamEncoder encoder;
        private final Endpoint endpoint;

        OpenAi(Endpoint endpoint) {
            this.endpoint = endpoint;
            this.encoder = new StreamEncoder(endpoint, "chatcmpl-1", 1_760_000_000L, MODEL, "fp_test", true);
        }

        @Override
        public void open(ByteArrayOutputStream out, int k, Planned p) {
            if (p.isCall()) encoder.toolCallStart(out, k, 0, p.callId, p.toolName);
            else if (endpoint == Endpoint.CHAT) encoder.role(out, k);
        }

        @Override
        public void text(ByteArrayOutputStream out, int k, String text) {
            encoder.content(out, k, text, null);
        }

        @Override
        public void toolArguments(ByteArrayOutputStream out, int k, String json) {
            encoder.toolCallArguments(out, k, 0, json);
        }

        @Override
        public void finish(ByteArrayOutputStream out, int k, FinishReason reason, String stopSequence) {
            encoder.finish(out, k, reason);
        }

        @Override
        public void end(ByteArrayOutputStream out, Usage usage) {
            encoder.usage(out, usage);
            StreamEncoder.done(out);
        }
    }

    /** As {@code AnthropicStream}, with the prompt's cached tokens in {@code message_start}. */
    private final class Anthropic implements Format {
        private final AnthropicStreamEncoder encoder = new AnthropicStreamEncoder("msg_1", MODEL);
        private String stopReason = "end_turn";
        private String stopSequence;

        @Override
        public void open(ByteArrayOutputStream out, int k, Planned p) {
            encoder.messageStart(out, usage.promptTokens(), usage.cachedTokens());
            if (p.isCall()) encoder.toolUseBlockStart(out, k, p.callId, p.toolName);
            else encoder.textBlockStart(out, k);
            encoder.ping(out);
        }

        @Override
        public void text(ByteArrayOutputStream out, int k, String text) {
            encoder.textDelta(out, k, text);
        }

        @Override
        public void toolArguments(ByteArrayOutputStream out, int k, String json) {
            encoder.inputJsonDelta(out, k, json);
        }

        @Override
        public void finish(ByteArrayOutputStream out, int k, FinishReason reason, String stopSequence) {
            encoder.blockStop(out, k);
            this.stopReason = AnthropicResponses.stopReason(reason, stopSequence);
            this.stopSequence = stopSequence;
        }

        @Override
        public void end(ByteArrayOutputStream out, Usage usage) {
            encoder.messageDelta(out, stopReason, stopSequence, usage.completionTokens());
            encoder.messageStop(out);
        }
    }

    /** As {@code ResponsesStream} of the simulator. */
    private final class Responses implements Format {
        private final ResponsesEncoder.Sequence seq = new ResponsesEncoder.Sequence();
        private final StringBuilder text = new StringBuilder();
        private ResponsesEncoder.Item item;
        private String incomplete;

        @Override
        public void open(ByteArrayOutputStream out, int k, Planned p) {
            ResponsesEncoder.created(out, seq, snapshot("in_progress", List.of(), null));
            item = p.isCall()
                    ? ResponsesEncoder.Item.call("fc_1", p.callId, p.toolName, "", false)
                    : ResponsesEncoder.Item.message("msg_1", "", false);
            ResponsesEncoder.itemAdded(out, seq, 0, item);
            if (!item.functionCall()) ResponsesEncoder.partAdded(out, seq, 0, item.id());
        }

        @Override
        public void text(ByteArrayOutputStream out, int k, String delta) {
            text.append(delta);
            ResponsesEncoder.textDelta(out, seq, 0, item.id(), delta);
        }

        @Override
        public void toolArguments(ByteArrayOutputStream out, int k, String json) {
            text.append(json);
            ResponsesEncoder.argumentsDelta(out, seq, 0, item.id(), json);
        }

        @Override
        public void finish(ByteArrayOutputStream out, int k, FinishReason reason, String stopSequence) {
            String done = text.toString();
            if (item.functionCall()) {
                ResponsesEncoder.argumentsDone(out, seq, 0, item.id(), done);
                item = ResponsesEncoder.Item.call(item.id(), item.callId(), item.name(), done, true);
            } else {
                ResponsesEncoder.textDone(out, seq, 0, item.id(), done);
                ResponsesEncoder.partDone(out, seq, 0, item.id(), done);
                item = ResponsesEncoder.Item.message(item.id(), done, true);
            }
            ResponsesEncoder.itemDone(out, seq, 0, item);
            if (reason == FinishReason.LENGTH) incomplete = "max_output_tokens";
        }

        @Override
        public void end(ByteArrayOutputStream out, Usage usage) {
            ResponsesEncoder.finished(
                    out, seq, snapshot(incomplete != null ? "incomplete" : "completed", List.of(item), usage));
        }

        private ResponsesEncoder.Snapshot snapshot(String status, List<ResponsesEncoder.Item> output, Usage u) {
            return new ResponsesEncoder.Snapshot(
                    "resp_1",
                    1_760_000_000L,
                    MODEL,
                    request(Endpoint.RESPONSES, true),
                    null,
                    status,
                    "incomplete".equals(status) ? incomplete : null,
                    output,
                    u);
        }
    }

    /** As the simulator's {@code GeminiStream}: a chunk per text step, the calls whole at the end with the finishes. */
    private final class Gemini implements Format {
        private final StringBuilder[] arguments = new StringBuilder[choices.size()];
        private final String[] finish = new String[choices.size()];
        private final int[] tokens = new int[choices.size()];

        @Override
        public void open(ByteArrayOutputStream out, int k, Planned p) {
            if (p.isCall()) arguments[k] = new StringBuilder();
        }

        @Override
        public void text(ByteArrayOutputStream out, int k, String text) {
            tokens[k]++;
            int soFar = 0;
            for (int t : tokens) soFar += t;
            GeminiResponses.writeChunk(
                    out, k, text, List.of(), null, new Usage(usage.promptTokens(), soFar, 0), MODEL, "resp-1");
        }

        @Override
        public void toolArguments(ByteArrayOutputStream out, int k, String json) {
            arguments[k].append(json);
        }

        @Override
        public void finish(ByteArrayOutputStream out, int k, FinishReason reason, String stopSequence) {
            finish[k] = GeminiResponses.finishReason(reason);
        }

        @Override
        public void end(ByteArrayOutputStream out, Usage usage) {
            for (int k = 0; k < choices.size(); k++) {
                Planned p = choices.get(k);
                List<ToolCall> calls = arguments[k] == null
                        ? List.of()
                        : List.of(new ToolCall(p.callId, p.toolName, arguments[k].toString()));
                GeminiResponses.writeChunk(
                        out, k, calls.isEmpty() ? "" : null, calls, finish[k], usage, MODEL, "resp-1");
            }
        }
    }
}
