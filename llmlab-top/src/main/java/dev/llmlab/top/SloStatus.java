package dev.llmlab.top;

import java.util.List;

/**
 * How one SLO stands for one model: its attainment and burn rate over each window, whether an
 * alert is firing, and where the burn is heading. Definitions in docs/top.md.
 *
 * @param target       the share of events that must be good (0.95 for p95)
 * @param windows      shortest first
 * @param alert        {@code page}, {@code ticket}, or null
 * @param estimate     whether some good-event count was interpolated inside a bucket or bounded (a
 *                     threshold that is not a bucket bound; goodput's lower bound)
 * @param unmeasurable why the model's metrics cannot measure this SLO (vLLM counts no failed
 *                     requests); null when they can
 */
public record SloStatus(
        String slo,
        String model,
        String objective,
        double target,
        List<Window> windows,
        String alert,
        Trend trend,
        boolean estimate,
        String unmeasurable) {
    /**
     * One window's events.
     *
     * @param seconds    the window asked for
     * @param covered    how much of it top has watched (less than {@code seconds} after a start)
     * @param attainment good over total; NaN without events
     * @param burnRate   the bad share over the share the SLO allows ({@code 1 - target}): 1 spends
     *                   the budget exactly as fast as it allows; 0 without events
     */
    public record Window(
            String label,
            double seconds,
            double covered,
            double good,
            double total,
            double attainment,
            double burnRate) {}

    /**
     * A least-squares line through the burn rate of each 10 s slot over the trend window, and
     * when it reaches 1 (the SLO then fails at that pace).
     *
     * @param burnNow            the line's value now
     * @param slopePerMinute     its slope
     * @param r2                 how well it fits (1 a perfect line)
     * @param points             the slots with events it was fitted to (at least 3, else no trend)
     * @param seconds            the window it was fitted over
     * @param minutesToViolation 0 when the line is already at or above 1; NaN when it is not rising
     *                           toward 1
     */
    public record Trend(
            double burnNow, double slopePerMinute, double r2, int points, double seconds, double minutesToViolation) {}
}
