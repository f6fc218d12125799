package dev.llmlab.gateway.proxy;

import dev.llmlab.api.Usage;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The usage of a whole OpenAI chat or completions answer passed through, read without decoding
 * the rest: one pass of the streaming parser that skips every top-level value but {@code usage}.
 * Decoding the whole answer (its choices' text as strings) only to count it was most of what
 * accounting cost a whole answer; the text is needed only when the usage is missing, and then the
 * caller decodes it.
 */
final class UsageScan {
    private static final JsonFactory JSON = new JsonFactory();

    private UsageScan() {}

    /** The answer's {@code usage}, or null when it has none (or is not a JSON object). */
    static Usage openAi(byte[] body, int offset, int length) {
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), body, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return null;
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (name.equals("usage") && v == JsonToken.START_OBJECT) return usage(p);
                p.skipChildren();
            }
            return null;
        } catch (JacksonException e) {
            return null;
        }
    }

    private static Usage usage(JsonParser p) {
        int prompt = -1;
        int completion = -1;
        int cached = 0;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "prompt_tokens" -> prompt = v == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : -1;
                case "completion_tokens" -> completion = v == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : -1;
                case "prompt_tokens_details" -> {
                    if (v == JsonToken.START_OBJECT) {
                        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                            String d = p.currentName();
                            JsonToken dv = p.nextToken();
                            if (d.equals("cached_tokens") && dv == JsonToken.VALUE_NUMBER_INT) cached = p.getIntValue();
                            else p.skipChildren();
                        }
                    }
                }
                default -> p.skipChildren();
            }
        }
        return prompt < 0 || completion < 0 ? null : new Usage(prompt, completion, Math.min(cached, prompt));
    }
}
