package dev.llmlab.gateway.limits;

/**
 * One limit: at most {@code limit} of {@code meter} per {@code period}, such as 100,000 tokens a
 * minute, 20 requests in flight, or 50,000,000 micro-dollars (50 USD) a month.
 *
 * @throws IllegalArgumentException for a limit below 1, or a meter and period that do not go
 *     together (in flight is counted {@link Period#NOW} and nothing else is)
 */
public record Rule(Meter meter, Period period, long limit) {
    public Rule {
        if (meter == null || period == null) throw new IllegalArgumentException("a rule needs a meter and a period");
        if (limit < 1) throw new IllegalArgumentException("a limit must be at least 1, got " + limit);
        if ((meter == Meter.IN_FLIGHT) != (period == Period.NOW))
            throw new IllegalArgumentException(
                    "requests in flight are limited now, and only they are: " + meter + " per " + period);
    }

    /** Whether this is a budget (a calendar period), whose refusal is "quota exhausted" rather than "slow down". */
    public boolean budget() {
        return period == Period.DAY || period == Period.MONTH;
    }
}
