package dev.llmlab.top;

import dev.llmlab.metrics.Histograms.Estimate;
import java.io.OutputStream;
import java.util.List;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A snapshot as JSON ({@code llmlab top --once --json}). Latencies in milliseconds, rates per
 * second; a figure the server does not export is null. A percentile is an object: {@code
 * {"ms": 1200.0, "capped": true}} when it is only a lower bound (its rank fell in the {@code +Inf}
 * bucket: the true value is above), {@code {"ms": null, "empty": true}} when the window observed
 * nothing. The field names are defined in docs/top.md.
 */
public final class SnapshotJson {
    private static final JsonMapper MAPPER =
            JsonMapper.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

    private SnapshotJson() {}

    /** @param pretty indented (one snapshot), or on one line (JSON Lines) */
    public static void write(Snapshot s, OutputStream out, boolean pretty) {
        try (JsonGenerator g =
                (pretty ? MAPPER.writerWithDefaultPrettyPrinter() : MAPPER.writer()).createGenerator(out)) {
            g.writeStartObject();
            g.writeStringProperty("at", s.at().toString());
            g.writeNumberProperty("window_s", s.windowSeconds());
            if (s.sourceError() != null) g.writeStringProperty("source_error", s.sourceError());
            rows(g, "models", s.models());
            rows(g, "replicas", s.replicas());
            g.writeArrayPropertyStart("targets");
            for (TargetState t : s.targets()) {
                g.writeStartObject();
                g.writeStringProperty("name", t.name());
                g.writeStringProperty("url", t.url());
                g.writeStringProperty("kind", t.kind());
                g.writeStringProperty("error", t.error());
                g.writeNumberProperty("last_scrape_ago_ms", t.agoMillis());
                g.writeEndObject();
            }
            g.writeEndArray();
            if (!s.gpus().isEmpty()) gpus(g, s.gpus());
            if (!s.gateways().isEmpty()) gateways(g, s.gateways());
            if (Double.isFinite(s.joulesPerOutputToken()))
                number(g, "joules_per_output_token", s.joulesPerOutputToken());
            if (!s.slos().isEmpty()) slos(g, s.slos());
            if (s.alertError() != null) g.writeStringProperty("alert_error", s.alertError());
            if (s.recording() != null) recording(g, s.recording());
            g.writeEndObject();
        }
    }

    private static void gpus(JsonGenerator g, List<GpuRow> rows) {
        g.writeArrayPropertyStart("gpus");
        for (GpuRow r : rows) {
            g.writeStartObject();
            g.writeStringProperty("target", r.target());
            number(g, "window_s", r.seconds());
            g.writeNumberProperty("gpus", r.gpus());
            number(g, "utilization", r.utilization());
            number(g, "memory_bytes", r.memoryBytes());
            number(g, "watts", r.watts());
            number(g, "joules_per_s", r.joulesPerSecond());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void gateways(JsonGenerator g, List<GatewayRow> rows) {
        g.writeArrayPropertyStart("gateways");
        for (GatewayRow r : rows) {
            g.writeStartObject();
            g.writeStringProperty("target", r.target());
            g.writeStringProperty("kind", r.kind());
            number(g, "window_s", r.seconds());
            number(g, "requests_per_s", r.requestsPerSecond());
            number(g, "usd_per_hour", r.dollarsPerHour());
            number(g, "usd_per_million_tokens", r.dollarsPerMillionTokens());
            number(g, "cache_hit_rate", r.cacheHitRate());
            number(g, "retries_per_s", r.retriesPerSecond());
            number(g, "open_breakers", r.openBreakers());
            number(g, "key_cooldowns_per_s", r.keyCooldownsPerSecond());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void recording(JsonGenerator g, RecordingStatus r) {
        g.writeObjectPropertyStart("recording");
        g.writeStringProperty("mode", r.mode());
        g.writeStringProperty("file", r.file());
        if (r.replay()) g.writeNumberProperty("speed", r.speed());
        g.writeNumberProperty("scrapes", r.scrapes());
        g.writeNumberProperty("lost", r.lost());
        if (r.replay()) g.writeBooleanProperty("ended", r.ended());
        g.writeStringProperty("note", r.note());
        g.writeEndObject();
    }

    private static void slos(JsonGenerator g, List<SloStatus> slos) {
        g.writeArrayPropertyStart("slos");
        for (SloStatus s : slos) {
            g.writeStartObject();
            g.writeStringProperty("slo", s.slo());
            g.writeStringProperty("model", s.model());
            g.writeStringProperty("objective", s.objective());
            g.writeNumberProperty("target", s.target());
            g.writeStringProperty("alert", s.alert());
            g.writeBooleanProperty("estimate", s.estimate());
            g.writeStringProperty("unmeasurable", s.unmeasurable());
            g.writeArrayPropertyStart("windows");
            for (SloStatus.Window w : s.windows()) {
                g.writeStartObject();
                g.writeStringProperty("window", w.label());
                number(g, "window_s", w.seconds());
                number(g, "covered_s", w.covered());
                number(g, "good", w.good());
                number(g, "total", w.total());
                number(g, "attainment", w.attainment());
                number(g, "burn_rate", w.burnRate());
                g.writeEndObject();
            }
            g.writeEndArray();
            SloStatus.Trend t = s.trend();
            g.writeObjectPropertyStart("trend");
            number(g, "burn_now", t.burnNow());
            number(g, "slope_per_min", t.slopePerMinute());
            number(g, "r2", t.r2());
            g.writeNumberProperty("points", t.points());
            number(g, "window_s", t.seconds());
            number(g, "minutes_to_violation", t.minutesToViolation());
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void rows(JsonGenerator g, String name, List<Row> rows) {
        g.writeArrayPropertyStart(name);
        for (Row r : rows) {
            Figures f = r.figures();
            g.writeStartObject();
            g.writeStringProperty("model", r.model());
            if (r.replica() != null) g.writeStringProperty("replica", r.replica());
            else g.writeNumberProperty("replicas", r.replicas());
            g.writeStringProperty("kind", r.kind());
            number(g, "window_s", f.seconds());
            number(g, "requests_per_s", f.requestsPerSecond());
            number(g, "error_rate", f.errorRate());
            number(g, "running", f.running());
            number(g, "waiting", f.waiting());
            number(g, "kv_cache_usage", f.kvCacheUsage());
            quantile(g, "ttft_p50", f.ttftP50());
            quantile(g, "ttft_p99", f.ttftP99());
            quantile(g, "itl_p50", f.itlP50());
            quantile(g, "itl_p99", f.itlP99());
            quantile(g, "e2e_p99", f.e2eP99());
            number(g, "input_tokens_per_s", f.inputTokensPerSecond());
            number(g, "output_tokens_per_s", f.outputTokensPerSecond());
            number(g, "preemptions_per_s", f.preemptionsPerSecond());
            number(g, "prefix_cache_hit_rate", f.prefixCacheHitRate());
            if (Double.isFinite(f.dollarsPerMillionOutputTokens()))
                number(g, "usd_per_million_output_tokens", f.dollarsPerMillionOutputTokens());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void number(JsonGenerator g, String name, double v) {
        if (Double.isFinite(v)) g.writeNumberProperty(name, Math.round(v * 1e6) / 1e6);
        else g.writeNullProperty(name);
    }

    private static void quantile(JsonGenerator g, String name, Estimate e) {
        if (e == null) {
            g.writeNullProperty(name);
            return;
        }
        g.writeObjectPropertyStart(name);
        switch (e.status()) {
            case OK, CAPPED -> g.writeNumberProperty("ms", Math.round(e.value() * 1e6) / 1e3);
            case EMPTY, UNBOUNDED -> g.writeNullProperty("ms");
        }
        if (e.status() == Estimate.Status.CAPPED) g.writeBooleanProperty("capped", true);
        if (e.status() == Estimate.Status.EMPTY) g.writeBooleanProperty("empty", true);
        if (e.status() == Estimate.Status.UNBOUNDED) g.writeBooleanProperty("unbounded", true);
        g.writeNumberProperty("observations", e.observations());
        g.writeEndObject();
    }
}
