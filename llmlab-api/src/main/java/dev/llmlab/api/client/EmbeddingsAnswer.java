package dev.llmlab.api.client;

/**
 * What an embeddings answer holds, without its vectors: how many, their dimensions (of the first
 * vector; base64 vectors count 4 bytes per dimension) and the prompt tokens the server reports
 * (-1 if none).
 */
public record EmbeddingsAnswer(int count, int dimensions, int promptTokens) {}
