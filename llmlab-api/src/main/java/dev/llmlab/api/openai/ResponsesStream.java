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
 * Reads the Responses API: its typed stream events and, with the same code, a whole {@code
 * response} object. There is one choice (0). Which output item is a function call, and which tool
 * number it has, is the state kept here: {@code response.output_item.added} announces a call (its
 * {@code call_id} and name), its {@code response.function_call_arguments.delta}s then name only
 * the output index. Text deltas are {@code response.output_text.delta} (and refusals); reasoning
 * is {@code response.reasoning_text.delta} and {@code response.reasoning_summary_text.delta}. The
 * stream ends with {@code response.completed}, {@code response.incomplete} (the cap: length) or
 * {@code response.failed}; a completed response that made calls finished for tool calls, as the
 * API has no finish reason of its own. Not thread-safe: one per stream.
 */
final class ResponsesStream implements StreamDecoder {
    private static final String TEXT = "response.output_text.delta";
    private static final String ARGUMENTS = "response.function_call_arguments.delta";
    private static final String CREATED = "response.created";
    private static final String ITEM_ADDED = "response.output_item.added";
    private static final String ITEM_DONE = "response.output_item.done";
    private static final String COMPLETED = "response.completed";
    private static final String INCOMPLETE = "response.incomplete";
    private static final String FAILED = "response.failed";
    private static final String ERROR = "error";
    private static final String REASONING = "response.reasoning_text.delta";
    private static final String SUMMARY = "response.reasoning_summary_text.delta";
    private static final String REFUSAL = "response.refusal.delta";
    private static final String[] TYPES = {
        TEXT,
        ARGUMENTS,
        CREATED,
        ITEM_ADDED,
        ITEM_DONE,
        COMPLETED,
        INCOMPLETE,
        FAILED,
        ERROR,
        REASONING,
        SUMMARY,
        REFUSAL
    };
    private static final String[] ITEM_TYPES = {"message", "function_call", "reasoning"};
    private static final String[] STATUS = {"completed", "incomplete", "failed", "in_progress"};
    private static final String[] INCOMPLETE_REASONS = {"max_output_tokens", "content_filter"};

    private final ClientListener listener;
    private final ClientJson.EventParser events;
    private boolean started;
    private boolean ended;
    /** Tool number of each output index, -1 for items that are not calls. */
    private int[] toolOf = new int[4];

    private boolean[] argumentsSeen = new boolean[4];
    private int tools;

    // the event being read
    private String delta;
    private int outputIndex;
    private String itemType;
    private String callId;
    private String callName;
    private String callArguments;
    private String errorCode;
    private String errorMessage;
    private ProviderError nested;
    // its response object
    private String status;
    private String incompleteReason;
    private boolean usage;
    private int prompt;
    private int completion;
    private int cached;

    ResponsesStream(ClientListener listener) {
        this(listener, true);
    }

    /** @param retainParser one JSON parser for the whole stream, else one per event (see {@link ClientJson.EventParser}) */
    ResponsesStream(ClientListener listener, boolean retainParser) {
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
            throw ClientJson.failure("a Responses event", e);
        }
        return ended;
    }

    @Override
    public boolean ended() {
        return ended;
    }

    /** A whole answer: the response object. */
    void whole(byte[] body, int offset, int length) {
        String what = "a Responses answer";
        try (JsonParser p = ClientJson.openObject(body, offset, length, what)) {
            clearEvent();
            response(p, true);
            if (p.nextToken() != null) throw ClientJson.malformed(what + ": more than one JSON value");
        } catch (RuntimeException e) {
            throw ClientJson.failure(what, e);
        }
        finishResponse();
    }

    private void clearEvent() {
        delta = itemType = callId = callName = callArguments = errorCode = errorMessage = null;
        nested = null;
        status = incompleteReason = null;
        outputIndex = 0;
        usage = false;
    }

    private void event(JsonParser p) {
        clearEvent();
        String type = null;
        for (String name = nextName(p); name != null; name = nextName(p)) {
            JsonToken t = next(p);
            switch (name) {
                case "type" -> type = ClientJson.pick(p, TYPES);
                case "delta" -> delta = string(p);
                case "output_index" -> outputIndex = integer(p, 0);
                case "item" -> {
                    if (t == JsonToken.START_OBJECT) item(p);
                    else skip(p);
                }
                case "response" -> {
                    if (t == JsonToken.START_OBJECT) response(p, false);
                    else skip(p);
                }
                case "code" -> errorCode = string(p);
                case "message" -> errorMessage = string(p);
                case "error" -> { // the shape the service sends: {"type":"error","error":{"type","code","message"}}
                    if (t == JsonToken.START_OBJECT) nested = OpenAiErrors.object(p, 0);
                    else skip(p);
                }
                default -> skip(p);
            }
        }
        if (type == null) return;
        switch (type) {
            case TEXT, REFUSAL -> {
                if (delta != null && !delta.isEmpty()) listener.text(0, delta);
            }
            case REASONING, SUMMARY -> {
                if (delta != null && !delta.isEmpty()) listener.reasoning(0, delta);
            }
            case ARGUMENTS -> {
                int tool = toolAt(outputIndex);
                if (tool >= 0 && delta != null) {
                    argumentsSeen[tool] |= !delta.isEmpty();
                    listener.toolCall(0, tool, null, null, delta);
                }
            }
            case ITEM_ADDED -> {
                if ("function_call".equals(itemType)) call(outputIndex);
            }
            case ITEM_DONE -> {
                int tool = toolAt(outputIndex);
                if (tool >= 0 && !argumentsSeen[tool] && callArguments != null && !callArguments.isEmpty()) {
                    argumentsSeen[tool] = true;
                    listener.toolCall(0, tool, null, null, callArguments);
                }
            }
            case COMPLETED, INCOMPLETE, FAILED -> finishResponse();
            case ERROR ->
                listener.error(
                        nested != null
                                ? nested
                                : OpenAiErrors.flat(errorCode, errorMessage)); // the reference's flat shape
            default -> {} // created and in_progress are read in response(); content parts and *.done events repeat what
            // was said
        }
    }

    /** A new function call at output index {@code index}: announced with its id and name. */
    private void call(int index) {
        if (index >= toolOf.length) {
            int n = Math.max(index + 1, toolOf.length * 2);
            int old = toolOf.length;
            toolOf = Arrays.copyOf(toolOf, n);
            Arrays.fill(toolOf, old, n, -1);
        }
        int tool = tools++;
        if (tool >= argumentsSeen.length) argumentsSeen = Arrays.copyOf(argumentsSeen, tool * 2 + 2);
        toolOf[index] = tool;
        String args = callArguments == null ? "" : callArguments;
        argumentsSeen[tool] = !args.isEmpty();
        listener.toolCall(0, tool, callId, callName, args);
    }

    private int toolAt(int index) {
        return index >= 0 && index < toolOf.length ? toolOf[index] : -1;
    }

    private void item(JsonParser p) {
        for (String name = nextName(p); name != null; name = nextName(p)) {
            next(p);
            switch (name) {
                case "type" -> itemType = ClientJson.pick(p, ITEM_TYPES);
                case "call_id" -> callId = string(p);
                case "name" -> callName = string(p);
                case "arguments" -> callArguments = string(p);
                default -> skip(p);
            }
        }
    }

    /**
     * A response object: its id and model (the first time), status, why it is incomplete, usage,
     * error; in a whole answer also its output, delivered as it is read.
     */
    private void response(JsonParser p, boolean whole) {
        String id = null;
        String model = null;
        for (String name = nextName(p); name != null; name = nextName(p)) {
            JsonToken t = next(p);
            switch (name) {
                case "id" -> id = started ? skipped(p) : string(p);
                case "model" -> model = started ? skipped(p) : string(p);
                case "status" -> status = ClientJson.pick(p, STATUS);
                case "incomplete_details" -> {
                    if (t != JsonToken.START_OBJECT) {
                        skip(p);
                        continue;
                    }
                    for (String d = nextName(p); d != null; d = nextName(p)) {
                        next(p);
                        if (d.equals("reason")) incompleteReason = ClientJson.pick(p, INCOMPLETE_REASONS);
                        else skip(p);
                    }
                }
                case "error" -> {
                    if (t != JsonToken.START_OBJECT) {
                        skip(p);
                        continue;
                    }
                    for (String d = nextName(p); d != null; d = nextName(p)) {
                        next(p);
                        if (d.equals("code")) errorCode = string(p);
                        else if (d.equals("message")) errorMessage = string(p);
                        else skip(p);
                    }
                }
                case "usage" -> {
                    if (t == JsonToken.START_OBJECT) usage(p);
                    else skip(p);
                }
                case "output" -> {
                    if (!started && (id != null || model != null)) respond(id, model);
                    if (whole && t == JsonToken.START_ARRAY) output(p);
                    else skip(p);
                }
                default -> skip(p);
            }
        }
        if (!started && (id != null || model != null)) respond(id, model);
    }

    private static String skipped(JsonParser p) {
        skip(p);
        return null;
    }

    private void respond(String id, String model) {
        started = true;
        listener.response(id, model);
    }

    private void usage(JsonParser p) {
        usage = true;
        for (String name = nextName(p); name != null; name = nextName(p)) {
            JsonToken t = next(p);
            switch (name) {
                case "input_tokens" -> prompt = integer(p, 0);
                case "output_tokens" -> completion = integer(p, 0);
                case "input_tokens_details" -> {
                    if (t != JsonToken.START_OBJECT) {
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

    /** A whole answer's output items: message text, function calls, reasoning. */
    private void output(JsonParser p) {
        int index = 0;
        for (JsonToken t = next(p); t != JsonToken.END_ARRAY; t = next(p), index++) {
            if (t != JsonToken.START_OBJECT) {
                skip(p);
                continue;
            }
            String type = null;
            String id = null;
            String name = null;
            String arguments = null;
            for (String f = nextName(p); f != null; f = nextName(p)) {
                JsonToken v = next(p);
                switch (f) {
                    case "type" -> type = ClientJson.pick(p, ITEM_TYPES);
                    case "call_id" -> id = string(p);
                    case "name" -> name = string(p);
                    case "arguments" -> arguments = string(p);
                    case "content", "summary" -> {
                        if (v == JsonToken.START_ARRAY) parts(p);
                        else skip(p);
                    }
                    default -> skip(p);
                }
            }
            if ("function_call".equals(type)) {
                callArguments = arguments;
                callId = id;
                callName = name;
                call(index);
            }
        }
    }

    /** The parts of a message (output_text, refusal) or of a reasoning item (summary_text, reasoning_text). */
    private void parts(JsonParser p) {
        for (JsonToken t = next(p); t != JsonToken.END_ARRAY; t = next(p)) {
            if (t != JsonToken.START_OBJECT) {
                skip(p);
                continue;
            }
            boolean reasoning = false;
            String text = null;
            for (String f = nextName(p); f != null; f = nextName(p)) {
                next(p);
                switch (f) {
                    case "type" -> {
                        reasoning = ClientJson.is(p, "summary_text") || ClientJson.is(p, "reasoning_text");
                        skip(p);
                    }
                    case "text", "refusal" -> text = string(p);
                    default -> skip(p);
                }
            }
            if (text == null || text.isEmpty()) continue;
            if (reasoning) listener.reasoning(0, text);
            else listener.text(0, text);
        }
    }

    /** The response's end: an error if it failed, usage, why it finished, and the end. */
    private void finishResponse() {
        if (usage) listener.usage(prompt, completion, cached); // a failed response may still say what it used
        if ("failed".equals(status)) {
            ProviderError e = OpenAiErrors.flat(errorCode, errorMessage);
            listener.error(new ProviderError(
                    e.status(), "response.failed", e.code(), e.message(), e.retryAfterMillis(), e.limit()));
        } else {
            if ("incomplete".equals(status)) {
                FinishReason r = "content_filter".equals(incompleteReason)
                        ? FinishReason.CONTENT_FILTER
                        : "max_output_tokens".equals(incompleteReason) ? FinishReason.LENGTH : FinishReason.STOP;
                listener.finish(0, r, incompleteReason, null);
            } else {
                listener.finish(0, tools > 0 ? FinishReason.TOOL_CALLS : FinishReason.STOP, "completed", null);
            }
        }
        ended = true;
        listener.end();
    }
}
