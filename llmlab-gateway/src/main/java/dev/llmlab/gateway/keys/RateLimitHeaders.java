package dev.llmlab.gateway.keys;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What providers say of a key's limits in their answers' headers, applied to the {@link Key}.
 *
 * <ul>
 *   <li>OpenAI (and the servers that copy it): {@code x-ratelimit-limit-requests}, {@code
 *       -limit-tokens}, {@code -remaining-requests}, {@code -remaining-tokens}, {@code
 *       -reset-requests} and {@code -reset-tokens} as Go-style durations ({@code 1s}, {@code
 *       6m0s}, {@code 20ms}). Source: OpenAI's "Rate limits" guide, "Rate limits in headers".
 *   <li>Anthropic: {@code anthropic-ratelimit-requests-limit}, {@code -remaining}, {@code -reset}
 *       (an RFC 3339 time), the same for {@code tokens}, {@code input-tokens} and {@code
 *       output-tokens}. Source: Anthropic's "Rate limits" page, "Response headers".
 *   <li>{@code Retry-After} (seconds, or an HTTP date; RFC 9110, 10.2.3) and {@code
 *       retry-after-ms}, which OpenAI sends and its SDKs read first.
 * </ul>
 *
 * A remaining count of 0 cools the key down until its reset; a limit teaches the key its
 * per-minute limit when the config gave none. Unreadable values are ignored: a header the gateway
 * cannot read must not take a key out.
 */
public final class RateLimitHeaders {
    private static final Pattern GO_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)");

    private RateLimitHeaders() {}

    /**
     * Applies an answer's headers to the key that sent its request.
     *
     * @param header    a header's value by lower-case name, or null
     * @param nowNanos  the monotonic clock
     * @param nowMillis the wall clock, for the reset times given as dates
     */
    public static void apply(Key key, Function<String, String> header, long nowNanos, long nowMillis) {
        long rpm = number(header.apply("x-ratelimit-limit-requests"));
        if (rpm <= 0) rpm = number(header.apply("anthropic-ratelimit-requests-limit"));
        long tpm = number(header.apply("x-ratelimit-limit-tokens"));
        if (tpm <= 0) tpm = number(header.apply("anthropic-ratelimit-tokens-limit"));
        key.learned(Math.max(rpm, 0), Math.max(tpm, 0));
        exhausted(
                key,
                header.apply("x-ratelimit-remaining-requests"),
                goReset(header.apply("x-ratelimit-reset-requests")),
                nowNanos);
        exhausted(
                key,
                header.apply("x-ratelimit-remaining-tokens"),
                goReset(header.apply("x-ratelimit-reset-tokens")),
                nowNanos);
        for (String kind : new String[] {"requests", "tokens", "input-tokens", "output-tokens"}) {
            String prefix = "anthropic-ratelimit-" + kind;
            exhausted(
                    key,
                    header.apply(prefix + "-remaining"),
                    dateReset(header.apply(prefix + "-reset"), nowMillis),
                    nowNanos);
        }
    }

    /**
     * How long a 429 asks to wait: {@code retry-after-ms}, else {@code Retry-After}; -1 if neither
     * says.
     */
    public static long retryAfterNanos(Function<String, String> header, long nowMillis) {
        String ms = header.apply("retry-after-ms");
        if (ms != null) {
            try {
                double v = Double.parseDouble(ms.strip());
                if (v >= 0 && v < 1e9) return (long) (v * 1e6);
            } catch (NumberFormatException ignored) {
                // fall through to Retry-After
            }
        }
        String ra = header.apply("retry-after");
        if (ra == null) return -1;
        ra = ra.strip();
        try {
            double s = Double.parseDouble(ra);
            return s >= 0 && s < 1e7 ? (long) (s * 1e9) : -1;
        } catch (NumberFormatException notSeconds) {
            try {
                long at = ZonedDateTime.parse(ra, DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant()
                        .toEpochMilli();
                return Math.max(0, at - nowMillis) * 1_000_000L;
            } catch (DateTimeParseException notDate) {
                return -1;
            }
        }
    }

    private static void exhausted(Key key, String remaining, long resetNanos, long nowNanos) {
        if (resetNanos <= 0 || remaining == null) return;
        if (number(remaining) == 0) key.exhaustedUntil(nowNanos + resetNanos);
    }

    private static long number(String s) {
        if (s == null) return -1;
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A Go duration ({@code 6m0s}, {@code 1.5s}, {@code 20ms}) in nanoseconds; -1 if unreadable. */
    static long goReset(String s) {
        if (s == null || s.isBlank()) return -1;
        Matcher m = GO_DURATION.matcher(s.strip());
        double nanos = 0;
        int at = 0;
        while (m.find()) {
            if (m.start() != at) return -1;
            double v = Double.parseDouble(m.group(1));
            nanos += v
                    * switch (m.group(2)) {
                        case "h" -> 3600e9;
                        case "m" -> 60e9;
                        case "s" -> 1e9;
                        default -> 1e6;
                    };
            at = m.end();
        }
        return at == s.strip().length() && at > 0 ? (long) nanos : -1;
    }

    /** An RFC 3339 time, as the nanoseconds from now until it; -1 if unreadable. */
    static long dateReset(String s, long nowMillis) {
        if (s == null) return -1;
        try {
            long at = Instant.parse(s.strip()).toEpochMilli();
            return Math.max(0, at - nowMillis) * 1_000_000L;
        } catch (DateTimeParseException e) {
            return -1;
        }
    }
}
