package dev.llmlab.sim.serve;

import dev.llmlab.sim.catalog.Catalog;
import dev.llmlab.sim.fault.FaultPlanner;
import dev.llmlab.sim.limit.RateLimiter;
import dev.llmlab.sim.metrics.SimMetrics;
import dev.llmlab.sim.text.Composer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What every handler shares: the models, the text composer, metrics, seeding and version.
 *
 * @param seed           server seed, or null for fresh randomness per request
 * @param tokensPerChunk tokens per streamed chunk
 * @param warm           set once tokenizer tables are loaded: /ready answers 503 until then
 * @param draining       set when shutdown began: /ready answers 503 from then on
 * @param catalogRef     the models in force; replaced whole when the admin API changes latency profiles
 * @param faults         the fault planner in force; replaced whole by the admin API
 * @param limits         the rate limiter in force; replaced whole by the admin API
 */
public record SimContext(
        AtomicReference<Catalog> catalogRef,
        Composer composer,
        SimMetrics metrics,
        Long seed,
        int tokensPerChunk,
        String version,
        AtomicBoolean warm,
        AtomicBoolean draining,
        AtomicLong requestCounter,
        AtomicReference<FaultPlanner> faults,
        AtomicReference<RateLimiter> limits) {

    public SimContext(
            Catalog catalog,
            Composer composer,
            SimMetrics metrics,
            Long seed,
            int tokensPerChunk,
            String version,
            FaultPlanner faults,
            RateLimiter limits) {
        this(
                new AtomicReference<>(catalog),
                composer,
                metrics,
                seed,
                tokensPerChunk,
                version,
                new AtomicBoolean(),
                new AtomicBoolean(),
                new AtomicLong(),
                new AtomicReference<>(faults),
                new AtomicReference<>(limits));
    }

    /** The catalog in force now; a request keeps the one it started with. */
    public Catalog catalog() {
        return catalogRef.get();
    }
}
