package dev.llmlab.api;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What every wire format needs: a request body read as a JSON object, and raw text into a frame. */
public final class Wire {
    private Wire() {}

    /** The body as a JSON object, or null when it is empty, not JSON, or not an object (each API words that error itself). */
    public static JsonNode readObject(JsonMapper mapper, byte[] body, int offset, int length) {
        if (length == 0) return null;
        try {
            JsonNode root = mapper.readTree(body, offset, length);
            return root != null && root.isObject() ? root : null;
        } catch (JacksonException e) {
            return null;
        }
    }

    /** Writes text (SSE framing, mostly) into an in-memory frame buffer. */
    public static void raw(OutputStream out, String s) {
        try {
            out.write(s.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
