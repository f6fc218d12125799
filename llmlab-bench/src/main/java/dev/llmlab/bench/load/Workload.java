package dev.llmlab.bench.load;

import dev.llmlab.api.client.ClientApi;
import dev.llmlab.bench.client.Requests;
import dev.llmlab.core.dist.Distribution;
import dev.llmlab.core.random.Seeds;
import dev.llmlab.core.token.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The requests of a run, built before it starts so that nothing on the hot path composes text or
 * counts tokens: request {@code i} sends {@code body(i % size)}.
 *
 * <p>Synthetic prompts are words drawn from a fixed list and trimmed to their drawn length as the
 * tokenizer counts it, each opened by the run's nonce and a unique number so that no two share a
 * prefix-cache block, within the run or with an earlier run.
 */
public final class Workload {
    /** One prepared request. */
    public record Request(byte[] body, int inputTokens, int maxTokens) {}

    static final String[] WORDS = ("the of and to in is was for on that with as by at from his her an were are "
                    + "which this be or has had not but they their one all been its new more also who when first two other "
                    + "after time into year may over some only most would between where city made world under during while "
                    + "system model data load request server token stream engine batch cache queue latency rate")
            .split(" ");

    private final List<Request> requests;
    private final long first;
    private final long stride;

    Workload(List<Request> requests) {
        this(requests, 0, 1);
    }

    private Workload(List<Request> requests, long first, long stride) {
        this.requests = requests;
        this.first = first;
        this.stride = stride;
    }

    /** Shard {@code i} of {@code n}: its request j is this workload's request {@code i + j * n}, as in {@link Schedule#shard}. */
    public Workload shard(int i, int n) {
        return new Workload(requests, first + i * stride, stride * n);
    }

    /**
     * The requests from {@code offset} on: the next level of a sweep starts where the last one
     * stopped, so that it meets no prefix the server cached for an earlier level.
     */
    public Workload from(long offset) {
        return new Workload(requests, first + offset * stride, stride);
    }

    /**
     * A run's own opening for its prompts, {@code "[3f9a2c1b] "}: drawn fresh for each run, so that
     * two runs of one seed send prompts that share no prefix, and the second does not read what the
     * first left in the server's prefix cache. A few tokens, less than one KV block (16 tokens in
     * vLLM), so that it is no shared prefix within a run either.
     */
    public static String freshNonce() {
        return String.format("[%08x] ", new java.security.SecureRandom().nextInt());
    }

    /** As {@link #synthetic(ClientApi, String, boolean, int, Distribution, Distribution, int, Tokenizer, long, String)} without a nonce. */
    public static Workload synthetic(
            ClientApi api,
            String model,
            boolean stream,
            int count,
            Distribution inputTokens,
            Distribution outputTokens,
            int maxTokens,
            Tokenizer tokenizer,
            long seed) {
        return synthetic(api, model, stream, count, inputTokens, outputTokens, maxTokens, tokenizer, seed, "");
    }

    /**
     * @param count         distinct requests to build (the run cycles through them)
     * @param inputTokens   prompt length distribution, in tokens
     * @param outputTokens  max_tokens distribution; null sends the fixed {@code maxTokens}
     * @param nonce         each prompt's opening ({@link #freshNonce}), inside its drawn length; "" for none
     */
    public static Workload synthetic(
            ClientApi api,
            String model,
            boolean stream,
            int count,
            Distribution inputTokens,
            Distribution outputTokens,
            int maxTokens,
            Tokenizer tokenizer,
            long seed,
            String nonce) {
        RandomGenerator rng = Seeds.rng(Seeds.mix(seed, 0x3a7a));
        List<Request> out = new ArrayList<>(count);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            int target = (int) Math.max(1, Math.round(inputTokens.sample(rng)));
            int max = outputTokens == null ? maxTokens : (int) Math.max(1, Math.round(outputTokens.sample(rng)));
            text.setLength(0);
            text.append(nonce).append(i).append(':');
            // Common words are one token each with their leading space; trim the last few by counting.
            while (text.length() < target * 6L) text.append(' ').append(WORDS[rng.nextInt(WORDS.length)]);
            int[] ids = tokenizer.encode(text.toString());
            String prompt = ids.length > target ? tokenizer.decode(Arrays.copyOf(ids, target)) : text.toString();
            int n = tokenizer.count(prompt);
            out.add(new Request(Requests.body(api, model, Requests.user(prompt), prompt, max, stream), n, max));
        }
        return new Workload(out);
    }

    /** The same requests with {@code extra}'s fields laid over each body ({@link Requests#withExtra}). */
    public Workload withExtra(tools.jackson.databind.node.ObjectNode extra) {
        if (extra == null || extra.isEmpty()) return this;
        List<Request> out = new ArrayList<>(requests.size());
        for (Request r : requests)
            out.add(new Request(Requests.withExtra(r.body(), extra), r.inputTokens(), r.maxTokens()));
        return new Workload(out, first, stride);
    }

    public Request get(long i) {
        return requests.get((int) ((first + i * stride) % requests.size()));
    }

    public int size() {
        return requests.size();
    }
}
