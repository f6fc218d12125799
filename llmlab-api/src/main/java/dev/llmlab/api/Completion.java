package dev.llmlab.api;

import java.util.List;

/** A finished, non-streamed generation in the internal model, ready for any wire encoder. */
public record Completion(
        String id, long created, String model, String systemFingerprint, List<Choice> choices, Usage usage) {}
