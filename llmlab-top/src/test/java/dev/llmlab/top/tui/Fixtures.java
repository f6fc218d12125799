package dev.llmlab.top.tui;

import dev.llmlab.metrics.Histograms.Estimate;
import dev.llmlab.top.Figures;
import dev.llmlab.top.Row;
import dev.llmlab.top.Snapshot;
import dev.llmlab.top.TargetState;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;

/** Hand-made rows and snapshots for the UI's tests. */
final class Fixtures {
    static final Instant AT = Instant.parse("2026-12-07T21:45:55Z");
    static final Settings SETTINGS =
            new Settings(Duration.ofSeconds(10), Duration.ofSeconds(1), ZoneOffset.UTC, Thresholds.DEFAULT);

    private Fixtures() {}

    static Estimate ok(double seconds) {
        return new Estimate(seconds, Estimate.Status.OK, 100);
    }

    static Estimate capped(double seconds) {
        return new Estimate(seconds, Estimate.Status.CAPPED, 100);
    }

    static Estimate idle() {
        return new Estimate(Double.NaN, Estimate.Status.EMPTY, 0);
    }

    /** Figures with these values; the rest plausible and quiet. */
    static Figures figures(double rps, double err, double waiting, double kv, Estimate ttft99) {
        return new Figures(
                10,
                rps,
                err,
                2,
                waiting,
                kv,
                ok(0.05),
                ttft99,
                ok(0.01),
                ok(0.02),
                ok(1.5),
                100 * rps,
                20 * rps,
                0,
                0.5,
                Double.NaN);
    }

    static Figures quiet(double rps) {
        return figures(rps, 0, 0, 0.3, ok(0.1));
    }

    static Row model(String name, int replicas, Figures f) {
        return new Row(name, null, "vllm", replicas, f);
    }

    static Row replica(String model, String name, Figures f) {
        return new Row(model, name, "vllm", 1, f);
    }

    static TargetState read(String name) {
        return new TargetState(name, "http://" + name + "/metrics", "vllm", null, 12);
    }

    static TargetState failing(String name, String why) {
        return new TargetState(name, "http://" + name + "/metrics", "unknown", why, 40);
    }

    /**
     * Three models: llama (2 replicas, r1 and r2), mistral (1, r3), qwen (1, r4), with requests/s
     * 8, 3 and 5; and r5 failing.
     */
    static Snapshot fleet() {
        List<Row> models =
                List.of(model("llama", 2, quiet(8)), model("mistral", 1, quiet(3)), model("qwen", 1, quiet(5)));
        List<Row> replicas = List.of(
                replica("llama", "r1:8000", quiet(5)),
                replica("llama", "r2:8000", quiet(3)),
                replica("mistral", "r3:8000", quiet(3)),
                replica("qwen", "r4:8000", quiet(5)));
        List<TargetState> targets = new ArrayList<>();
        for (String t : List.of("r1:8000", "r2:8000", "r3:8000", "r4:8000")) targets.add(read(t));
        targets.add(failing("r5:8000", "connection refused"));
        return new Snapshot(AT, 10, models, replicas, targets, null);
    }

    static List<String> text(List<AttributedString> lines) {
        return lines.stream().map(AttributedString::toString).toList();
    }

    /** The style of the first character of {@code part} in {@code line}. */
    static AttributedStyle styleOf(AttributedString line, String part) {
        int i = line.toString().indexOf(part);
        if (i < 0) throw new AssertionError("'" + part + "' is not in: " + line);
        return line.styleAt(i);
    }

    static boolean red(AttributedStyle s) {
        return s.toAnsi().contains("31");
    }

    static boolean yellow(AttributedStyle s) {
        return s.toAnsi().contains("33");
    }
}
