package dev.llmlab.jsonschema;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Test helpers. */
final class TestJson {

    private TestJson() {}

    static JsonNode json(String text) {
        return JsonMapper.shared().readTree(text);
    }

    static String quote(String text) {
        return JsonMapper.shared().writeValueAsString(text);
    }

    static JsonSchema schema(String text) {
        return JsonSchema.compile(json(text));
    }
}
