package dev.llmlab.gateway.limits;

/** What a limit counts. */
public enum Meter {
    /** Requests, one each. */
    REQUESTS,
    /** Tokens, input and output together. */
    TOKENS,
    /** Spend in millionths of a US dollar, so that budgets add up exactly. */
    MICRO_USD,
    /** Requests in flight at once. */
    IN_FLIGHT
}
