package dev.llmlab.api.openai;

import dev.llmlab.api.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A chat request body read once: the top-level fields as a small JSON tree, and the messages.
 *
 * <p>Why not one tree: building a JSON tree for the conversation was the largest cost of parsing
 * a request (an object node and a hash map per message). The common conversation, messages with a
 * string {@code role} and {@code content} and perhaps a {@code name}, is read straight into
 * {@link Message}s with Jackson's streaming parser; every other top-level field still becomes a
 * tree so that validation is shared with {@link OpenAiRequests#parseChat(JsonNode)}. Anything out
 * of the ordinary (content parts, tool calls, an unknown role, malformed JSON) makes the fast
 * reader give up, and the body is read again as a whole tree, so behaviour and error messages are
 * exactly those of the tree path.
 *
 * @param root     the request's fields, without {@code messages} when {@code messages} is set
 * @param messages the parsed messages, or null when they are still in {@code root}
 */
public record ChatBody(JsonNode root, List<Message> messages) {
    private static final Set<String> SIMPLE_ROLES = Set.of("system", "developer", "user", "assistant");

    /** Reads a chat request body; fails like OpenAI does on a body that is not a JSON object. */
    public static ChatBody read(byte[] body, int offset, int length) {
        ChatBody fast = length == 0 ? null : tryFast(body, offset, length);
        return fast != null ? fast : new ChatBody(OpenAiRequests.readBody(body, offset, length), null);
    }

    private static ChatBody tryFast(byte[] body, int offset, int length) {
        try (JsonParser p = OpenAiRequests.MAPPER.createParser(body, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return null;
            ObjectNode root = OpenAiRequests.MAPPER.createObjectNode();
            List<Message> messages = null;
            for (String name = p.nextName(); name != null; name = p.nextName()) {
                JsonToken t = p.nextToken();
                if (name.equals("messages")) {
                    if (messages != null || t != JsonToken.START_ARRAY) return null;
                    messages = simpleMessages(p);
                    if (messages == null) return null;
                } else {
                    root.set(name, value(p, t, root));
                }
            }
            if (p.nextToken() != null) return null; // trailing content: let the tree path report it
            return messages == null ? null : new ChatBody(root, messages);
        } catch (JacksonException e) {
            return null;
        }
    }

    /**
     * The value whose first token was just read. Scalars, most of a request's fields, become nodes
     * directly: {@code readValueAsTree} looks up the tree deserializer, with annotation
     * introspection, on every call, which was a tenth of the parse. The node types are those
     * Jackson's tree reader makes (int, long or big integer by size, double for decimals), which
     * the equivalence tests against the tree path check.
     */
    private static JsonNode value(JsonParser p, JsonToken t, ObjectNode factory) {
        return switch (t) {
            case VALUE_STRING -> factory.stringNode(p.getString());
            case VALUE_TRUE -> factory.booleanNode(true);
            case VALUE_FALSE -> factory.booleanNode(false);
            case VALUE_NULL -> factory.nullNode();
            case VALUE_NUMBER_INT ->
                switch (p.getNumberType()) {
                    case INT -> factory.numberNode(p.getIntValue());
                    case LONG -> factory.numberNode(p.getLongValue());
                    default -> factory.numberNode(p.getBigIntegerValue());
                };
            default -> p.readValueAsTree();
        };
    }

    /** The messages of an array whose start was just read, or null if any is not a simple one. */
    private static List<Message> simpleMessages(JsonParser p) {
        List<Message> out = new ArrayList<>(4);
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.START_OBJECT) return null;
            String role = null;
            String content = null;
            String name = null;
            for (String field = p.nextName(); field != null; field = p.nextName()) {
                if (p.nextToken() != JsonToken.VALUE_STRING) return null;
                switch (field) {
                    case "role" -> role = p.getString();
                    case "content" -> content = p.getString();
                    case "name" -> name = p.getString();
                    default -> {
                        return null;
                    }
                }
            }
            if (role == null || content == null || !SIMPLE_ROLES.contains(role)) return null;
            out.add(new Message(role, content, name, null, null));
        }
        return out.isEmpty() ? null : out;
    }
}
