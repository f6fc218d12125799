package dev.llmlab.api;

import tools.jackson.databind.JsonNode;

/** A function the model may call; {@code parameters} is a JSON Schema (null means no arguments). */
public record Tool(String name, String description, JsonNode parameters, boolean strict) {}
