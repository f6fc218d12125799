package dev.llmlab.api.gemini;

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
 * Reads Gemini's {@code GenerateContentResponse}s: each chunk of an {@code alt=sse} stream, and a
 * whole answer (the same object, once).
 *
 * <p>A chunk is read to its end before anything is delivered: its {@code responseId} and {@code
 * modelVersion} come after its candidates, and a candidate's {@code index} after its content, so
 * the parts wait in arrays (no objects per chunk) and are then delivered in order. A function
 * call arrives whole, as one part: it is one tool call, its {@code args} copied as JSON text. Parts
 * marked {@code thought} are reasoning. The API finishes a candidate that called functions with
 * {@code STOP}: that is a finish for tool calls here, as on the other APIs.
 *
 * <p>There is no terminator: the stream ends with the chunk in which the last of the request's
 * candidates gets its {@code finishReason}, or with a {@code promptFeedback.blockReason} (the
 * prompt was refused: a content-filter finish). Chunks after that are still read (a usage-only
 * chunk may follow). Not thread-safe: one per stream.
 */
final class GeminiStream implements StreamDecoder {
    private static final String[] FINISH = {
        "STOP",
        "MAX_TOKENS",
        "SAFETY",
        "RECITATION",
        "BLOCKLIST",
        "PROHIBITED_CONTENT",
        "SPII",
        "IMAGE_SAFETY",
        "MALFORMED_FUNCTION_CALL",
        "OTHER",
        "LANGUAGE",
        "FINISH_REASON_UNSPECIFIED"
    };
    /** The API allows 8 candidates; an index far beyond is not an answer of this API. */
    private static final int MAX_CANDIDATES = 64;

    private static final int TEXT = 0;
    private static final int THOUGHT = 1;
    private static final int CALL = 2;

    private final int choices;
    private final ClientListener listener;
    private final ClientJson.EventParser events;
    private boolean started;
    private boolean ended;
    // per candidate
    private int[] tools = new int[1];
    private boolean[] called = new boolean[1];
    private boolean[] finished = new boolean[1];
    private int finishedCount;
    // the chunk being read
    private int parts;
    private int[] partChoice = new int[4];
    private int[] partKind = new int[4];
    private String[] partText = new String[4];
    private String[] partId = new String[4];
    private String[] partName = new String[4];
    private int finishes;
    private int[] finishChoice = new int[1];
    private String[] finishReason = new String[1];
    private String responseId;
    private String modelVersion;
    private boolean usage;
    private int prompt;
    private int candidates;
    private int thoughts;
    private int cached;
    private String blocked;
    private ProviderError error;

    GeminiStream(int choices, ClientListener listener) {
        this(choices, listener, true);
    }

    /** @param retainParser one JSON parser for the whole stream, else one per event (see {@link ClientJson.EventParser}) */
    GeminiStream(int choices, ClientListener listener, boolean retainParser) {
        this.events = new ClientJson.EventParser(retainParser);
        this.choices = choices;
        this.listener = listener;
    }

    @Override
    public boolean event(byte[] data, int offset, int length) {
        // Chunks after the end are still read: with no terminator, a server may send the usage in a
        // chunk of its own after the last finishReason.
        if (ClientJson.blank(data, offset, length)) return false;
        boolean before = ended;
        try {
            JsonParser p = events.open(data, offset, length);
            chunk(p);
            events.close();
        } catch (RuntimeException e) {
            events.reset();
            parts = finishes = 0;
            throw ClientJson.failure("a Gemini chunk", e);
        }
        deliver(false);
        return ended && !before;
    }

    @Override
    public boolean ended() {
        return ended;
    }

    void whole(byte[] body, int offset, int length) {
        String what = "a Gemini answer";
        try (JsonParser p = ClientJson.openObject(body, offset, length, what)) {
            chunk(p);
            if (p.nextToken() != null) throw ClientJson.malformed(what + ": more than one JSON value");
        } catch (RuntimeException e) {
            throw ClientJson.failure(what, e);
        }
        deliver(true);
    }

    private void chunk(JsonParser p) {
        parts = finishes = 0;
        responseId = modelVersion = blocked = null;
        usage = false;
        error = null;
        for (String name = nextName(p); name != null; name = nextName(p)) {
            JsonToken t = next(p);
            switch (name) {
                case "candidates" -> {
                    if (t != JsonToken.START_ARRAY) {
                        skip(p);
                        continue;
                    }
                    int position = 0;
                    for (JsonToken c = next(p); c != JsonToken.END_ARRAY; c = next(p), position++) {
                        if (c == JsonToken.START_OBJECT) candidate(p, position);
                        else skip(p);
                    }
                }
                case "usageMetadata" -> {
                    if (t == JsonToken.START_OBJECT) usage(p);
                    else skip(p);
                }
                case "responseId" -> responseId = started ? skipped(p) : string(p);
                case "modelVersion" -> modelVersion = started ? skipped(p) : string(p);
                case "promptFeedback" -> {
                    if (t != JsonToken.START_OBJECT) {
                        skip(p);
                        continue;
                    }
                    for (String f = nextName(p); f != null; f = nextName(p)) {
                        next(p);
                        if (f.equals("blockReason")) blocked = string(p);
                        else skip(p);
                    }
                }
                case "error" -> {
                    if (t == JsonToken.START_OBJECT) error = GeminiErrors.object(p, 0);
                    else skip(p);
                }
                default -> skip(p);
            }
        }
    }

    private static String skipped(JsonParser p) {
        skip(p);
        return null;
    }

    private void candidate(JsonParser p, int position) {
        int index = -1;
        int first = parts;
        String finish = null;
        for (String name = nextName(p); name != null; name = nextName(p)) {
            JsonToken t = next(p);
            switch (name) {
                case "content" -> {
                    if (t != JsonToken.START_OBJECT) {
                        skip(p);
                        continue;
                    }
                    for (String f = nextName(p); f != null; f = nextName(p)) {
                        JsonToken v = next(p);
                        if (!f.equals("parts") || v != JsonToken.START_ARRAY) {
                            skip(p);
                            continue;
                        }
                        for (JsonToken x = next(p); x != JsonToken.END_ARRAY; x = next(p)) {
                            if (x == JsonToken.START_OBJECT) part(p);
                            else skip(p);
                        }
                    }
                }
                case "finishReason" -> finish = ClientJson.pick(p, FINISH);
                case "index" -> index = integer(p, -1);
                default -> skip(p);
            }
        }
        int k = index >= 0 ? index : position;
        if (k >= MAX_CANDIDATES) throw ClientJson.malformed("candidate index " + k);
        for (int i = first; i < parts; i++) partChoice[i] = k;
        if (finish != null) {
            if (finishes == finishChoice.length) {
                finishChoice = Arrays.copyOf(finishChoice, finishes * 2);
                finishReason = Arrays.copyOf(finishReason, finishes * 2);
            }
            finishChoice[finishes] = k;
            finishReason[finishes++] = finish;
        }
    }

    private void part(JsonParser p) {
        String text = null;
        boolean thought = false;
        boolean call = false;
        String id = null;
        String name = null;
        String args = null;
        for (String f = nextName(p); f != null; f = nextName(p)) {
            JsonToken t = next(p);
            switch (f) {
                case "text" -> text = string(p);
                case "thought" -> thought = t == JsonToken.VALUE_TRUE;
                case "functionCall" -> {
                    if (t != JsonToken.START_OBJECT) {
                        skip(p);
                        continue;
                    }
                    call = true;
                    for (String c = nextName(p); c != null; c = nextName(p)) {
                        next(p);
                        switch (c) {
                            case "id" -> id = string(p);
                            case "name" -> name = string(p);
                            case "args" -> args = ClientJson.copy(p);
                            default -> skip(p);
                        }
                    }
                }
                default -> skip(p); // thoughtSignature, inlineData, executableCode, ...
            }
        }
        if (call) add(CALL, args == null ? "{}" : args, id, name);
        else if (text != null && !text.isEmpty()) add(thought ? THOUGHT : TEXT, text, null, null);
    }

    private void add(int kind, String text, String id, String name) {
        if (parts == partKind.length) {
            int n = parts * 2;
            partChoice = Arrays.copyOf(partChoice, n);
            partKind = Arrays.copyOf(partKind, n);
            partText = Arrays.copyOf(partText, n);
            partId = Arrays.copyOf(partId, n);
            partName = Arrays.copyOf(partName, n);
        }
        partKind[parts] = kind;
        partText[parts] = text;
        partId[parts] = id;
        partName[parts] = name;
        parts++;
    }

    private void usage(JsonParser p) {
        usage = true;
        prompt = candidates = thoughts = cached = 0;
        for (String name = nextName(p); name != null; name = nextName(p)) {
            next(p);
            switch (name) {
                case "promptTokenCount" -> prompt = integer(p, 0);
                case "candidatesTokenCount" -> candidates = integer(p, 0);
                case "thoughtsTokenCount" -> thoughts = integer(p, 0);
                case "cachedContentTokenCount" -> cached = integer(p, 0);
                default -> skip(p);
            }
        }
    }

    private void ensureCandidate(int k) {
        if (k < tools.length) return;
        int n = Math.max(k + 1, tools.length * 2);
        tools = Arrays.copyOf(tools, n);
        called = Arrays.copyOf(called, n);
        finished = Arrays.copyOf(finished, n);
    }

    /** What the chunk said, in order: who answers, the parts, the usage, the finishes, errors, the end. */
    private void deliver(boolean whole) {
        if (!started && (responseId != null || modelVersion != null)) {
            started = true;
            listener.response(responseId, modelVersion);
        }
        for (int i = 0; i < parts; i++) {
            int k = partChoice[i];
            ensureCandidate(k);
            switch (partKind[i]) {
                case TEXT -> listener.text(k, partText[i]);
                case THOUGHT -> listener.reasoning(k, partText[i]);
                default -> {
                    called[k] = true;
                    listener.toolCall(k, tools[k]++, partId[i], partName[i], partText[i]);
                }
            }
            partText[i] = partId[i] = partName[i] = null;
        }
        if (usage) listener.usage(prompt, candidates + thoughts, cached);
        for (int i = 0; i < finishes; i++) {
            int k = finishChoice[i];
            ensureCandidate(k);
            String r = finishReason[i];
            listener.finish(k, reason(r, called[k]), r, null);
            if (!finished[k]) {
                finished[k] = true;
                finishedCount++;
            }
        }
        if (error != null) listener.error(error);
        if (blocked != null) listener.finish(0, FinishReason.CONTENT_FILTER, blocked, null);
        if (!ended && (whole || blocked != null || finishedCount >= choices)) {
            ended = true;
            listener.end();
        }
    }

    static FinishReason reason(String wire, boolean calledFunctions) {
        return switch (wire) {
            case "STOP" -> calledFunctions ? FinishReason.TOOL_CALLS : FinishReason.STOP;
            case "MAX_TOKENS" -> FinishReason.LENGTH;
            case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY" ->
                FinishReason.CONTENT_FILTER;
            default -> FinishReason.STOP;
        };
    }
}
