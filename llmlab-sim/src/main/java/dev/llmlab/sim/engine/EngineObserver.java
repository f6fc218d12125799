package dev.llmlab.sim.engine;

/**
 * What an engine reports for metrics, per replica, on the replica's thread. Default methods do
 * nothing, so an observer implements what it records.
 */
public interface EngineObserver {
    EngineObserver NONE = new EngineObserver() {};

    /** A step ended (its tokens were delivered): the replica's state after it. */
    default void stepEnded(int replica, int running, int waiting, double kvUsage) {}

    /** A running sequence was preempted to free KV blocks; it will be recomputed. */
    default void preempted(int replica) {}

    /** A sequence was admitted: {@code queried} prompt tokens looked up, {@code hits} found cached. */
    default void prefixLookup(int replica, long queried, long hits) {}

    /** A sequence finished: model time queued, in prefill (first scheduled to first token), and decoding. */
    default void requestFinished(int replica, long queueNanos, long prefillNanos, long decodeNanos) {}

    /** A step ended this much (model time) later than modelled; live clocks only. */
    default void stepLateness(int replica, long nanos) {}
}
