package dev.llmlab.gateway.proxy;

import dev.llmlab.api.ApiException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.json.JsonFactory;

/**
 * What the gateway reads of a request body it passes through: the top-level {@code model} (and
 * where its value lies, to put the provider's name there) and {@code stream}. One pass of the
 * streaming parser over the bytes, skipping every nested value, without building a tree: the body
 * itself goes upstream as it came.
 *
 * @param model      the top-level {@code model}, or null
 * @param modelStart the offset of its value's opening quote, or -1
 * @param modelEnd   the offset just past its closing quote, or -1
 * @param stream     the top-level {@code stream} is {@code true}
 * @param streamOptions the body has a top-level {@code stream_options}
 */
record RequestScan(String model, int modelStart, int modelEnd, boolean stream, boolean streamOptions) {
    private static final JsonFactory JSON = new JsonFactory();

    /**
     * @throws ApiException (400) for a body that is not one JSON object, or whose model or stream has
     *     the wrong type
     */
    static RequestScan of(byte[] body, int offset, int length) {
        RequestScan fast = walk(body, offset, length);
        return fast != null ? fast : parse(body, offset, length);
    }

    /**
     * The fast path: the same fields found by a {@link TopLevel} walk, or null for anything it
     * leaves to the parser: a structure it cannot walk, a model with an escape, a non-ASCII or
     * control character, a {@code stream} that is not a literal. Every body it accepts is read
     * again in full by its API's reader before anything is sent, which refuses invalid JSON inside.
     */
    static RequestScan walk(byte[] body, int offset, int length) {
        TopLevel w = new TopLevel(body, offset, length);
        if (!w.open()) return null;
        String model = null;
        int start = -1;
        int end = -1;
        boolean stream = false;
        boolean options = false;
        int r;
        while ((r = w.next()) == TopLevel.MEMBER) {
            if (w.nameIs("model")) {
                if (w.valueFirst() != '"') return null;
                for (int i = w.valueStart() + 1; i < w.valueEnd() - 1; i++) {
                    byte c = body[i];
                    if (c < 0x20 || c == 0x7f || c == '\\') return null; // negative: beyond ASCII
                }
                start = w.valueStart();
                end = w.valueEnd();
                model = new String(body, start + 1, end - start - 2, java.nio.charset.StandardCharsets.US_ASCII);
            } else if (w.nameIs("stream")) {
                if (w.valueIs("true")) stream = true;
                else if (w.valueIs("false") || w.valueIs("null")) stream = false;
                else return null;
            } else if (w.nameIs("stream_options")) {
                options = true;
            }
        }
        return r == TopLevel.END ? new RequestScan(model, start, end, stream, options) : null;
    }

    /** The slow path: the streaming parser, whose errors name what is wrong. */
    static RequestScan parse(byte[] body, int offset, int length) {
        String model = null;
        int start = -1;
        int end = -1;
        boolean stream = false;
        boolean options = false;
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), body, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw invalid(null, "the body must be a JSON object");
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (name.equals("model")) {
                    if (v != JsonToken.VALUE_STRING) throw invalid("model", "model must be a string");
                    start = offset + (int) p.currentTokenLocation().getByteOffset();
                    model = p.getString();
                    // no provider names a model with control characters: refused here, not sent to a catch-all route
                    if (model.chars().anyMatch(c -> c < 0x20 || c == 0x7f))
                        throw invalid("model", "model must not contain control characters");
                    end = closingQuote(body, start, offset + length) + 1;
                } else if (name.equals("stream")) {
                    if (v != JsonToken.VALUE_TRUE && v != JsonToken.VALUE_FALSE && v != JsonToken.VALUE_NULL)
                        throw invalid("stream", "stream must be true or false");
                    stream = v == JsonToken.VALUE_TRUE;
                } else {
                    if (name.equals("stream_options")) options = true;
                    p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null)
                throw invalid(null, "the body must be one JSON object");
        } catch (StreamReadException | StreamConstraintsException e) {
            // a nesting deeper than the parser's limit is a bad body too, not a server error
            throw invalid(null, "the body is not valid JSON: " + e.getOriginalMessage());
        }
        return new RequestScan(model, start, end, stream, options);
    }

    /** The body with the model's value replaced by {@code model}, or the same bytes if it is already that. */
    byte[] withModel(byte[] body, String newModel) {
        if (modelStart < 0 || newModel.equals(model)) return body;
        byte[] quoted = quote(newModel);
        byte[] out = new byte[body.length - (modelEnd - modelStart) + quoted.length];
        System.arraycopy(body, 0, out, 0, modelStart);
        System.arraycopy(quoted, 0, out, modelStart, quoted.length);
        System.arraycopy(body, modelEnd, out, modelStart + quoted.length, body.length - modelEnd);
        return out;
    }

    /**
     * The body asking for usage in its stream ({@code "stream_options":{"include_usage":true}} put
     * first), for a body that has no {@code stream_options} of its own.
     */
    static byte[] withIncludeUsage(byte[] body) {
        int brace = 0;
        while (brace < body.length && body[brace] != '{') brace++;
        byte[] add =
                "\"stream_options\":{\"include_usage\":true},".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int next = brace + 1;
        while (next < body.length
                && (body[next] == ' ' || body[next] == '\n' || body[next] == '\r' || body[next] == '\t')) next++;
        boolean empty = next < body.length && body[next] == '}';
        int addLength = empty ? add.length - 1 : add.length;
        byte[] out = new byte[body.length + addLength];
        System.arraycopy(body, 0, out, 0, brace + 1);
        System.arraycopy(add, 0, out, brace + 1, addLength);
        System.arraycopy(body, brace + 1, out, brace + 1 + addLength, body.length - brace - 1);
        return out;
    }

    private static byte[] quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static int closingQuote(byte[] b, int open, int limit) {
        for (int i = open + 1; i < limit; i++) {
            if (b[i] == '\\') i++;
            else if (b[i] == '"') return i;
        }
        throw invalid("model", "model is not a closed string");
    }

    private static ApiException invalid(String param, String message) {
        return ApiException.invalid(param, null, message);
    }
}
