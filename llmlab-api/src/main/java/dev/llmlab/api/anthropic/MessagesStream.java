package dev.llmlab.api.anthropic;

import static dev.llmlab.api.client.internal.ClientJson.integer;
import static dev.llmlab.api.client.internal.ClientJson.next;
import static dev.llmlab.api.client.internal.ClientJson.nextName;
import static dev.llmlab.api.client.internal.ClientJson.skip;
import static dev.llmlab.api.client.internal.ClientJson.string;

import dev.llmlab.api.FinishReason;
import dev.llmlab.api.client.ClientListener;
import dev.llmlab.api.client.ProviderError;
import dev.llmlab.api.client.StreamDecoder;
import dev.llmlab.api.client.internal.ClientJson;
import java.util.Arrays;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Reads Anthropic's streamed message events, and (in {@link #whole}) a whole message. One choice
 * (0). Which content block is a tool call is the state kept here: {@code content_block_start}
 * announces a {@code tool_use} block (its id and name) and the block's {@code input_json_delta}s
 * then name only the block index. Nothing is delivered that the wire did not carry: a call without
 * arguments sends one empty piece (or none), and {@link dev.llmlab.api.client.AnswerBuilder} reads
 * its empty arguments as {@code {}}. (A made-up piece at {@code content_block_stop} would look to
 * a listener timing the stream like output arriving at the block's end.)
 * Thinking blocks are reasoning. Usage is delivered at {@code message_start} (the prompt) and at
 * {@code message_delta} (the output so far; newer API versions repeat the prompt's counts there).
 * Not thread-safe: one per stream.
 */
final class MessagesStream implements StreamDecoder {
    private static final String DELTA = "content_block_delta";
    private static final String BLOCK_START = "content_block_start";
    private static final String BLOCK_STOP = "content_block_stop";
    private static final String PING = "ping";
    private static final String MESSAGE_START = "message_start";
    private static final String MESSAGE_DELTA = "message_delta";
    private static final String MESSAGE_STOP = "message_stop";
    private static final String ERROR = "error";
    private static final String[] TYPES = {
        DELTA, BLOCK_START, BLOCK_STOP, PING, MESSAGE_START, MESSAGE_DELTA, MESSAGE_STOP, ERROR
    };
    private static final String TEXT_DELTA = "text_delta";
    private static final String JSON_DELTA = "input_json_delta";
    private static final String THINKING_DELTA = "thinking_delta";
    private static final String[] DELTA_TYPES = {TEXT_DELTA, JSON_DELTA, THINKING_DELTA, "signature_delta"};
    private static final String[] BLOCK_TYPES = {"text", "tool_use", "thinking", "redacted_thinking"};
    static final String[] STOP_REASONS = {
        "end_turn", "max_tokens", "stop_sequence", "tool_use", "pause_turn", "refusal", "model_context_window_exceeded"
    };

    private final ClientListener listener;
    private final ClientJson.EventParser events;
    private boolean ended;
    /** Tool number of each content block, -1 for blocks that are not tool calls. */
    private int[] toolOf = new int[4];

    private int tools;
    // usage so far: the prompt's counts come with message_start, the output's with message_delta
    private int input;
    private int cacheWrite;
    private int cacheRead;
    private int output;

    // the event being read
    private int index;
    private String blockType;
    private String blockId;
    private String blockName;
    private String blockText;
    private String deltaType;
    private String deltaText;
    private String stopReason;
    private String stopSequence;
    private boolean usage;
    private ProviderError error;

    MessagesStream(ClientListener listener) {
        this(listener, true);
    }

    /** @param retainParser one JSON parser for the whole stream, else one per event (see {@link ClientJson.EventParser}) */
    MessagesStream(ClientListener listener, boolean retainParser) {
        this.events = new ClientJson.EventParser(retainParser);
        this.listener = listener;
        Arrays.fill(toolOf, -1);
    }

    @Override
    public boolean event(byte[] data, int offset, int length) {
        if (ended || ClientJson.blank(data, offset, length)) return false;
        try {
            JsonParser p = events.open(data, offset, length);
            event(p);
            events.close();
        } catch (RuntimeException e) {
            events.reset();
            throw ClientJson.failure("an Anthropic event", e);
        }
        return ended;
    }

    @Override
    public boolean ended() {
        return ended;
    }

    private void event(JsonParser p) {
        index = 0;
        blockType = blockId = blockName = blockText = deltaType = deltaText = null;
        stopReason = stopSequence = null;
        error = null;
        usage = false;
        String type = null;
        for (String name = nextName(p); name != null; name = nextName(p)) {
            JsonToken t = next(p);
            switch (name) {
                case "type" -> type = ClientJson.pick(p, TYPES);
                case "index" -> index = integer(p, 0);
                case "delta" -> {
                    if (t == JsonToken.START_OBJECT) delta(p);
                    else skip(p);
                }
                case "content_block" -> {
                    if (t == JsonToken.START_OBJECT) block(p);
                    else skip(p);
                }
                case "message" -> {
                    if (t == JsonToken.START_OBJECT) message(p);
                    else skip(p);
                }
                case "usage" -> {
                    if (t == JsonToken.START_OBJECT) usage(p);
                    else skip(p);
                }
                case "error" -> {
                    if (t == JsonToken.START_OBJECT) error = AnthropicErrors.object(p, 0);
                    else skip(p);
                }
                default -> skip(p);
            }
        }
        if (type == null) return;
        switch (type) {
            case DELTA -> {
                if (deltaText == null || deltaText.isEmpty() && !JSON_DELTA.equals(deltaType)) return;
                if (TEXT_DELTA.equals(deltaType)) listener.text(0, deltaText);
                else if (THINKING_DELTA.equals(deltaType)) listener.reasoning(0, deltaText);
                else if (JSON_DELTA.equals(deltaType)) {
                    int tool = toolAt(index);
                    if (tool >= 0) listener.toolCall(0, tool, null, null, deltaText);
                }
            }
            case BLOCK_START -> {
                if ("tool_use".equals(blockType)) {
                    toolUse(index, blockId, blockName);
                } else if (blockText != null && !blockText.isEmpty()) {
                    if ("thinking".equals(blockType)) listener.reasoning(0, blockText);
                    else listener.text(0, blockText);
                }
            }
            case MESSAGE_START -> {
                if (usage) deliverUsage();
            }
            case MESSAGE_DELTA -> {
                if (usage) deliverUsage();
                if (stopReason != null) listener.finish(0, reason(stopReason), stopReason, stopSequence);
            }
            case MESSAGE_STOP -> {
                ended = true;
                listener.end();
            }
            case ERROR -> {
                if (error != null) listener.error(error);
            }
            default -> {} // ping, content_block_stop: nothing to deliver
        }
    }

    private void toolUse(int block, String id, String name) {
        if (block >= toolOf.length) {
            int n = Math.max(block + 1, toolOf.length * 2);
            int old = toolOf.length;
            toolOf = Arrays.copyOf(toolOf, n);
            Arrays.fill(toolOf, old, n, -1);
        }
        int tool = tools++;
        toolOf[block] = tool;
        listener.toolCall(0, tool, id, name, "");
    }

    private int toolAt(int block) {
        return block >= 0 && block < toolOf.length ? toolOf[block] : -1;
    }

    private void deliverUsage() {
        listener.usage(input + cacheWrite + cacheRead, output, cacheRead);
    }

    private void delta(JsonParser p) {
        for (String name = nextName(p); name != null; name = nextName(p)) {
            next(p);
            switch (name) {
                case "type" -> deltaType = ClientJson.pick(p, DELTA_TYPES);
                case "text", "partial_json", "thinking" -> deltaText = string(p);
                case "stop_reason" -> stopReason = ClientJson.pick(p, STOP_REASONS);
                case "stop_sequence" -> stopSequence = string(p);
                default -> skip(p);
            }
        }
    }

    private void block(JsonParser p) {
        for (String name = nextName(p); name != null; name = nextName(p)) {
            next(p);
            switch (name) {
                case "type" -> blockType = ClientJson.pick(p, BLOCK_TYPES);
                case "id" -> blockId = string(p);
                case "name" -> blockName = string(p);
                case "text", "thinking" -> blockText = string(p);
                default -> skip(p);
            }
        }
    }

    private void message(JsonParser p) {
        String id = null;
        String model = null;
        for (String name = nextName(p); name != null; name = nextName(p)) {
            JsonToken t = next(p);
            switch (name) {
                case "id" -> id = string(p);
                case "model" -> model = string(p);
                case "usage" -> {
                    if (t == JsonToken.START_OBJECT) usage(p);
                    else skip(p);
                }
                default -> skip(p);
            }
        }
        listener.response(id, model);
    }

    /** A usage object; counts it leaves out keep their earlier values (message_delta often has only the output). */
    private void usage(JsonParser p) {
        usage = true;
        for (String name = nextName(p); name != null; name = nextName(p)) {
            next(p);
            switch (name) {
                case "input_tokens" -> input = integer(p, input);
                case "cache_creation_input_tokens" -> cacheWrite = integer(p, cacheWrite);
                case "cache_read_input_tokens" -> cacheRead = integer(p, cacheRead);
                case "output_tokens" -> output = integer(p, output);
                default -> skip(p);
            }
        }
    }

    static FinishReason reason(String stopReason) {
        return switch (stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> FinishReason.LENGTH;
            case "tool_use" -> FinishReason.TOOL_CALLS;
            case "refusal" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.STOP; // end_turn, stop_sequence, pause_turn
        };
    }

    /** A whole message: its blocks in order, usage, why it stopped, the end. */
    static void whole(byte[] body, int offset, int length, ClientListener listener) {
        String what = "an Anthropic message";
        MessagesStream s = new MessagesStream(listener);
        try (JsonParser p = ClientJson.openObject(body, offset, length, what)) {
            String id = null;
            String model = null;
            boolean responded = false;
            for (String name = nextName(p); name != null; name = nextName(p)) {
                JsonToken t = next(p);
                switch (name) {
                    case "id" -> id = string(p);
                    case "model" -> model = string(p);
                    case "content" -> {
                        if (!responded) {
                            responded = true;
                            listener.response(id, model);
                        }
                        if (t == JsonToken.START_ARRAY) s.blocks(p);
                        else skip(p);
                    }
                    case "stop_reason" -> s.stopReason = ClientJson.pick(p, STOP_REASONS);
                    case "stop_sequence" -> s.stopSequence = string(p);
                    case "usage" -> {
                        if (t == JsonToken.START_OBJECT) s.usage(p);
                        else skip(p);
                    }
                    case "error" -> {
                        if (t == JsonToken.START_OBJECT) s.error = AnthropicErrors.object(p, 0);
                        else skip(p);
                    }
                    default -> skip(p);
                }
            }
            if (p.nextToken() != null) throw ClientJson.malformed(what + ": more than one JSON value");
            if (!responded) listener.response(id, model);
        } catch (RuntimeException e) {
            throw ClientJson.failure(what, e);
        }
        if (s.error != null) listener.error(s.error);
        if (s.usage) s.deliverUsage();
        if (s.stopReason != null) listener.finish(0, reason(s.stopReason), s.stopReason, s.stopSequence);
        s.ended = true;
        listener.end();
    }

    private void blocks(JsonParser p) {
        for (JsonToken t = next(p); t != JsonToken.END_ARRAY; t = next(p)) {
            if (t != JsonToken.START_OBJECT) {
                skip(p);
                continue;
            }
            String type = null;
            String id = null;
            String name = null;
            String text = null;
            String input = null;
            for (String f = nextName(p); f != null; f = nextName(p)) {
                next(p);
                switch (f) {
                    case "type" -> type = ClientJson.pick(p, BLOCK_TYPES);
                    case "id" -> id = string(p);
                    case "name" -> name = string(p);
                    case "text", "thinking" -> text = string(p);
                    case "input" -> input = ClientJson.copy(p);
                    default -> skip(p);
                }
            }
            if (type == null) continue;
            switch (type) {
                case "text" -> {
                    if (text != null && !text.isEmpty()) listener.text(0, text);
                }
                case "thinking" -> {
                    if (text != null && !text.isEmpty()) listener.reasoning(0, text);
                }
                case "tool_use" -> listener.toolCall(0, tools++, id, name, input == null ? "" : input);
                default -> {} // redacted thinking, server tools: nothing to deliver
            }
        }
    }
}
