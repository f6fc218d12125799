package dev.llmlab.bench.result;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Energy this machine used during a run (docs/server-metrics.md): when {@code available}, its
 * sources and figures; when not, only the {@code reason}, never a zero that would read as a
 * measurement.
 *
 * @param joulesPerOutputToken NaN when the run produced no output token
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Energy(
        boolean available,
        String reason,
        List<String> sources,
        Double joules,
        Double averageWatts,
        Double joulesPerOutputToken,
        Double seconds) {

    public Energy {
        if (available) {
            if (sources == null || joules == null || averageWatts == null || seconds == null)
                throw new IllegalArgumentException(
                        "a measured energy needs sources, joules, average_watts and seconds");
            sources = List.copyOf(sources);
            if (joulesPerOutputToken == null) joulesPerOutputToken = Double.NaN;
            reason = null;
        } else {
            if (reason == null) reason = "no reason recorded";
            sources = null;
            joules = averageWatts = joulesPerOutputToken = seconds = null;
        }
    }

    public static Energy unavailable(String reason) {
        return new Energy(false, reason, null, null, null, null, null);
    }

    public static Energy measured(
            List<String> sources, double joules, double averageWatts, double joulesPerOutputToken, double seconds) {
        return new Energy(true, null, sources, joules, averageWatts, joulesPerOutputToken, seconds);
    }
}
