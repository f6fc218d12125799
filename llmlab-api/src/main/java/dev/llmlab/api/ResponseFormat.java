package dev.llmlab.api;

import tools.jackson.databind.JsonNode;

/** The shape the output must take: free text, any JSON object, or JSON valid against a schema. */
public record ResponseFormat(Kind kind, String name, JsonNode schema, boolean strict) {
    public enum Kind {
        TEXT,
        JSON_OBJECT,
        JSON_SCHEMA
    }

    public static final ResponseFormat TEXT = new ResponseFormat(Kind.TEXT, null, null, false);
    public static final ResponseFormat JSON_OBJECT = new ResponseFormat(Kind.JSON_OBJECT, null, null, false);
}
