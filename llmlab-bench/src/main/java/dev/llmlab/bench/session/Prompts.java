package dev.llmlab.bench.session;

import dev.llmlab.api.client.ClientApi;
import dev.llmlab.bench.load.Datasets;
import dev.llmlab.bench.load.Schedule;
import dev.llmlab.bench.load.Workload;
import dev.llmlab.core.dist.Distribution;
import dev.llmlab.core.token.Tokenizer;
import java.util.List;

/**
 * A session's prompts: synthetic ones of the settings' lengths, or a dataset's; a trace's also carry
 * their send times.
 *
 * @param trace a trace's schedule, or null
 */
record Prompts(Workload workload, Schedule trace) {
    static final List<String> FORMATS = List.of("jsonl", "sharegpt", "trace");

    /**
     * @param levels whether the session runs several load levels, whose prompts go on from one level
     *               to the next and so are never fewer than 4,096
     * @param nonce  every prompt's opening, fresh per run ({@link Workload#freshNonce}); "" to send the
     *               seed's exact prompts
     * @throws IllegalArgumentException naming the file and line, or the setting, at fault
     */
    static Prompts of(
            SessionOptions o,
            ClientApi api,
            String model,
            boolean stream,
            Distribution input,
            Distribution output,
            Tokenizer tok,
            boolean levels,
            String nonce) {
        if (o.dataset() == null) {
            long distinct = !levels && o.requests() != null && o.requests() > 0 ? Math.min(o.requests(), 4096) : 4096;
            return new Prompts(
                    Workload.synthetic(
                            api, model, stream, (int) distinct, input, output, o.maxTokens(), tok, o.seed(), nonce),
                    null);
        }
        return switch (o.datasetFormat()) {
            case "jsonl" ->
                new Prompts(Datasets.jsonl(o.dataset(), api, model, stream, o.maxTokens(), tok, nonce), null);
            case "sharegpt" ->
                new Prompts(Datasets.shareGpt(o.dataset(), api, model, stream, tok, 100_000, nonce), null);
            default -> {
                Datasets.Trace t = Datasets.trace(o.dataset(), api, model, stream, tok, o.seed(), nonce);
                yield new Prompts(t.workload(), Schedule.of(t.offsetsNanos()));
            }
        };
    }
}
