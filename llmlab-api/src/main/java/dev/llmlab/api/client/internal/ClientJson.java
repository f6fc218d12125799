package dev.llmlab.api.client.internal;

import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.Message;
import dev.llmlab.api.client.MalformedAnswerException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.async.ByteArrayFeeder;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON reading the per-API client codecs share: Jackson's streaming parser with helpers that
 * turn a cut-short input into a {@link MalformedAnswerException} instead of a loop, compare string
 * values without making Strings, and reuse one parser for every event of a stream. Not API: public
 * only because the codec packages ({@code dev.llmlab.api.openai}, {@code .anthropic}, {@code
 * .gemini}) share it, and it may change with them; callers use {@link
 * dev.llmlab.api.client.ClientCodec}.
 *
 * <p>Why one parser per stream: creating a parser per event (its context, its symbol table's
 * child, its buffers) was most of what decoding a one-token event allocated. Jackson's
 * non-blocking parser reads a sequence of root-level values fed one by one, so each event is fed
 * to the stream's parser and nothing is allocated per event but the strings the listener gets.
 */
public final class ClientJson {
    /**
     * Answers are read on a client's event loops, once per answer or event: buffers recycled per
     * thread, not through the default pool's shared queue (whose atomics showed in profiles).
     */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.threadLocalPool())
            .build();

    /** For request bodies (with trees: schemas) and copied values; generators leave the caller's stream open. */
    public static final JsonMapper MAPPER =
            JsonMapper.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

    private ClientJson() {}

    /**
     * A parser over a whole body, positioned on its first token, which must start an object.
     *
     * @param what names the body in the error message ("a chat answer")
     */
    public static JsonParser openObject(byte[] body, int offset, int length, String what) {
        JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), body, offset, length);
        try {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) throw malformed(what + ": " + (t == null ? "empty" : "not a JSON object"));
            return p;
        } catch (JacksonException e) {
            p.close();
            throw malformed(what, e);
        }
    }

    /** The next token; a cut-short input (end of input, or no more fed input) is malformed. */
    public static JsonToken next(JsonParser p) {
        JsonToken t = p.nextToken();
        if (t == null || t == JsonToken.NOT_AVAILABLE) throw new MalformedAnswerException("truncated JSON");
        return t;
    }

    /** The next property name of the object being read, or null at its end. */
    public static String nextName(JsonParser p) {
        JsonToken t = next(p);
        if (t == JsonToken.PROPERTY_NAME) return p.currentName();
        if (t == JsonToken.END_OBJECT) return null;
        throw new MalformedAnswerException("unexpected " + t);
    }

    /** Skips the value whose first token is the current one (nothing to do for a scalar). */
    public static void skip(JsonParser p) {
        JsonToken t = p.currentToken();
        if (t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY) return;
        int depth = 1;
        while (depth > 0) {
            JsonToken n = next(p);
            if (n == JsonToken.START_OBJECT || n == JsonToken.START_ARRAY) depth++;
            else if (n == JsonToken.END_OBJECT || n == JsonToken.END_ARRAY) depth--;
        }
    }

    /** The current value as a String, or null for JSON null or a value of another kind (skipped). */
    public static String string(JsonParser p) {
        if (p.currentToken() == JsonToken.VALUE_STRING) return p.getString();
        skip(p);
        return null;
    }

    /** The current value as an int, or {@code absent} for a value that is not a number (skipped). */
    public static int integer(JsonParser p, int absent) {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT) return p.getIntValue();
        if (t == JsonToken.VALUE_NUMBER_FLOAT) return (int) p.getDoubleValue();
        skip(p);
        return absent;
    }

    /** Whether the current value is the string {@code value}, compared without making a String. */
    public static boolean is(JsonParser p, String value) {
        if (p.currentToken() != JsonToken.VALUE_STRING) return false;
        int n = p.getStringLength();
        if (n != value.length()) return false;
        char[] chars = p.getStringCharacters();
        int off = p.getStringOffset();
        for (int i = 0; i < n; i++) if (chars[off + i] != value.charAt(i)) return false;
        return true;
    }

    /**
     * The current string value as one of the {@code known} constants (no String made), a new String
     * if it is none of them, or null for JSON null or another kind of value (skipped).
     */
    public static String pick(JsonParser p, String[] known) {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            skip(p);
            return null;
        }
        for (String k : known) if (is(p, k)) return k;
        return p.getString();
    }

    /** Copies the current value (object, array or scalar) as compact JSON text, numbers as written. */
    public static String copy(JsonParser p) {
        StringWriter w = new StringWriter(64);
        try (JsonGenerator g = FACTORY.createGenerator(ObjectWriteContext.empty(), w)) {
            int depth = 0;
            do {
                JsonToken t = depth == 0 ? p.currentToken() : next(p);
                switch (t) {
                    case START_OBJECT -> {
                        g.writeStartObject();
                        depth++;
                    }
                    case START_ARRAY -> {
                        g.writeStartArray();
                        depth++;
                    }
                    case END_OBJECT -> {
                        g.writeEndObject();
                        depth--;
                    }
                    case END_ARRAY -> {
                        g.writeEndArray();
                        depth--;
                    }
                    case PROPERTY_NAME -> g.writeName(p.currentName());
                    case VALUE_STRING -> g.writeString(p.getString());
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> g.writeNumber(p.getString());
                    case VALUE_TRUE -> g.writeBoolean(true);
                    case VALUE_FALSE -> g.writeBoolean(false);
                    case VALUE_NULL -> g.writeNull();
                    default -> throw new MalformedAnswerException("unexpected " + t);
                }
            } while (depth > 0);
        }
        return w.toString();
    }

    /** Whether {@code data} holds nothing but whitespace (a keep-alive event). */
    public static boolean blank(byte[] data, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            byte b = data[i];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') return false;
        }
        return true;
    }

    public static MalformedAnswerException malformed(String message) {
        return new MalformedAnswerException(message);
    }

    /** {@code what} with Jackson's own short reason ("Unexpected end-of-input"), without its location dump. */
    public static MalformedAnswerException malformed(String what, JacksonException e) {
        String reason = e.getOriginalMessage();
        int cut = reason.indexOf('\n');
        if (cut > 0) reason = reason.substring(0, cut);
        if (reason.length() > 120) reason = reason.substring(0, 120) + "...";
        return new MalformedAnswerException(what + ": " + reason);
    }

    /** Rethrows a failure while reading {@code what}: a parse error or a cut short input as malformed. */
    public static RuntimeException failure(String what, RuntimeException e) {
        if (e instanceof JacksonException j) return malformed(what, j);
        if (e instanceof MalformedAnswerException m)
            return m.getMessage().startsWith(what) ? m : malformed(what + ": " + m.getMessage());
        return e;
    }

    /**
     * A duration as providers write it, in milliseconds: Google's {@code "43s"} or
     * {@code "1.203608125s"}, OpenAI's {@code "1.2s"}, {@code "20ms"}, {@code "6m0s"},
     * {@code "1h16m0.667s"}; -1 when it is none of these.
     */
    public static long durationMillis(String s) {
        if (s == null || s.isEmpty()) return -1;
        double total = 0;
        int i = 0;
        boolean any = false;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) i++;
            if (start == i) return -1;
            double v;
            try {
                v = Double.parseDouble(s.substring(start, i));
            } catch (NumberFormatException e) {
                return -1;
            }
            int unit = i;
            while (i < s.length() && Character.isLetter(s.charAt(i))) i++;
            switch (s.substring(unit, i)) {
                case "h" -> total += v * 3_600_000;
                case "m" -> total += v * 60_000;
                case "s" -> total += v * 1_000;
                case "ms" -> total += v;
                default -> {
                    return -1;
                }
            }
            any = true;
        }
        return any ? Math.round(total) : -1;
    }

    /** The start of a body that is not the API's JSON (a proxy's page), for an error message. */
    public static String firstLine(byte[] body, int offset, int length) {
        String s = new String(body, offset, Math.min(length, 512), StandardCharsets.UTF_8).strip();
        int nl = s.indexOf('\n');
        if (nl >= 0) s = s.substring(0, nl).strip();
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    /**
     * A request's conversation, for an API that takes messages: its messages or, for a request that
     * holds one text prompt instead (a legacy completion's), that prompt as the user's message.
     *
     * @param api names the API in the error ("anthropic-messages")
     * @throws IllegalArgumentException when the request has no message form (several prompts, token
     *     ids), or asks for {@code echo}, which only legacy completions do
     */
    public static List<Message> conversation(GenerationRequest r, String api) {
        if (r.echo())
            throw new IllegalArgumentException(api + " has no echo: the answer could not begin with the prompt");
        if (!r.messages().isEmpty()) return r.messages();
        if (r.prompts().size() == 1 && !r.prompts().getFirst().isTokens())
            return List.of(Message.of("user", r.prompts().getFirst().text()));
        throw new IllegalArgumentException(api + " needs messages: a request of "
                + r.prompts().size() + " prompt(s) or of token ids has no message form");
    }

    /**
     * The parser of a stream's events. By default one parser for all of them (see the class
     * comment): nothing allocated per event, at the cost of the parser's state (its symbol table's
     * child, its buffers: about 4 KB) held for the stream's whole life. A lean one ({@code
     * retain} false) reads each event with a parser of its own, closed when the event is read, so
     * that nothing is held between events: for a gateway holding thousands of streams, where memory
     * per stream counts more than allocation per event. Each event is fed whole; after a failure
     * the parser is dropped and the next event gets a fresh one, so one bad event does not spoil the
     * rest of the stream. Not thread-safe.
     */
    public static final class EventParser {
        private final boolean retain;
        private JsonParser parser;
        private ByteArrayFeeder feeder;

        /** One parser for the whole stream. */
        public EventParser() {
            this(true);
        }

        /** @param retain one parser for the whole stream; false for one per event, held by none between them */
        public EventParser(boolean retain) {
            this.retain = retain;
        }

        /** Feeds one event and reads its first token, which must start an object; returns the parser. */
        public JsonParser open(byte[] data, int offset, int length) {
            if (!retain) {
                parser = FACTORY.createParser(ObjectReadContext.empty(), data, offset, length);
                JsonToken t;
                try {
                    t = parser.nextToken();
                } catch (JacksonException e) {
                    reset();
                    throw e;
                }
                if (t != JsonToken.START_OBJECT) {
                    reset();
                    throw malformed(t == null ? "truncated JSON" : "not a JSON object");
                }
                return parser;
            }
            if (parser == null) {
                parser = FACTORY.createNonBlockingByteArrayParser(ObjectReadContext.empty());
                feeder = (ByteArrayFeeder) parser.nonBlockingInputFeeder();
            }
            feeder.feedInput(data, offset, offset + length);
            JsonToken t = parser.nextToken();
            if (t != JsonToken.START_OBJECT) {
                reset();
                throw malformed(t == JsonToken.NOT_AVAILABLE ? "truncated JSON" : "not a JSON object");
            }
            return parser;
        }

        /** After the event's object was read to its end: nothing but whitespace may follow it. */
        public void close() {
            JsonToken after = parser.nextToken();
            if (after != (retain ? JsonToken.NOT_AVAILABLE : null)) {
                reset();
                throw malformed("more than one JSON value");
            }
            if (!retain) reset();
        }

        /** Drops the parser after a failure (its state is mid-value). */
        public void reset() {
            if (parser != null) parser.close();
            parser = null;
            feeder = null;
        }
    }
}
