package dev.llmlab.gateway.cache;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What an answer is cached under: the SHA-256 of a request as its answer depends on it.
 *
 * <p><b>What goes in.</b> The API and endpoint the request came in on (a chat completion is not a
 * Messages answer, nor a Gemini stream of {@code alt=sse} one without); the route and the model
 * name asked (nothing is shared across models, even under one wildcard route); the tenant (a team
 * or a key: nothing is shared across tenants); the request headers that change an answer
 * ({@code anthropic-version}, {@code anthropic-beta}, {@code openai-beta}); whether it streams;
 * and the whole body, normalised, but for the members that only label a request: {@code user},
 * {@code metadata}, {@code store}, {@code safety_identifier}, {@code prompt_cache_key} and
 * Gemini's {@code labels}. Every other member counts: messages, system prompt, tools and
 * tool_choice, response_format, and every sampling parameter, known or not (a parameter the
 * gateway has never heard of may change the answer, so it changes the key).
 *
 * <p><b>Normalised.</b> The body is read as JSON and hashed as its value, not its text: member
 * order, whitespace and string escapes ({@code "\u0041"} is {@code "A"}) change nothing, nor do
 * number spellings of one value ({@code 1}, {@code 1.0} and {@code 1e0}); a top-level member set
 * to {@code null} counts as absent, as the APIs read it, and so does {@code "stream": false}. The
 * value is written in a tagged, length-prefixed form before it is hashed, so that no two different
 * requests write the same bytes: {@code ["ab"]} and {@code ["a","b"]} differ by their counts.
 *
 * <p>Immutable; equal keys have equal digests.
 */
public final class CacheKey {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Members that label a request for the provider's records and never change its answer. */
    static final Set<String> IGNORED =
            Set.of("user", "metadata", "store", "safety_identifier", "prompt_cache_key", "labels");
    /** Request headers that change an answer. */
    static final List<String> ANSWER_HEADERS = List.of("anthropic-version", "anthropic-beta", "openai-beta");
    /** Bumped when what goes in changes, so that a shared Redis never serves an entry of another layout. */
    private static final String VERSION = "llmlab-exact-cache-1";

    private final byte[] digest;

    private CacheKey(byte[] digest) {
        this.digest = digest;
    }

    /**
     * The key of one request.
     *
     * @param endpoint the endpoint it came in on, with whatever of its query changes the answer
     *                 (such as {@code /v1beta/models/{model}:streamGenerateContent?alt=sse})
     * @param route    the name of the route that matched
     * @param model    the model name the client asked for
     * @param tenant   who may share the answer ({@code team:NAME}, {@code key:NAME}, ...)
     * @param headers  the request's headers by lower-case name; only {@link #ANSWER_HEADERS} are read
     * @param stream   whether the answer streams
     * @param body     the request body, a JSON object (or empty)
     * @throws IllegalArgumentException for a body that is not JSON (the gateway has read it before)
     */
    public static CacheKey of(
            String endpoint,
            String route,
            String model,
            String tenant,
            Map<String, String> headers,
            boolean stream,
            byte[] body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.max(256, body.length));
        DataOutputStream out = new DataOutputStream(bytes);
        try {
            string(out, VERSION);
            string(out, endpoint);
            string(out, route);
            string(out, model);
            string(out, tenant);
            for (String h : ANSWER_HEADERS) {
                String v = headers.get(h);
                out.writeByte(v == null ? 'Z' : 'S');
                if (v != null) string(out, v.strip());
            }
            out.writeBoolean(stream);
            if (body.length > 0) {
                JsonNode tree = JSON.readTree(body);
                if (tree.isObject()) topLevel(out, tree);
                else value(out, tree);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (tools.jackson.core.JacksonException e) {
            throw new IllegalArgumentException("the body is not JSON: " + e.getOriginalMessage());
        }
        return new CacheKey(sha256(bytes.toByteArray()));
    }

    /** The key as 64 hexadecimal digits. */
    public String hex() {
        return HexFormat.of().formatHex(digest);
    }

    byte[] digest() {
        return digest.clone();
    }

    private static void topLevel(DataOutputStream out, JsonNode object) throws IOException {
        TreeMap<String, JsonNode> members = new TreeMap<>();
        for (Map.Entry<String, JsonNode> m : object.properties()) {
            String name = m.getKey();
            JsonNode v = m.getValue();
            if (IGNORED.contains(name) || v.isNull()) continue;
            if (name.equals("stream")) continue; // the stream flag stands for it
            members.put(name, v);
        }
        members(out, members);
    }

    private static void value(DataOutputStream out, JsonNode v) throws IOException {
        if (v.isObject()) {
            TreeMap<String, JsonNode> members = new TreeMap<>();
            for (Map.Entry<String, JsonNode> m : v.properties()) members.put(m.getKey(), m.getValue());
            members(out, members);
        } else if (v.isArray()) {
            out.writeByte('A');
            out.writeInt(v.size());
            for (JsonNode e : v) value(out, e);
        } else if (v.isString()) {
            out.writeByte('S');
            string(out, v.stringValue());
        } else if (v.isNumber()) {
            BigDecimal d = v.decimalValue().stripTrailingZeros();
            byte[] unscaled = d.unscaledValue().toByteArray();
            out.writeByte('N');
            out.writeInt(unscaled.length);
            out.write(unscaled);
            out.writeInt(d.scale());
        } else if (v.isBoolean()) {
            out.writeByte(v.booleanValue() ? 'T' : 'F');
        } else {
            out.writeByte('Z');
        }
    }

    private static void members(DataOutputStream out, TreeMap<String, JsonNode> members) throws IOException {
        out.writeByte('O');
        out.writeInt(members.size());
        for (Map.Entry<String, JsonNode> m : members.entrySet()) {
            string(out, m.getKey());
            value(out, m.getValue());
        }
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        byte[] b = (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
        out.writeInt(s == null ? -1 : b.length);
        out.write(b);
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CacheKey k && Arrays.equals(digest, k.digest);
    }

    @Override
    public int hashCode() {
        // the digest is uniform: its first bytes are as good a hash as any
        return (digest[0] & 0xff) << 24 | (digest[1] & 0xff) << 16 | (digest[2] & 0xff) << 8 | (digest[3] & 0xff);
    }

    @Override
    public String toString() {
        return hex();
    }
}
