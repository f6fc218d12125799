package dev.llmlab.core.config;

import java.util.function.Function;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.std.StdScalarDeserializer;

/**
 * Strings with {@code ${NAME}} replaced by the environment variable's value, for configs that keep
 * their secrets out of the file. Only loads given an environment substitute (the gateway's config);
 * others read {@code ${...}} as plain text. {@code $${} writes a literal {@code ${}. A variable that
 * is not set, or set to the empty string, is an error at the value that names it: an unset key
 * sent as an empty string would fail far from its cause (as an upstream's 401).
 */
final class EnvStrings {
    /** The context attribute holding the {@code Function<String, String>} that reads a variable. */
    static final Object ENV = EnvStrings.class;

    private EnvStrings() {}

    static String substitute(JsonParser p, DeserializationContext ctxt, String text) {
        @SuppressWarnings("unchecked")
        Function<String, String> env = (Function<String, String>) ctxt.getAttribute(ENV);
        if (env == null || text.indexOf('$') < 0) return text;
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '$' && text.startsWith("$${", i)) {
                out.append("${");
                i += 3;
            } else if (c == '$' && text.startsWith("${", i)) {
                int end = text.indexOf('}', i + 2);
                if (end < 0) throw new ConfigValueException(p, "\"${\" without its \"}\"", text, String.class);
                String name = text.substring(i + 2, end);
                if (!name.matches("[A-Za-z_][A-Za-z0-9_]*"))
                    throw new ConfigValueException(
                            p, "\"${" + name + "}\" is not an environment variable's name", text, String.class);
                String value = env.apply(name);
                if (value == null || value.isEmpty())
                    throw new ConfigValueException(
                            p, "the environment variable " + name + " is not set", text, String.class);
                out.append(value);
                i = end + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** Every string of a config that reads the environment. */
    static final class Strings extends StdScalarDeserializer<String> {
        Strings() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_STRING) return substitute(p, ctxt, p.getString());
            if (t != null && t.isScalarValue() && t != JsonToken.VALUE_NULL) return p.getString();
            return (String) ctxt.handleUnexpectedToken(String.class, p);
        }
    }

    /** A {@link Secret}: a string, substituted like the others, never empty. */
    static final class Secrets extends StdScalarDeserializer<Secret> {
        Secrets() {
            super(Secret.class);
        }

        @Override
        public Secret deserialize(JsonParser p, DeserializationContext ctxt) {
            JsonToken t = p.currentToken();
            if (t != JsonToken.VALUE_STRING && (t == null || !t.isScalarValue() || t == JsonToken.VALUE_NULL))
                return (Secret) ctxt.handleUnexpectedToken(Secret.class, p);
            String value = substitute(p, ctxt, p.getString());
            if (value.isEmpty()) throw new ConfigValueException(p, "a secret cannot be empty", "", Secret.class);
            return Secret.of(value);
        }
    }
}
