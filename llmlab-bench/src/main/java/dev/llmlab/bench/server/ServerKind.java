package dev.llmlab.bench.server;

import dev.llmlab.bench.server.PromText.Exposition;
import dev.llmlab.bench.server.PromText.Sample;
import java.util.List;

/**
 * Which serving engine a metrics page comes from, and where its three gauges of interest live:
 * requests running (in the batch), requests waiting (queued), and KV-cache usage as a fraction.
 *
 * <p>Why detect from the page instead of asking the user: the names are distinctive (each engine
 * prefixes its own), a bench run often points at a URL whose engine the user did not write down,
 * and a proxy may sit in front. The kind is what the report prints next to the curves.
 *
 * <p>Aggregation over series (several engines, data-parallel ranks, models, one per label set):
 * running and waiting are counts, so they add; a family declared with no series is a count over
 * nothing, so 0. KV usage is a fraction of each engine's own cache, so the series are averaged
 * (the fraction of the whole pool when engines have equal caches) and a family with no series
 * reads as unknown (null). NaN series are left out.
 *
 * <p>vLLM renamed {@code vllm:gpu_cache_usage_perc} to {@code vllm:kv_cache_usage_perc} (v1 engine)
 * and exported both for a while: the newer one wins, never the sum. Despite "perc", both are 0..1.
 * The llmlab simulator exports vLLM's names plus its own {@code llmlab_*} metrics, which tell it
 * apart; KV usage only in its batching-engine mode (a latency profile has no cache: null).
 */
enum ServerKind {
    LLMLAB("llmlab", Vllm.RUNNING, Vllm.WAITING, Vllm.KV),
    VLLM("vllm", Vllm.RUNNING, Vllm.WAITING, Vllm.KV),
    SGLANG(
            "sglang",
            List.of("sglang:num_running_reqs"),
            List.of("sglang:num_queue_reqs"),
            List.of("sglang:token_usage")),
    TGI("tgi", List.of("tgi_batch_current_size"), List.of("tgi_queue_size"), List.of()),
    UNKNOWN("unknown", List.of(), List.of(), List.of());

    /** vLLM's names, shared by the simulator. */
    private static final class Vllm {
        static final List<String> RUNNING = List.of("vllm:num_requests_running");
        static final List<String> WAITING = List.of("vllm:num_requests_waiting");
        static final List<String> KV = List.of("vllm:kv_cache_usage_perc", "vllm:gpu_cache_usage_perc");
    }

    /** The simulator's one unlabelled gauge, on its page from the start. */
    private static final String SIM_MARKER = "llmlab_active_streams";

    /** The three gauges at one scrape; null for what the server does not export. */
    record Reading(Double running, Double waiting, Double kvCacheUsage) {}

    final String label;
    private final List<String> running;
    private final List<String> waiting;
    private final List<String> kv;

    ServerKind(String label, List<String> running, List<String> waiting, List<String> kv) {
        this.label = label;
        this.running = running;
        this.waiting = waiting;
        this.kv = kv;
    }

    static ServerKind detect(Exposition page) {
        if (page.has(SIM_MARKER) || (VLLM.exports(page) && page.hasPrefix("llmlab_"))) return LLMLAB;
        if (VLLM.exports(page)) return VLLM;
        if (SGLANG.exports(page)) return SGLANG;
        if (TGI.exports(page)) return TGI;
        return UNKNOWN;
    }

    private boolean exports(Exposition page) {
        for (List<String> names : List.of(running, waiting, kv)) {
            for (String n : names) if (page.has(n)) return true;
        }
        return false;
    }

    Reading read(Exposition page) {
        return new Reading(aggregate(page, running, false), aggregate(page, waiting, false), aggregate(page, kv, true));
    }

    /**
     * The first of {@code names} the page has, summed (counts) or averaged (fractions) over its
     * series. The simulator always has its count gauges, but its Prometheus client leaves a labelled
     * family off the page until its first series: absent there means zero series.
     */
    private Double aggregate(Exposition page, List<String> names, boolean mean) {
        for (String name : names) {
            if (!page.has(name)) continue;
            double sum = 0;
            int n = 0;
            boolean any = false;
            for (Sample s : page.samples()) {
                if (!s.name().equals(name)) continue;
                any = true;
                if (Double.isNaN(s.value())) continue;
                sum += s.value();
                n++;
            }
            if (n > 0) return mean ? sum / n : sum;
            return any || mean ? null : 0.0;
        }
        return this == LLMLAB && !mean ? 0.0 : null;
    }
}
