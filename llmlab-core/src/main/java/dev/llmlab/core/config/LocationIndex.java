package dev.llmlab.core.config;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;

/**
 * Where each field of a YAML document starts, by path ({@code models[2].ttft}).
 *
 * <h2>Why</h2>
 * Databind reports an error at wherever its parser happens to be, which for a record is the end
 * of the whole object: records are built only after all their properties have been read, so a
 * failing constructor would otherwise point past the object, and an error found after buffering
 * would point at a later key. The error does carry the logical path, though. One cheap streaming
 * pass over the document before binding records the start of every key and value under its path,
 * and errors are then located by path: exactly at the offending key or value, whatever the
 * binder's position.
 *
 * <p>Not thread-safe while being built; immutable afterwards.
 */
final class LocationIndex {

    /** A 1-based line and column. */
    record Position(int line, int column) {
        static final Position UNKNOWN = new Position(0, 0);

        static Position of(TokenStreamLocation loc) {
            if (loc == null || loc.getLineNr() <= 0) {
                return UNKNOWN;
            }
            return new Position(loc.getLineNr(), Math.max(loc.getColumnNr(), 0));
        }

        boolean known() {
            return line > 0;
        }
    }

    private final Map<String, Position> keys = new HashMap<>();
    private final Map<String, Position> values = new HashMap<>();

    private LocationIndex() {}

    /** Reads the whole document from {@code p}, which is closed by the caller. */
    static LocationIndex of(JsonParser p) {
        LocationIndex index = new LocationIndex();
        Deque<Container> stack = new ArrayDeque<>();
        String pendingKey = null;
        for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
            switch (t) {
                case PROPERTY_NAME -> {
                    pendingKey = child(stack.peek().path, p.currentName());
                    index.keys.putIfAbsent(pendingKey, Position.of(p.currentTokenLocation()));
                }
                case START_OBJECT, START_ARRAY -> {
                    String path = valuePath(stack, pendingKey);
                    index.values.putIfAbsent(path, Position.of(p.currentTokenLocation()));
                    stack.push(new Container(path, t == JsonToken.START_ARRAY));
                }
                case END_OBJECT, END_ARRAY -> stack.pop();
                default ->
                    index.values.putIfAbsent(valuePath(stack, pendingKey), Position.of(p.currentTokenLocation()));
            }
        }
        return index;
    }

    private static String valuePath(Deque<Container> stack, String pendingKey) {
        Container top = stack.peek();
        if (top == null) {
            return "";
        }
        return top.array ? top.path + "[" + top.nextIndex++ + "]" : pendingKey;
    }

    static String child(String parent, String name) {
        return parent.isEmpty() ? name : parent + "." + name;
    }

    /** Where the key of {@code path} is written; unknown for list elements and the root. */
    Position key(String path) {
        return keys.getOrDefault(path, Position.UNKNOWN);
    }

    /** Where the value at {@code path} starts. */
    Position value(String path) {
        return values.getOrDefault(path, Position.UNKNOWN);
    }

    boolean contains(String path) {
        return keys.containsKey(path) || values.containsKey(path);
    }

    private static final class Container {
        final String path;
        final boolean array;
        int nextIndex;

        Container(String path, boolean array) {
            this.path = path;
            this.array = array;
        }
    }
}
