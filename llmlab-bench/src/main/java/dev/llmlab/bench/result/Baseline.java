package dev.llmlab.bench.result;

import java.util.List;

/**
 * A run compared with an earlier result ({@code --baseline}): every compared figure with both
 * values, the change and whether it is worse than allowed. The regression gate's exit code and the
 * HTML report both read it.
 *
 * @param file          the baseline as the user named it
 * @param maxRegression how much worse a figure may be, as a fraction
 * @param regressed     how many figures are worse than allowed
 */
public record Baseline(String file, double maxRegression, List<Figure> figures, int regressed) {
    public Baseline {
        figures = figures == null ? List.of() : List.copyOf(figures);
    }

    /**
     * One figure in both results; NaN where a result lacks it.
     *
     * @param change relative to the baseline; NaN when either is missing or the baseline is 0
     */
    public record Figure(
            String name, boolean higherIsBetter, double baseline, double value, double change, boolean worse) {}
}
