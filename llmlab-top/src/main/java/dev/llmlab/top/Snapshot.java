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
        RecordingStatus recording) {
    public Snapshot {
        slos = slos == null ? List.of() : List.copyOf(slos);
    }

    /** A snapshot of a session neither recorded nor replayed. */
    public Snapshot(
            Instant at,
            double windowSeconds,
            List<Row> models,
            List<Row> replicas,
            List<TargetState> targets,
            String sourceError,
            List<SloStatus> slos,
            String alertError) {
        this(at, windowSeconds, models, replicas, targets, sourceError, slos, alertError, null);
    }
}
