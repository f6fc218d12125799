package dev.llmlab.bench.result;

import tools.jackson.databind.JsonNode;

/**
 * Where a run ran: llmlab's version, the JDK, the machine, and what the target said of itself.
 *
 * @param memoryBytes  the machine's physical memory
 * @param targetModels the target's {@code GET /models} answer as it sent it (its own JSON, kept as
 *                     is), or a string saying why it was unavailable
 */
public record Environment(
        String llmlabVersion, String jdk, String os, int cores, String cpu, long memoryBytes, JsonNode targetModels) {

    public Environment {
        targetModels = targetModels == null ? null : targetModels.deepCopy();
    }

    @Override
    public JsonNode targetModels() {
        return targetModels == null ? null : targetModels.deepCopy();
    }
}
