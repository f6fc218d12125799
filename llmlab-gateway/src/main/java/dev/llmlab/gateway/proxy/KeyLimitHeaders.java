package dev.llmlab.gateway.proxy;

import dev.llmlab.gateway.limits.Admission;
import dev.llmlab.gateway.limits.Meter;
import dev.llmlab.gateway.limits.Period;
import dev.llmlab.gateway.limits.Rule;
import dev.llmlab.gateway.limits.Standing;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * A client key's rate limits (or its team's, where they have less left) as OpenAI states its own
 * on every answer, so that clients which pace themselves by them (the SDKs' retry logic,
 * LangChain's rate limiters) pace by the key's:
 * {@code x-ratelimit-limit-requests}, {@code -remaining-requests}, {@code -reset-requests} (a
 * duration such as {@code 1s} or {@code 6m0s}: when the oldest request counted now stops
 * counting), and the same for {@code tokens}. Source: OpenAI's "Rate limits" guide, "Rate limits in
 * headers". Budgets and requests in flight have no such header.
 */
final class KeyLimitHeaders {
    private KeyLimitHeaders() {}

    /** The headers of a granted request: for each kind, the key's or its team's limit, whichever has less left. */
    static void granted(HttpHeaders out, Admission.Granted g, long nowMillis) {
        Standing requests = null;
        Standing tokens = null;
        for (Standing s : g.standings()) {
            Rule r = s.ask().rule();
            if (r.period() != Period.MINUTE) continue;
            if (r.meter() == Meter.REQUESTS) requests = tighter(requests, s);
            else tokens = tighter(tokens, s);
        }
        set(out, "requests", requests, nowMillis);
        set(out, "tokens", tokens, nowMillis);
    }

    private static Standing tighter(Standing a, Standing b) {
        return a == null || b.remaining() < a.remaining() ? b : a;
    }

    private static void set(HttpHeaders out, String kind, Standing s, long nowMillis) {
        if (s == null) return;
        out.set("x-ratelimit-limit-" + kind, Long.toString(s.ask().rule().limit()));
        out.set("x-ratelimit-remaining-" + kind, Long.toString(s.remaining()));
        out.set("x-ratelimit-reset-" + kind, duration(Math.max(0, s.resetAtMillis() - nowMillis)));
    }

    /** A duration as Go writes one, as OpenAI's headers carry it: {@code 20ms}, {@code 1.5s}, {@code 6m0s}. */
    static String duration(long millis) {
        if (millis < 1000) return millis + "ms";
        long minutes = millis / 60_000;
        long rest = millis % 60_000;
        String seconds = rest % 1000 == 0
                ? Long.toString(rest / 1000)
                : java.math.BigDecimal.valueOf(rest, 3).stripTrailingZeros().toPlainString();
        return minutes > 0 ? minutes + "m" + seconds + "s" : seconds + "s";
    }

    /** A rule in words, for a refusal's message: {@code 60 requests per minute}, {@code 5.00 USD per month}. */
    static String describe(Rule r) {
        String amount = switch (r.meter()) {
            case REQUESTS -> r.limit() + " requests";
            case TOKENS -> r.limit() + " tokens";
            case MICRO_USD -> String.format(java.util.Locale.ROOT, "%.2f USD", r.limit() / 1e6);
            case IN_FLIGHT -> r.limit() + " requests in flight";
        };
        return switch (r.period()) {
            case MINUTE -> amount + " per minute";
            case DAY -> amount + " per day (UTC)";
            case MONTH -> amount + " per month (UTC)";
            case NOW -> amount;
        };
    }
}
