package dev.llmlab.bench.result;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a scenario varies: an open loop's rate (req/s) or a closed loop's users. */
public enum LoadAxis {
    @JsonProperty("rate")
    RATE,
    @JsonProperty("concurrency")
    CONCURRENCY;

    /** The unit of a level on this axis. */
    public String unit() {
        return this == RATE ? "req/s" : "users";
    }
}
