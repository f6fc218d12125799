package dev.llmlab.core.time;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsing and formatting of the short duration literals used in configuration and on the
 * command line: {@code "150ms"}, {@code "1.5s"}, {@code "2m"}, {@code "500us"}.
 *
 * <h2>Accepted form</h2>
 * A non-negative decimal number (digits, optionally a fraction: {@code 1.5}, {@code .5},
 * {@code 10}) immediately followed, or separated by spaces, by one unit:
 * <table>
 *   <caption>units</caption>
 *   <tr><td>{@code ns}</td><td>nanoseconds</td></tr>
 *   <tr><td>{@code us}, {@code µs}, {@code μs}</td><td>microseconds</td></tr>
 *   <tr><td>{@code ms}</td><td>milliseconds</td></tr>
 *   <tr><td>{@code s}</td><td>seconds</td></tr>
 *   <tr><td>{@code m}</td><td>minutes</td></tr>
 *   <tr><td>{@code h}</td><td>hours</td></tr>
 * </table>
 * Surrounding whitespace is ignored. A bare zero ({@code "0"}, {@code "0.0"}) needs no unit,
 * because zero means the same in every unit; any other bare number is rejected, since
 * {@code "100"} is ambiguous between the units people have in mind. Fractions finer than a
 * nanosecond are rounded half-up to the nearest nanosecond. Negative durations and durations
 * whose nanosecond count exceeds a {@code long} (about 292 years) are rejected, so every
 * parsed value is safe to pass to {@link Duration#toNanos()}.
 *
 * <p>Thread-safety: stateless; all methods are safe to call from any thread.
 */
public final class Durations {

    /** What every error message tells the user to write instead. */
    static final String ACCEPTED_FORM =
            "expected a non-negative number followed by a unit (ns, us, ms, s, m, h), e.g. 150ms or 1.5s";

    private static final Pattern FORM = Pattern.compile("([0-9]+(?:\\.[0-9]+)?|\\.[0-9]+)\\s*([a-zA-Zµμ]*)");

    /**
     * Formatting tries units from largest to smallest; each entry is a unit's name and its
     * length in nanoseconds.
     */
    private static final String[] FORMAT_UNITS = {"h", "m", "s", "ms", "us", "ns"};

    private static final long[] FORMAT_NANOS = {
        3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L, 1L
    };
    /** More decimals than this reads worse than the next smaller unit ("1.234567ms" vs "1234.567us"). */
    private static final int MAX_FORMAT_DECIMALS = 3;

    private Durations() {}

    /**
     * Parses a duration literal such as {@code "150ms"} or {@code "1.5s"}.
     *
     * @throws IllegalArgumentException if {@code s} is null, blank, negative, lacks a unit (and
     *     is not zero), has an unknown unit or is out of range; the message quotes the input and
     *     states the accepted form
     */
    public static Duration parse(String s) {
        if (s == null) {
            throw new IllegalArgumentException("duration is missing: " + ACCEPTED_FORM);
        }
        String text = s.strip();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("duration is empty: " + ACCEPTED_FORM);
        }
        if (text.startsWith("-")) {
            throw new IllegalArgumentException(
                    "invalid duration \"" + s + "\": must not be negative; " + ACCEPTED_FORM);
        }
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid duration \"" + s + "\": " + ACCEPTED_FORM);
        }
        String number = m.group(1);
        String unit = m.group(2);
        if (unit.isEmpty()) {
            if (isZero(number)) {
                return Duration.ZERO;
            }
            throw new IllegalArgumentException("invalid duration \"" + s + "\": missing unit; " + ACCEPTED_FORM);
        }
        long unitNanos = unitNanos(unit);
        if (unitNanos == 0) {
            throw new IllegalArgumentException(
                    "invalid duration \"" + s + "\": unknown unit \"" + unit + "\"; " + ACCEPTED_FORM);
        }
        long fast = nanosFast(number, unitNanos);
        if (fast >= 0) {
            return Duration.ofNanos(fast);
        }
        BigInteger nanos = new BigDecimal(number)
                .multiply(BigDecimal.valueOf(unitNanos))
                .setScale(0, RoundingMode.HALF_UP)
                .toBigIntegerExact();
        if (nanos.bitLength() > 63) {
            throw new IllegalArgumentException("invalid duration \"" + s + "\": too large (at most about 292 years)");
        }
        return Duration.ofNanos(nanos.longValue());
    }

    private static boolean isZero(String number) {
        for (int i = 0; i < number.length(); i++) {
            char c = number.charAt(i);
            if (c != '0' && c != '.') return false;
        }
        return true;
    }

    /**
     * {@code number} (digits with an optional fraction) times {@code unitNanos}, rounded half up,
     * in long arithmetic; -1 when that could overflow, left to the exact BigDecimal path. Why two
     * paths: BigDecimal's class initialisation alone costs about 20 ms of a cold start, and every
     * built-in latency profile parses and formats durations.
     */
    private static long nanosFast(String number, long unitNanos) {
        int dot = number.indexOf('.');
        String whole = dot < 0 ? number : number.substring(0, dot);
        String fraction = dot < 0 ? "" : number.substring(dot + 1);
        if (whole.length() > 18 || fraction.length() > 18) return -1;
        try {
            long w = whole.isEmpty() ? 0 : Long.parseLong(whole);
            long nanos = Math.multiplyExact(w, unitNanos);
            if (!fraction.isEmpty()) {
                long scale = 1;
                for (int i = 0; i < fraction.length(); i++) scale *= 10;
                long f = Math.multiplyExact(Long.parseLong(fraction), unitNanos);
                nanos = Math.addExact(nanos, Math.addExact(f, scale / 2) / scale);
            }
            return nanos;
        } catch (ArithmeticException e) {
            return -1;
        }
    }

    private static long unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us", "µs", "μs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> 0L;
        };
    }

    /**
     * Formats a duration compactly and exactly: the largest unit in which the value is at least
     * one and needs at most three decimals, e.g. {@code "150ms"}, {@code "1.5s"}, {@code "20us"},
     * {@code "1.5m"}, {@code "0"}. The result parses back to the same duration for every
     * non-negative duration that {@link #parse} can produce; negative durations get a leading
     * {@code '-'} (which {@link #parse} rejects).
     */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0";
        }
        String sign = d.isNegative() ? "-" : "";
        if (d.getSeconds() > -Long.MAX_VALUE / 1_000_000_000L && d.getSeconds() < Long.MAX_VALUE / 1_000_000_000L - 1) {
            return sign + formatNanos(Math.abs(d.toNanos()));
        }
        BigDecimal nanos = new BigDecimal(d.getSeconds())
                .multiply(BigDecimal.valueOf(1_000_000_000L))
                .add(BigDecimal.valueOf(d.getNano()))
                .abs();
        for (int i = 0; i < FORMAT_UNITS.length; i++) {
            BigDecimal unit = BigDecimal.valueOf(FORMAT_NANOS[i]);
            if (nanos.compareTo(unit) < 0) {
                continue;
            }
            BigDecimal[] qr = nanos.divideAndRemainder(unit);
            if (qr[1].signum() == 0) {
                return sign + qr[0].toPlainString() + FORMAT_UNITS[i];
            }
            // A remainder that divides out within three decimals keeps the larger unit readable
            // ("1.5s"); otherwise a smaller unit says it more plainly ("61s", not "1.0166666...m").
            BigDecimal scaled = nanos.divide(unit, MAX_FORMAT_DECIMALS, RoundingMode.DOWN);
            if (scaled.multiply(unit).compareTo(nanos) == 0) {
                return sign + scaled.stripTrailingZeros().toPlainString() + FORMAT_UNITS[i];
            }
        }
        // Only reached for sub-nanosecond remainders, which Duration cannot hold.
        throw new AssertionError("unformattable duration " + d);
    }

    /** {@link #format} of a positive nanosecond count, in long arithmetic (see {@link #nanosFast}). */
    private static String formatNanos(long nanos) {
        for (int i = 0; i < FORMAT_UNITS.length; i++) {
            long unit = FORMAT_NANOS[i];
            if (nanos < unit) {
                continue;
            }
            long rest = nanos % unit;
            if (rest == 0) {
                return (nanos / unit) + FORMAT_UNITS[i];
            }
            // rest < unit <= 3.6e12, so rest * 1000 cannot overflow.
            if (rest * 1000 % unit == 0) {
                String decimals = String.valueOf(1000 + rest * 1000 / unit).substring(1); // zero-padded to 3
                int end = decimals.length();
                while (decimals.charAt(end - 1) == '0') end--;
                return (nanos / unit) + "." + decimals.substring(0, end) + FORMAT_UNITS[i];
            }
        }
        throw new AssertionError("unformattable duration of " + nanos + " ns");
    }

    /** Returns the duration in seconds as a double (nanosecond resolution is kept below about 104 days, where nanos still fit a double's 53-bit mantissa). */
    public static double toSeconds(Duration d) {
        return d.getSeconds() + d.getNano() / 1e9;
    }
}
