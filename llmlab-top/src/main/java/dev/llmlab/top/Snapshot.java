package dev.llmlab.top;

import java.time.Instant;
import java.util.List;

/**
 * What the view shows at one moment: a row per model, a row per replica, and how scraping each
 * target goes. Immutable.
 *
 * @param windowSeconds the window asked for; each row's {@link Figures#seconds()} says what it had
 * @param sourceError   why the list of targets (a discovery, a Prometheus server) could not be read
 *                      at the last refresh; null when it was
 * @param slos          each SLO of the config on each model it covers (empty without SLOs)
 * @param alertError    why the last alert could not be delivered to the webhook; null when it was
 * @param gpus          a row per DCGM exporter
 * @param gateways      a row per gateway
 * @param joulesPerOutputToken the GPUs' energy per second over the models' output tokens per second:
 *                      an estimate that holds when the GPUs watched are the ones serving the models
 *                      watched; NaN without both
 * @param recording     the session being recorded ({@code --record}) or replayed ({@code --replay}); null
 *                      for neither
 */
public record Snapshot(
        Instant at,
        double windowSeconds,
        List<Row> models,
        List<Row> replicas,
        List<TargetState> targets,
        String sourceError,
        List<SloStatus> slos,
        String alertError,
        List<GpuRow> gpus,
        List<GatewayRow> gateways,
        double joulesPerOutputToken,
        RecordingStatus recording) {
    public Snapshot {
        slos = slos == null ? List.of() : List.copyOf(slos);
        gpus = gpus == null ? List.of() : List.copyOf(gpus);
        gateways = gateways == null ? List.of() : List.copyOf(gateways);
    }

    /** A snapshot of models and targets only: no SLO, GPU or gateway. */
    public Snapshot(
            Instant at,
            double windowSeconds,
            List<Row> models,
            List<Row> replicas,
            List<TargetState> targets,
            String sourceError) {
        this(
                at,
                windowSeconds,
                models,
                replicas,
                targets,
                sourceError,
                List.of(),
                null,
                List.of(),
                List.of(),
                Double.NaN,
                null);
    }

    /** This snapshot with other model rows and targets (a view's filtered or drilled-down part), the rest kept. */
    public Snapshot withRows(List<Row> models, List<Row> replicas, List<TargetState> targets) {
        return new Snapshot(
                at,
                windowSeconds,
                models,
                replicas,
                targets,
                sourceError,
                slos,
                alertError,
                gpus,
                gateways,
                joulesPerOutputToken,
                recording);
    }

    /** This snapshot saying it is recorded or replayed as {@code r} (null: neither). */
    public Snapshot withRecording(RecordingStatus r) {
        return new Snapshot(
                at,
                windowSeconds,
                models,
                replicas,
                targets,
                sourceError,
                slos,
                alertError,
                gpus,
                gateways,
                joulesPerOutputToken,
                r);
    }
}
