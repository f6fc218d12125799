package dev.llmlab.bench.result;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A load shape's run ({@code llmlab bench stress}) and how the server answered each burst
 * (docs/bench.md, {@code stress}).
 *
 * @param pattern {@code steady}, {@code ramp}, {@code spike} or {@code step}
 * @param params  the shape's parameters by name ({@code base_rate}, {@code period_s}, ...)
 * @param latency which per-second latency the bursts are judged by: {@code ttft_p50}, or
 *                {@code e2e_p50} without streaming
 */
public record Stress(String pattern, Map<String, Number> params, String latency, List<Burst> bursts) {
    public Stress {
        params = params == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(params));
        bursts = bursts == null ? List.of() : List.copyOf(bursts);
    }

    /**
     * One burst or step: its interval on the shape's clock, its rate, and the server's answer.
     * Latencies in ms, NaN where unknown.
     *
     * @param baselineTtftP50 the latency before it
     * @param peakTtftP50     the worst per-second latency until it recovered
     * @param recoveredAfterS seconds after its end until latency settled; NaN when it never did
     */
    public record Burst(
            double startS,
            double endS,
            double rate,
            double baselineTtftP50,
            double peakTtftP50,
            double peakE2eP50,
            long errors,
            double recoveredAfterS) {
        public boolean recovered() {
            return !Double.isNaN(recoveredAfterS);
        }
    }
}
