package dev.llmlab.gateway.limits;

import java.util.Locale;

/**
 * Where the limits live in Redis, and the scripts' word for each kind of limit. The layout is
 * {@link RedisLimiter}'s to explain; every key is under {@value #PREFIX}.
 */
final class RedisKeys {
    static final String PREFIX = "llmlab:lim:";

    private RedisKeys() {}

    /** Where an ask counted at {@code slot} (a rate's second, a budget's period) lives. */
    static String key(Ask a, long slot) {
        Rule r = a.rule();
        String base = PREFIX + a.subject() + ":" + r.meter().name().toLowerCase(Locale.ROOT);
        return switch (r.period()) {
            case MINUTE -> base + ":minute";
            case NOW -> base;
            case DAY, MONTH ->
                base + ":" + r.period().name().toLowerCase(Locale.ROOT) + ":" + BudgetPeriod.name(r.period(), slot);
        };
    }

    /** Where a rule counts at {@code now}: a rate's epoch second, a budget's period, 0 for in flight. */
    static long slot(Rule r, long now) {
        return switch (r.period()) {
            case MINUTE -> Math.floorDiv(now, 1000L);
            case DAY, MONTH -> BudgetPeriod.key(r.period(), now);
            case NOW -> 0;
        };
    }

    /** The scripts' word for a rule's kind: {@code m} a rate, {@code b} a budget, {@code f} in flight. */
    static String kind(Rule rule) {
        return switch (rule.period()) {
            case MINUTE -> "m";
            case DAY, MONTH -> "b";
            case NOW -> "f";
        };
    }
}
