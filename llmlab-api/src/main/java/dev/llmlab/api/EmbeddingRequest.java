package dev.llmlab.api;

import java.util.List;

/**
 * An embeddings request: one or more inputs, an optional reduced dimension count (-1 when unset)
 * and the encoding of the returned vectors.
 */
public record EmbeddingRequest(String model, List<Prompt> inputs, int dimensions, boolean base64, String user) {}
