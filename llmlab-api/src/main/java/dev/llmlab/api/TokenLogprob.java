package dev.llmlab.api;

import java.util.List;

/** The log probability of one output token and of the most likely alternatives at its position. */
public record TokenLogprob(String token, double logprob, List<Alternative> top) {
    public record Alternative(String token, double logprob) {}
}
