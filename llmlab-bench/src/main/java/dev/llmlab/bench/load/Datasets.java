package dev.llmlab.bench.load;

import dev.llmlab.api.Message;
import dev.llmlab.api.client.ClientApi;
import dev.llmlab.bench.client.Requests;
import dev.llmlab.core.io.Problems;
import dev.llmlab.core.random.Seeds;
import dev.llmlab.core.token.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Prompts from files, read and encoded before the run:
 * <ul>
 *   <li>{@code jsonl}: one request per line, {@code {"messages": [...]}} (OpenAI's shape) or
 *       {@code {"prompt": "..."}}, with an optional {@code "max_tokens"};</li>
 *   <li>{@code sharegpt}: ShareGPT's JSON array of {@code {"conversations": [{"from", "value"}, ...]}}:
 *       the first human turn is the prompt, the reply that follows sets {@code max_tokens} to its
 *       length, as vLLM's benchmark does;</li>
 *   <li>{@code trace}: Mooncake-style JSONL, {@code {"timestamp": ms, "input_length", "output_length",
 *       "hash_ids": [...]}}: requests replayed at their timestamps, with prompts built from one
 *       fixed block of text per hash id ({@link #TRACE_BLOCK_TOKENS} tokens), so requests that
 *       share ids share a prefix, as the trace's did.</li>
 * </ul>
 * Errors name the file, the line (or entry) and what is wrong.
 */
public final class Datasets {
    /** Tokens per hash id in Mooncake's traces. */
    public static final int TRACE_BLOCK_TOKENS = 512;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Datasets() {}

    /** A trace: its requests and when each is to be sent (ns from the start). */
    public record Trace(Workload workload, long[] offsetsNanos) {}

    public static Workload jsonl(
            Path file, ClientApi api, String model, boolean stream, int defaultMaxTokens, Tokenizer tok) {
        List<Workload.Request> out = new ArrayList<>();
        List<String> lines = read(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) continue;
            String where = file + ":" + (i + 1);
            JsonNode n = parse(line, where);
            int max = n.path("max_tokens").asInt(defaultMaxTokens);
            if (n.path("messages").isArray() && !n.path("messages").isEmpty()) {
                List<Message> messages = new ArrayList<>();
                StringBuilder text = new StringBuilder();
                for (JsonNode m : n.path("messages")) {
                    if (!m.path("content").isString())
                        throw new IllegalArgumentException(where + ": every message needs a string 'content'");
                    String role = m.path("role").asString("user");
                    String content = m.path("content").asString();
                    messages.add(new Message(role, content, null, null, null));
                    text.append(content).append('\n');
                }
                out.add(new Workload.Request(
                        body(where, api, model, messages, text.toString(), max, stream), tok.count(text), max));
            } else if (n.path("prompt").isString()) {
                String p = n.path("prompt").asString();
                out.add(new Workload.Request(
                        body(where, api, model, Requests.user(p), p, max, stream), tok.count(p), max));
            } else {
                throw new IllegalArgumentException(
                        where + ": a line needs 'messages' (a non-empty array) or 'prompt' (a string)");
            }
        }
        if (out.isEmpty()) throw new IllegalArgumentException(file + ": no requests");
        return new Workload(out);
    }

    public static Workload shareGpt(Path file, ClientApi api, String model, boolean stream, Tokenizer tok, int limit) {
        JsonNode root = parse(String.join("\n", read(file)), file.toString());
        if (!root.isArray()) throw new IllegalArgumentException(file + ": ShareGPT data is a JSON array");
        List<Workload.Request> out = new ArrayList<>();
        for (int i = 0; i < root.size() && out.size() < limit; i++) {
            JsonNode turns = root.get(i).path("conversations");
            if (turns.size() < 2) continue; // needs a prompt and a reply
            String prompt = turns.get(0).path("value").asString("");
            String reply = turns.get(1).path("value").asString("");
            if (prompt.isEmpty() || reply.isEmpty()) continue;
            int max = Math.max(1, tok.count(reply));
            out.add(new Workload.Request(
                    body(file + " entry " + i, api, model, Requests.user(prompt), prompt, max, stream),
                    tok.count(prompt),
                    max));
        }
        if (out.isEmpty()) throw new IllegalArgumentException(file + ": no conversation with a prompt and a reply");
        return new Workload(out);
    }

    public static Trace trace(Path file, ClientApi api, String model, boolean stream, Tokenizer tok, long seed) {
        List<String> lines = read(file);
        List<Workload.Request> out = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        java.util.Map<Long, String> blocks = new java.util.HashMap<>();
        long first = Long.MIN_VALUE;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) continue;
            String where = file + ":" + (i + 1);
            JsonNode n = parse(line, where);
            if (!n.path("timestamp").isNumber()
                    || !n.path("input_length").isNumber()
                    || !n.path("output_length").isNumber()) {
                throw new IllegalArgumentException(
                        where + ": a trace line needs numeric 'timestamp' (ms), 'input_length' and 'output_length'");
            }
            long ts = n.path("timestamp").asLong();
            if (first == Long.MIN_VALUE) first = ts;
            if (ts < first) throw new IllegalArgumentException(where + ": timestamps must not go back in time");
            int input = Math.max(1, n.path("input_length").asInt());
            int output = Math.max(1, n.path("output_length").asInt());
            StringBuilder prompt = new StringBuilder();
            for (JsonNode id : n.path("hash_ids")) {
                prompt.append(blocks.computeIfAbsent(id.asLong(), h -> block(Seeds.mix(seed, h))));
            }
            // the rest of the prompt (beyond its shared blocks) is its own
            int have = prompt.isEmpty() ? 0 : tok.count(prompt);
            if (have < input) prompt.append(words(input - have, Seeds.rng(Seeds.mix(seed, 0x7ace, i))));
            String p = prompt.toString();
            out.add(new Workload.Request(
                    body(where, api, model, Requests.user(p), p, output, stream), tok.count(p), output));
            offsets.add((ts - first) * 1_000_000L);
        }
        if (out.isEmpty()) throw new IllegalArgumentException(file + ": no requests");
        long[] o = new long[offsets.size()];
        for (int i = 0; i < o.length; i++) o[i] = offsets.get(i);
        return new Trace(new Workload(out), o);
    }

    /** A request's body, or an error naming where its prompt came from when the API cannot carry it. */
    private static byte[] body(
            String where,
            ClientApi api,
            String model,
            List<Message> messages,
            String text,
            int maxTokens,
            boolean stream) {
        try {
            return Requests.body(api, model, messages, text, maxTokens, stream);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }

    private static String block(long seed) {
        return words(TRACE_BLOCK_TOKENS, Seeds.rng(seed));
    }

    /** About {@code tokens} tokens of words (one token each, with their leading space). */
    private static String words(int tokens, RandomGenerator rng) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < tokens; i++) b.append(' ').append(Workload.WORDS[rng.nextInt(Workload.WORDS.length)]);
        return b.toString();
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + Problems.unreadable(file, e));
        }
    }

    private static JsonNode parse(String text, String where) {
        try {
            return JSON.readTree(text);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(where + ": " + Problems.notJson(e));
        }
    }
}
