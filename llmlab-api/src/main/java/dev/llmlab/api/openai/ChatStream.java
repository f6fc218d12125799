package dev.llmlab.api.openai;

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
 * Reads OpenAI chat and legacy completion answers: a stream's chunks ({@code choices[].delta} or
 * {@code choices[].text}, {@code finish_reason}, the usage chunk, an {@code {"error":...}} chunk,
 * {@code [DONE]}) and, with the same code, a whole answer ({@code choices[].message}).
 *
 * <p>A choice's pieces are delivered when its object ends, because its {@code index} may follow
 * its {@code delta} on the wire; the pieces wait in fields, not in objects, so a chunk allocates
 * nothing but the strings it delivers. The response id and model are read from the first chunk
 * only (later chunks repeat them). A chat delta's text is its {@code content} (and {@code
 * refusal}); {@code reasoning_content} and {@code reasoning} (vLLM, DeepSeek, OpenRouter) are
 * reasoning; vLLM's {@code stop_reason}, when a string, is the stop sequence that ended the choice.
 * Not thread-safe: one per stream.
 */
final class ChatStream implements StreamDecoder {
    private static final String[] FINISH = {"stop", "length", "tool_calls", "content_filter", "function_call"};

    private final boolean chat;
    private final ClientListener listener;
    private final ClientJson.EventParser events;
    private boolean started;
    private boolean ended;

    // the choice being read
    private String content;
    private String reasoning;
    private int calls;
    private int[] callIndex = new int[2];
    private String[] callId = new String[2];
    private String[] callName = new String[2];
    private String[] callArgs = new String[2];

    ChatStream(boolean chat, ClientListener listener) {
        this(chat, listener, true);
    }

    /** @param retainParser one JSON parser for the whole stream, else one per event (see {@link ClientJson.EventParser}) */
    ChatStream(boolean chat, ClientListener listener, boolean retainParser) {
        this.events = new ClientJson.EventParser(retainParser);
        this.chat = chat;
        this.listener = listener;
    }

    private String what() {
        return chat ? "a chat chunk" : "a completion chunk";
    }

    @Override
    public boolean event(byte[] data, int offset, int length) {
        if (ended || ClientJson.blank(data, offset, length)) return false;
        if (isDone(data, offset, length)) {
            ended = true;
            listener.end();
            return true;
        }
        try {
            JsonParser p = events.open(data, offset, length);
            read(p, false);
            events.close();
        } catch (RuntimeException e) {
            events.reset();
            throw ClientJson.failure(what(), e);
        }
        return false;
    }

    @Override
    public boolean ended() {
        return ended;
    }

    /** A whole answer: the same reading, then the end. */
    void whole(byte[] body, int offset, int length) {
        String what = chat ? "a chat answer" : "a completion answer";
        try (JsonParser p = ClientJson.openObject(body, offset, length, what)) {
            read(p, true);
            if (p.nextToken() != null) throw ClientJson.malformed(what + ": more than one JSON value");
        } catch (RuntimeException e) {
            throw ClientJson.failure(what, e);
        }
        ended = true;
        listener.end();
    }

    /** {@code [DONE]}, possibly with spaces around it: the stream's end, recognised without parsing. */
    private static boolean isDone(byte[] d, int offset, int length) {
        int i = offset;
        int end = offset + length;
        while (i < end && d[i] == ' ') i++;
        while (end > i && (d[end - 1] == ' ' || d[end - 1] == '\r' || d[end - 1] == '\n')) end--;
        return end - i == 6
                && d[i] == '['
                && d[i + 1] == 'D'
                && d[i + 2] == 'O'
                && d[i + 3] == 'N'
                && d[i + 4] == 'E'
                && d[i + 5] == ']';
    }

    private void read(JsonParser p, boolean whole) {
        String id = null;
        String model = null;
        boolean usage = false;
        int prompt = 0;
        int completion = 0;
        int cached = 0;
        ProviderError error = null;
        for (String name = nextName(p); name != null; name = nextName(p)) {
            JsonToken t = next(p);
            switch (name) {
                case "id" -> id = started ? skipped(p) : string(p);
                case "model" -> model = started ? skipped(p) : string(p);
                case "choices" -> {
                    if (!started && (id != null || model != null)) respond(id, model);
                    if (t == JsonToken.START_ARRAY) choices(p, whole);
                    else skip(p);
                }
                case "usage" -> {
                    if (t != JsonToken.START_OBJECT) {
                        skip(p);
                        continue;
                    }
                    usage = true;
                    for (String u = nextName(p); u != null; u = nextName(p)) {
                        JsonToken v = next(p);
                        switch (u) {
                            case "prompt_tokens" -> prompt = integer(p, 0);
                            case "completion_tokens" -> completion = integer(p, 0);
                            case "prompt_tokens_details" -> {
                                if (v != JsonToken.START_OBJECT) {
                                    skip(p);
                                    continue;
                                }
                                for (String d = nextName(p); d != null; d = nextName(p)) {
                                    next(p);
                                    if (d.equals("cached_tokens")) cached = integer(p, 0);
                                    else skip(p);
                                }
                            }
                            default -> skip(p);
                        }
                    }
                }
                case "error" -> {
                    if (t == JsonToken.START_OBJECT) error = OpenAiErrors.object(p, 0);
                    else skip(p);
                }
                default -> skip(p);
            }
        }
        if (!started && (id != null || model != null)) respond(id, model);
        if (usage) listener.usage(prompt, completion, cached);
        if (error != null) listener.error(error);
    }

    private static String skipped(JsonParser p) {
        skip(p);
        return null;
    }

    private void respond(String id, String model) {
        started = true;
        listener.response(id, model);
    }

    private void choices(JsonParser p, boolean whole) {
        int position = 0;
        for (JsonToken t = next(p); t != JsonToken.END_ARRAY; t = next(p), position++) {
            if (t == JsonToken.START_OBJECT) choice(p, position, whole);
            else skip(p);
        }
    }

    private void choice(JsonParser p, int position, boolean whole) {
        int index = -1;
        String finish = null;
        String stop = null;
        content = null;
        reasoning = null;
        calls = 0;
        for (String name = nextName(p); name != null; name = nextName(p)) {
            JsonToken t = next(p);
            switch (name) {
                case "index" -> index = integer(p, -1);
                case "delta", "message" -> {
                    if (t == JsonToken.START_OBJECT) delta(p);
                    else skip(p);
                }
                case "text" -> {
                    if (!chat) content = append(content, string(p));
                    else skip(p);
                }
                case "finish_reason" -> finish = ClientJson.pick(p, FINISH);
                case "stop_reason" -> stop = t == JsonToken.VALUE_STRING ? p.getString() : skipped(p);
                default -> skip(p);
            }
        }
        int k = index >= 0 ? index : position;
        if (reasoning != null) listener.reasoning(k, reasoning);
        if (content != null) listener.text(k, content);
        for (int i = 0; i < calls; i++) {
            String args = callArgs[i] == null ? "" : callArgs[i];
            if (whole || callId[i] != null || callName[i] != null || !args.isEmpty()) {
                listener.toolCall(k, callIndex[i], callId[i], callName[i], args);
            }
            callId[i] = callName[i] = callArgs[i] = null;
        }
        if (finish != null) listener.finish(k, reason(finish), finish, stop);
    }

    private void delta(JsonParser p) {
        for (String name = nextName(p); name != null; name = nextName(p)) {
            JsonToken t = next(p);
            switch (name) {
                case "content", "refusal" -> content = append(content, string(p));
                case "reasoning_content", "reasoning" -> reasoning = append(reasoning, string(p));
                case "tool_calls" -> {
                    if (t == JsonToken.START_ARRAY) toolCalls(p);
                    else skip(p);
                }
                default -> skip(p);
            }
        }
    }

    private void toolCalls(JsonParser p) {
        int position = 0;
        for (JsonToken t = next(p); t != JsonToken.END_ARRAY; t = next(p), position++) {
            if (t != JsonToken.START_OBJECT) {
                skip(p);
                continue;
            }
            int index = position;
            String id = null;
            String name = null;
            String args = null;
            for (String f = nextName(p); f != null; f = nextName(p)) {
                JsonToken v = next(p);
                switch (f) {
                    case "index" -> index = integer(p, position);
                    case "id" -> id = string(p);
                    case "function" -> {
                        if (v != JsonToken.START_OBJECT) {
                            skip(p);
                            continue;
                        }
                        for (String g = nextName(p); g != null; g = nextName(p)) {
                            next(p);
                            if (g.equals("name")) name = string(p);
                            else if (g.equals("arguments")) args = string(p);
                            else skip(p);
                        }
                    }
                    default -> skip(p);
                }
            }
            if (calls == callIndex.length) grow();
            callIndex[calls] = index;
            callId[calls] = id;
            callName[calls] = name;
            callArgs[calls] = args;
            calls++;
        }
    }

    private void grow() {
        int n = callIndex.length * 2;
        callIndex = Arrays.copyOf(callIndex, n);
        callId = Arrays.copyOf(callId, n);
        callName = Arrays.copyOf(callName, n);
        callArgs = Arrays.copyOf(callArgs, n);
    }

    private static String append(String have, String more) {
        if (more == null || more.isEmpty()) return have;
        return have == null ? more : have + more;
    }

    static FinishReason reason(String wire) {
        return switch (wire) {
            case "length" -> FinishReason.LENGTH;
            case "tool_calls", "function_call" -> FinishReason.TOOL_CALLS;
            case "content_filter" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.STOP; // "stop", and servers' own ("eos", "abort")
        };
    }
}
