package dev.llmlab.bench.result;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bench result: one run's settings, environment, summary, metrics and per-second series, and the
 * sections that commands add to it. {@link ResultJson} writes and reads it as docs/bench.md
 * describes; a section absent here is absent there.
 *
 * <p>A result read from a file may lack parts an old or hand-written file did not have: a missing
 * section is null, a missing figure NaN (see {@link ResultJson}). {@link #run} makes a whole one.
 *
 * @param schemaVersion the layout it was read from ({@link ResultJson#SCHEMA_VERSION} for a new one; it is
 *                      always written in the current one)
 * @param metrics       per metric key ({@code ttft}, ..., and in an open loop {@code NAME_intended}), in order
 * @param slo           the targets' verdict; null without targets
 * @param server        the scraped server metrics; null without {@code --scrape}
 * @param energy        energy this machine used; null in a result that did not measure it
 * @param baseline      the comparison with {@code --baseline}; null without one
 * @param sweep         a scenario's levels (the rest of the result is its last level's); null for one run
 * @param stress        a stress run's shape and bursts; null otherwise
 */
public record BenchResult(
        int schemaVersion,
        RunConfig config,
        Environment environment,
        Summary summary,
        Map<String, Stats> metrics,
        List<Second> timeseries,
        @JsonInclude(JsonInclude.Include.NON_NULL) SloVerdict slo,
        @JsonInclude(JsonInclude.Include.NON_NULL) Server server,
        @JsonInclude(JsonInclude.Include.NON_NULL) Energy energy,
        @JsonInclude(JsonInclude.Include.NON_NULL) Baseline baseline,
        @JsonInclude(JsonInclude.Include.NON_NULL) Sweep sweep,
        @JsonInclude(JsonInclude.Include.NON_NULL) Stress stress) {

    public BenchResult {
        metrics = metrics == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        timeseries = timeseries == null ? List.of() : List.copyOf(timeseries);
    }

    /** A run's result in the current layout, before any section is added. */
    public static BenchResult run(
            RunConfig config,
            Environment environment,
            Summary summary,
            Map<String, Stats> metrics,
            List<Second> timeseries) {
        return new BenchResult(
                ResultJson.SCHEMA_VERSION,
                config,
                environment,
                summary,
                metrics,
                timeseries,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    /** A metric's figures; null when the result has none of it. */
    public Stats metric(String key) {
        return metrics.get(key);
    }

    public BenchResult withSchemaVersion(int v) {
        if (v == schemaVersion) return this;
        return new BenchResult(
                v, config, environment, summary, metrics, timeseries, slo, server, energy, baseline, sweep, stress);
    }

    public BenchResult withConfig(RunConfig c) {
        return new BenchResult(
                schemaVersion,
                c,
                environment,
                summary,
                metrics,
                timeseries,
                slo,
                server,
                energy,
                baseline,
                sweep,
                stress);
    }

    public BenchResult withSlo(SloVerdict s) {
        return new BenchResult(
                schemaVersion,
                config,
                environment,
                summary,
                metrics,
                timeseries,
                s,
                server,
                energy,
                baseline,
                sweep,
                stress);
    }

    public BenchResult withServer(Server s) {
        return new BenchResult(
                schemaVersion,
                config,
                environment,
                summary,
                metrics,
                timeseries,
                slo,
                s,
                energy,
                baseline,
                sweep,
                stress);
    }

    public BenchResult withEnergy(Energy e) {
        return new BenchResult(
                schemaVersion,
                config,
                environment,
                summary,
                metrics,
                timeseries,
                slo,
                server,
                e,
                baseline,
                sweep,
                stress);
    }

    public BenchResult withBaseline(Baseline b) {
        return new BenchResult(
                schemaVersion,
                config,
                environment,
                summary,
                metrics,
                timeseries,
                slo,
                server,
                energy,
                b,
                sweep,
                stress);
    }

    public BenchResult withSweep(Sweep s) {
        return new BenchResult(
                schemaVersion,
                config,
                environment,
                summary,
                metrics,
                timeseries,
                slo,
                server,
                energy,
                baseline,
                s,
                stress);
    }

    public BenchResult withStress(Stress s) {
        return new BenchResult(
                schemaVersion,
                config,
                environment,
                summary,
                metrics,
                timeseries,
                slo,
                server,
                energy,
                baseline,
                sweep,
                s);
    }

    public BenchResult withTimeseries(List<Second> t) {
        return new BenchResult(
                schemaVersion, config, environment, summary, metrics, t, slo, server, energy, baseline, sweep, stress);
    }

    public BenchResult withSummary(Summary s) {
        return new BenchResult(
                schemaVersion,
                config,
                environment,
                s,
                metrics,
                timeseries,
                slo,
                server,
                energy,
                baseline,
                sweep,
                stress);
    }
}
