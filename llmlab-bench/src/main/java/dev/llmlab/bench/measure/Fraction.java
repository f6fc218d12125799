package dev.llmlab.bench.measure;

import java.util.Locale;

/**
 * A share or a rate as a user writes one: {@code 1%} or {@code 0.01}. A bare number is a fraction,
 * so {@code 0.01} is 1%; a bare number of 1 or more is refused, because {@code error_rate<=1} is
 * as likely to mean 1% as 100%, and reading it either way would judge a run against a bound the
 * user did not mean. {@code 100%} (or {@code 150%} where more than the whole is allowed, as for a
 * regression) says it without doubt.
 */
public final class Fraction {
    private Fraction() {}

    /**
     * @param what how a message names the value, such as {@code --max-regression}; empty when the
     *     caller's message names it already
     * @param atMostWhole whether values above 100% are refused (a share of requests) or allowed (a change)
     * @throws IllegalArgumentException saying what is wrong and how to write it
     */
    public static double parse(String text, String what, boolean atMostWhole) {
        String prefix = what.isEmpty() ? "" : what + ": ";
        String s = text.strip();
        boolean percent = s.endsWith("%");
        double v;
        try {
            v = percent ? Double.parseDouble(s.substring(0, s.length() - 1).strip()) / 100 : Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    prefix + "'" + text + "' is not a percentage such as 1% or a fraction such as 0.01");
        }
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(prefix + "'" + text + "' must be >= 0");
        }
        if (!percent && v >= 1) {
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT,
                    "%sa bare number is a fraction (0.01 = 1%%), so '%s' would be %s%%: write '%s%%' if you mean "
                            + "that, or a fraction below 1",
                    prefix,
                    text,
                    trim(v * 100),
                    trim(v * 100)));
        }
        if (atMostWhole && v > 1) {
            throw new IllegalArgumentException(prefix + "'" + text + "' is more than 100%");
        }
        return v;
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
