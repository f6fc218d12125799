package dev.llmlab.gateway.proxy;

import dev.llmlab.api.Usage;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The usage of a whole OpenAI chat or completions answer passed through, read without decoding
 * the rest: a {@link TopLevel} walk to the top-level {@code usage}, and the streaming parser only
 * for an answer the walk cannot read.
 * Decoding the whole answer (its choices' text as strings) only to count it was most of what
 * accounting cost a whole answer; the text is needed only when the usage is missing, and then the
 * caller decodes it.
 */
final class UsageScan {
    private static final JsonFactory JSON = new JsonFactory();

    private UsageScan() {}

    /** The answer's {@code usage}, or null when it has none (or is not a JSON object). */
    static Usage openAi(byte[] body, int offset, int length) {
        TopLevel w = new TopLevel(body, offset, length);
        if (w.open()) {
            int r;
            while ((r = w.next()) == TopLevel.MEMBER) {
                if (w.nameIs("usage")) return w.valueFirst() == '{' ? usage(w.inner()) : null;
            }
            if (r == TopLevel.END) return null;
        }
        return parsed(body, offset, length); // what the walk could not read, the parser tries
    }

    /** The usage object's counts by a walk; null when it lacks one of them or cannot be walked. */
    private static Usage usage(TopLevel u) {
        if (!u.open()) return null;
        int prompt = -1;
        int completion = -1;
        int cached = 0;
        int r;
        while ((r = u.next()) == TopLevel.MEMBER) {
            if (u.nameIs("prompt_tokens")) prompt = u.valueInt();
            else if (u.nameIs("completion_tokens")) completion = u.valueInt();
            else if (u.nameIs("prompt_tokens_details") && u.valueFirst() == '{') {
                TopLevel d = u.inner();
                if (!d.open()) return null;
                int dr;
                while ((dr = d.next()) == TopLevel.MEMBER) {
                    if (d.nameIs("cached_tokens")) cached = Math.max(0, d.valueInt());
                }
                if (dr != TopLevel.END) return null;
            }
        }
        if (r != TopLevel.END) return null;
        return prompt < 0 || completion < 0 ? null : new Usage(prompt, completion, Math.min(cached, prompt));
    }

    /** The same by the streaming parser. */
    static Usage parsed(byte[] body, int offset, int length) {
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
