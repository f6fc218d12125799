package dev.llmlab.bench.report;

import dev.llmlab.bench.measure.Targets;
import dev.llmlab.bench.measure.TimeSeries;
import dev.llmlab.bench.result.BenchResult;
import dev.llmlab.bench.result.Energy;
import dev.llmlab.bench.result.ErrorSample;
import dev.llmlab.bench.result.RunConfig;
import dev.llmlab.bench.result.Second;
import dev.llmlab.bench.result.Server;
import dev.llmlab.bench.result.Stats;
import dev.llmlab.bench.result.Summary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;

/**
 * Several results of one load split into shards ({@code --shard i/N}, run at the same time) as one
 * result in the same schema. Exact where the results carry what it takes: every metric's
 * histograms are added and its statistics recomputed (a metric several shards sampled without
 * their histograms is left out, as no exact figure exists); counts, errors and tokens are summed; the
 * per-second series is aligned by second (each shard counts from its own start, which a
 * coordinated launch keeps within a second) with its TTFT histograms added. Throughputs are the
 * summed counts over the longest measured window. The schedule lag keeps the worst shard's
 * percentiles, which bound the merged ones from above (its histogram is not in the result).
 * Results of any schema version this code reads merge, and the merged one is written in the
 * current version. Stateless.
 */
public final class Merge {
    private Merge() {}

    /**
     * @throws IllegalArgumentException when the results' targets cannot be read
     */
    public static BenchResult results(List<BenchResult> results) {
        BenchResult first = results.getFirst();
        List<String> shards = new ArrayList<>();
        for (BenchResult r : results) {
            String shard = r.config() == null ? null : r.config().shard();
            shards.add(shard == null ? "-" : shard);
        }
        RunConfig config = (first.config() == null ? RunConfig.builder() : first.config().toBuilder())
                .mergedFrom(shards)
                .build();
        Summary summary = summary(results);
        Map<String, Stats> metrics = metrics(results);
        BenchResult merged = BenchResult.run(config, first.environment(), summary, metrics, series(results));
        // The targets, judged again on the merged figures: the shards' verdicts do not add up.
        if (config.slo() != null || config.targets() != null) {
            try {
                merged = merged.withSlo(
                        Targets.parse(config.slo(), config.targets()).evaluate(summary, metrics));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the results' config.slo cannot be read: " + e.getMessage());
            }
        }
        List<Server.Source> sources = new ArrayList<>();
        for (BenchResult r : results)
            if (r.server() != null) sources.addAll(r.server().sources());
        if (!sources.isEmpty()) merged = merged.withServer(new Server(sources));
        return merged.withEnergy(energy(results));
    }

    /**
     * The shards' energy added, when every shard could read it; else unavailable, never a partial sum.
     * Each shard measured its whole machine: shards that shared one count it once each.
     */
    private static Energy energy(List<BenchResult> results) {
        double joules = 0;
        double seconds = 0;
        Set<String> sources = new LinkedHashSet<>();
        for (BenchResult r : results) {
            Energy x = r.energy();
            if (x == null || !x.available()) {
                return Energy.unavailable(
                        "not every shard measured energy: " + (x == null ? "no energy in its result" : x.reason()));
            }
            joules += x.joules();
            seconds = Math.max(seconds, x.seconds());
            sources.addAll(x.sources());
        }
        long tokens = 0;
        for (BenchResult r : results) {
            if (r.summary() != null)
                tokens += Math.round(or0(r.summary().outputTokenThroughput())
                        * or0(r.summary().durationS()));
        }
        return Energy.measured(
                List.copyOf(sources),
                joules,
                seconds > 0 ? joules / seconds : 0,
                tokens > 0 ? joules / tokens : Double.NaN,
                seconds);
    }

    private static Summary summary(List<BenchResult> results) {
        long completed = 0;
        long failed = 0;
        long abandoned = 0;
        double window = 0;
        double outputTokens = 0;
        double totalTokens = 0;
        double good = 0;
        boolean goodput = true;
        boolean valid = true;
        List<String> reasons = new ArrayList<>();
        long checked = 0;
        long mismatches = 0;
        Map<String, Long> errors = new LinkedHashMap<>();
        Map<List<String>, long[]> sampled = new LinkedHashMap<>();
        double lagP50 = 0;
        double lagP99 = 0;
        double lagMax = 0;
        long lagCount = 0;
        double sentRate = 0;
        long connections = 0;
        double[] goodEach = new double[0];
        List<String> stopped = new ArrayList<>();
        for (BenchResult r : results) {
            Summary s = r.summary();
            double d = or0(s.durationS());
            completed += s.requestsCompleted();
            failed += s.requestsFailed();
            abandoned += s.requestsAbandoned();
            window = Math.max(window, d);
            outputTokens += or0(s.outputTokenThroughput()) * d;
            totalTokens += or0(s.totalTokenThroughput()) * d;
            if (Double.isNaN(s.goodput())) goodput = false;
            else good += s.goodput() * d;
            List<Double> each = s.goodputPerSlo();
            if (goodEach.length < each.size()) goodEach = java.util.Arrays.copyOf(goodEach, each.size());
            for (int i = 0; i < each.size(); i++) goodEach[i] += or0(each.get(i)) * d;
            if (s.stoppedEarly() != null) stopped.add(s.stoppedEarly());
            if (!s.valid()) {
                valid = false;
                reasons.add(s.invalidReason() == null ? "invalid" : s.invalidReason());
            }
            checked += s.usageChecked();
            mismatches += s.usageMismatches();
            s.errors().forEach((k, v) -> errors.merge(k, v, Long::sum));
            for (ErrorSample e : s.errorSamples()) {
                // the same failure in several shards is one sample; the first few distinct ones are kept
                List<String> key = java.util.Arrays.asList(e.kind(), e.message());
                long[] n = sampled.get(key);
                if (n != null) n[0] += e.count();
                else if (sampled.size() < ErrorSample.KEPT) sampled.put(key, new long[] {e.count()});
            }
            Summary.ScheduleLag lag = s.scheduleLag();
            lagCount += lag.count();
            lagP50 = Math.max(lagP50, or0(lag.p50()));
            lagP99 = Math.max(lagP99, or0(lag.p99()));
            lagMax = Math.max(lagMax, or0(lag.max()));
            sentRate += or0(s.sentRate());
            connections += s.connectionsOpened();
        }
        List<ErrorSample> samples = new ArrayList<>();
        sampled.forEach((k, n) -> samples.add(new ErrorSample(k.get(0), k.get(1), n[0])));
        double w = Math.max(window, 1e-9);
        List<Double> each = new ArrayList<>();
        for (double g : goodEach) each.add(g / w);
        return new Summary(
                completed,
                failed,
                abandoned,
                window,
                completed / w,
                outputTokens / w,
                totalTokens / w,
                goodput ? good / w : Double.NaN,
                each,
                valid,
                valid ? null : String.join("; ", reasons),
                stopped.isEmpty() ? null : String.join("; ", stopped),
                checked,
                mismatches,
                errors,
                samples,
                new Summary.ScheduleLag(lagCount, lagP50, lagP99, lagMax),
                sentRate,
                connections);
    }

    /**
     * Each metric merged exactly from the shards' histograms. Where a shard with samples of it
     * carries no histogram (a result that left them out), no exact figure exists: a metric only one
     * shard sampled keeps that shard's statistics; one several did is left out, missing rather than
     * made up of the others (or of nothing: zeros, judged as if it had no samples).
     */
    private static Map<String, Stats> metrics(List<BenchResult> results) {
        Set<String> names = new LinkedHashSet<>();
        for (BenchResult r : results) names.addAll(r.metrics().keySet());
        Map<String, Stats> metrics = new LinkedHashMap<>();
        for (String name : names) {
            List<String> encoded = new ArrayList<>();
            List<Stats> sampled = new ArrayList<>();
            boolean exact = true;
            for (BenchResult r : results) {
                Stats m = r.metric(name);
                if (m == null) continue;
                if (m.count() > 0) sampled.add(m);
                if (m.histogram() != null) encoded.add(m.histogram());
                else if (m.count() > 0) exact = false;
            }
            if (exact) metrics.put(name, Stats.merged(encoded));
            else if (sampled.size() == 1) metrics.put(name, sampled.getFirst());
        }
        return metrics;
    }

    private static List<Second> series(List<BenchResult> results) {
        int seconds = 0;
        for (BenchResult r : results) seconds = Math.max(seconds, r.timeseries().size());
        List<Second> merged = new ArrayList<>();
        for (int s = 0; s < seconds; s++) {
            long requests = 0;
            long tokens = 0;
            long errors = 0;
            Histogram ttft = null;
            Histogram e2e = null;
            long offered = -1;
            long events = 0; // -1 once a shard's result does not say
            for (BenchResult r : results) {
                if (s >= r.timeseries().size()) continue;
                Second sec = r.timeseries().get(s);
                requests += sec.requests();
                tokens += sec.outputTokens();
                errors += sec.errors();
                if (sec.ttftHistogram() != null) {
                    if (ttft == null) ttft = TimeSeries.newSecondHistogram();
                    ttft.add(Stats.decode(sec.ttftHistogram()));
                }
                if (sec.e2eHistogram() != null) {
                    if (e2e == null) e2e = TimeSeries.newSecondHistogram();
                    e2e.add(Stats.decode(sec.e2eHistogram()));
                }
                if (sec.targetRate() != null) offered = Math.max(0, offered) + sec.targetRate();
                events = sec.tokenEvents() == null || events < 0 ? -1 : events + sec.tokenEvents();
            }
            merged.add(TimeSeries.second(s, requests, tokens, errors, ttft, e2e, offered, events));
        }
        return merged;
    }

    private static double or0(double v) {
        return Double.isNaN(v) ? 0 : v;
    }
}
