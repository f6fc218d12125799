package dev.llmlab.bench.report;

import dev.llmlab.bench.measure.Stats;
import dev.llmlab.bench.measure.TimeSeries;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Several results of one load split into shards ({@code --shard i/N}, run at the same time) as one
 * result in the same schema. Exact where the results carry what it takes: every metric's
 * histograms are added and its statistics recomputed; counts, errors and tokens are summed; the
 * per-second series is aligned by second (each shard counts from its own start, which a
 * coordinated launch keeps within a second) with its TTFT histograms added. Throughputs are the
 * summed counts over the longest measured window. The schedule lag keeps the worst shard's
 * percentiles, which bound the merged ones from above (its histogram is not in the result).
 * Stateless.
 */
public final class Merge {
    private Merge() {}

    /**
     * @throws IllegalArgumentException when the results do not share a schema version
     */
    public static String results(List<JsonNode> results) {
        JsonNode first = results.getFirst();
        for (JsonNode r : results) {
            if (r.path("schema_version").asInt() != first.path("schema_version").asInt()) {
                throw new IllegalArgumentException("results of different schema versions cannot be merged");
            }
        }
        ObjectNode root = Reports.JSON.createObjectNode();
        root.put("schema_version", first.path("schema_version").asInt());
        ObjectNode config = ((ObjectNode) first.path("config").deepCopy());
        config.putNull("shard");
        config.put("merged_from", results.size());
        var shards = config.putArray("merged_shards");
        for (JsonNode r : results) shards.add(r.path("config").path("shard").asString("-"));
        root.set("config", config);
        root.set("environment", first.path("environment").deepCopy());
        root.set("summary", summary(results));
        root.set("metrics", metrics(results));
        root.set("timeseries", series(results));
        // The targets, judged again on the merged figures: the shards' verdicts do not add up.
        String slo = config.path("slo").isString() ? config.path("slo").asString() : null;
        String preset =
                config.path("targets").isString() ? config.path("targets").asString() : null;
        if (slo != null || preset != null) {
            try {
                root.set(
                        "slo",
                        dev.llmlab.bench.measure.Targets.parse(slo, preset).evaluate(root));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the results' config.slo cannot be read: " + e.getMessage());
            }
        }
        root.set("energy", energy(results));
        ObjectNode server = Reports.JSON.createObjectNode();
        var sources = server.putArray("sources");
        for (JsonNode r : results) r.path("server").path("sources").forEach(src -> sources.add(src.deepCopy()));
        if (!sources.isEmpty()) root.set("server", server);
        return Reports.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }

    /**
     * The shards' energy added, when every shard could read it; else unavailable, never a partial sum.
     * Each shard measured its whole machine: shards that shared one count it once each.
     */
    private static ObjectNode energy(List<JsonNode> results) {
        ObjectNode e = Reports.JSON.createObjectNode();
        double joules = 0;
        double seconds = 0;
        var sources = new LinkedHashSet<String>();
        for (JsonNode r : results) {
            JsonNode x = r.path("energy");
            if (!x.path("available").asBoolean(false)) {
                return e.put("available", false)
                        .put(
                                "reason",
                                "not every shard measured energy: "
                                        + x.path("reason").asString("no energy in its result"));
            }
            joules += x.path("joules").asDouble();
            seconds = Math.max(seconds, x.path("seconds").asDouble());
            x.path("sources").forEach(s -> sources.add(s.asString()));
        }
        e.put("available", true);
        var list = e.putArray("sources");
        sources.forEach(list::add);
        long tokens = 0;
        for (JsonNode r : results) {
            tokens +=
                    Math.round(r.path("summary").path("output_token_throughput").asDouble(0)
                            * r.path("summary").path("duration_s").asDouble(0));
        }
        e.put("joules", joules)
                .put("average_watts", seconds > 0 ? joules / seconds : 0)
                .put("seconds", seconds);
        if (tokens > 0) e.put("joules_per_output_token", joules / tokens);
        else e.putNull("joules_per_output_token");
        return e;
    }

    private static ObjectNode summary(List<JsonNode> results) {
        ObjectNode sum = Reports.JSON.createObjectNode();
        long completed = 0;
        long failed = 0;
        double window = 0;
        double outputTokens = 0;
        double totalTokens = 0;
        double good = 0;
        boolean goodput = true;
        boolean valid = true;
        List<String> reasons = new ArrayList<>();
        long checked = 0;
        long mismatches = 0;
        ObjectNode errors = Reports.JSON.createObjectNode();
        double lagP50 = 0;
        double lagP99 = 0;
        double lagMax = 0;
        long lagCount = 0;
        double sentRate = 0;
        long connections = 0;
        double[] goodEach = null;
        List<String> stopped = new ArrayList<>();
        for (JsonNode r : results) {
            JsonNode s = r.path("summary");
            double d = s.path("duration_s").asDouble(0);
            completed += s.path("requests_completed").asLong(0);
            failed += s.path("requests_failed").asLong(0);
            window = Math.max(window, d);
            outputTokens += s.path("output_token_throughput").asDouble(0) * d;
            totalTokens += s.path("total_token_throughput").asDouble(0) * d;
            if (s.path("goodput").isNumber()) good += s.path("goodput").asDouble() * d;
            else goodput = false;
            JsonNode each = s.path("goodput_per_slo");
            if (goodEach == null || goodEach.length < each.size()) {
                goodEach = java.util.Arrays.copyOf(goodEach == null ? new double[0] : goodEach, each.size());
            }
            for (int i = 0; i < each.size(); i++) goodEach[i] += each.path(i).asDouble() * d;
            if (s.path("stopped_early").isString())
                stopped.add(s.path("stopped_early").asString());
            if (!s.path("valid").asBoolean(true)) {
                valid = false;
                reasons.add(s.path("invalid_reason").asString("invalid"));
            }
            checked += s.path("usage_checked").asLong(0);
            mismatches += s.path("usage_mismatches").asLong(0);
            for (Iterator<String> it = s.path("errors").propertyNames().iterator(); it.hasNext(); ) {
                String k = it.next();
                errors.put(
                        k, errors.path(k).asLong(0) + s.path("errors").path(k).asLong(0));
            }
            JsonNode lag = s.path("schedule_lag");
            lagCount += lag.path("count").asLong(0);
            lagP50 = Math.max(lagP50, lag.path("p50").asDouble(0));
            lagP99 = Math.max(lagP99, lag.path("p99").asDouble(0));
            lagMax = Math.max(lagMax, lag.path("max").asDouble(0));
            sentRate += s.path("sent_rate").asDouble(0);
            connections += s.path("connections_opened").asLong(0);
        }
        double w = Math.max(window, 1e-9);
        sum.put("requests_completed", completed)
                .put("requests_failed", failed)
                .put("duration_s", window)
                .put("request_throughput", completed / w)
                .put("output_token_throughput", outputTokens / w)
                .put("total_token_throughput", totalTokens / w);
        if (goodput) sum.put("goodput", good / w);
        else sum.putNull("goodput");
        var each = sum.putArray("goodput_per_slo");
        if (goodEach != null) for (double g : goodEach) each.add(g / w);
        if (stopped.isEmpty()) sum.putNull("stopped_early");
        else sum.put("stopped_early", String.join("; ", stopped));
        sum.put("valid", valid);
        if (valid) sum.putNull("invalid_reason");
        else sum.put("invalid_reason", String.join("; ", reasons));
        sum.put("usage_checked", checked).put("usage_mismatches", mismatches);
        sum.set("errors", errors);
        sum.putObject("schedule_lag")
                .put("unit", "ms")
                .put("count", lagCount)
                .put("p50", lagP50)
                .put("p99", lagP99)
                .put("max", lagMax);
        sum.put("sent_rate", sentRate).put("connections_opened", connections);
        return sum;
    }

    private static ObjectNode metrics(List<JsonNode> results) {
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode r : results) {
            for (Iterator<String> it = r.path("metrics").propertyNames().iterator(); it.hasNext(); )
                names.add(it.next());
        }
        ObjectNode metrics = Reports.JSON.createObjectNode();
        for (String name : names) {
            List<String> encoded = new ArrayList<>();
            for (JsonNode r : results) {
                JsonNode h = r.path("metrics").path(name).path("histogram");
                if (h.isString()) encoded.add(h.asString());
            }
            Reports.putStats(metrics.putObject(name), Stats.merged(encoded));
        }
        return metrics;
    }

    private static tools.jackson.databind.node.ArrayNode series(List<JsonNode> results) {
        int seconds = 0;
        for (JsonNode r : results)
            seconds = Math.max(seconds, r.path("timeseries").size());
        List<TimeSeries.Second> merged = new ArrayList<>();
        for (int s = 0; s < seconds; s++) {
            long requests = 0;
            long tokens = 0;
            long errors = 0;
            Histogram ttft = null;
            Histogram e2e = null;
            long offered = -1;
            for (JsonNode r : results) {
                JsonNode sec = r.path("timeseries").path(s);
                requests += sec.path("requests").asLong(0);
                tokens += sec.path("output_tokens").asLong(0);
                errors += sec.path("errors").asLong(0);
                if (sec.path("ttft_histogram").isString()) {
                    if (ttft == null) ttft = TimeSeries.newSecondHistogram();
                    ttft.add(Stats.decode(sec.path("ttft_histogram").asString()));
                }
                if (sec.path("e2e_histogram").isString()) {
                    if (e2e == null) e2e = TimeSeries.newSecondHistogram();
                    e2e.add(Stats.decode(sec.path("e2e_histogram").asString()));
                }
                if (sec.path("target_rate").isNumber())
                    offered = Math.max(0, offered) + sec.path("target_rate").asLong();
            }
            merged.add(TimeSeries.second(s, requests, tokens, errors, ttft, e2e, offered));
        }
        return Reports.series(merged);
    }
}
