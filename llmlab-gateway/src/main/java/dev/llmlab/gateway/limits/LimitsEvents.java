package dev.llmlab.gateway.limits;

/** What a limiter with a shared store reports, for the metrics. Called from any thread; must not block. */
public interface LimitsEvents {
    LimitsEvents NONE = new LimitsEvents() {};

    /** A call to the store failed ({@code reserve}, {@code settle}, {@code seed} or {@code read}). */
    default void storeError(String operation) {}

    /** The store answers again ({@code true}), or stopped answering ({@code false}); on each change. */
    default void storeUp(boolean up) {}

    /** A request's limits were checked with the store up: drawn on this gateway's credit ({@code true}), or in the store. */
    default void checked(boolean onCredit) {}

    /**
     * A request was decided by the failure policy while the store was down: admitted and counted
     * in this process alone ({@code open}), or refused ({@code open} false).
     */
    default void fallback(boolean open) {}
}
