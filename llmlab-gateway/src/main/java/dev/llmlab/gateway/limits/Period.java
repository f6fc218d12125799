package dev.llmlab.gateway.limits;

/** Over what time a limit counts. */
public enum Period {
    /** The last 60 seconds, sliding: a rate limit (requests or tokens per minute). */
    MINUTE,
    /** The calendar day in UTC: a budget. */
    DAY,
    /** The calendar month in UTC: a budget. */
    MONTH,
    /** Nothing is remembered: what is in flight now (concurrency). */
    NOW
}
