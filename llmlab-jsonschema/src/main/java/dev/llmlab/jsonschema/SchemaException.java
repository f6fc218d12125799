package dev.llmlab.jsonschema;

/**
 * A JSON Schema that {@link JsonSchema#compile} cannot use: malformed (a keyword with a value of the wrong kind, an
 * unknown type name, a {@code $ref} that does not resolve), outside the supported subset (a keyword such as
 * {@code if} or {@code patternProperties}, a {@code pattern} with look-around or back-references), or admitting no
 * instance at all (for example {@code {"type": "integer", "minimum": 5, "maximum": 3}} at the root).
 *
 * <p>The message has the form {@code #<pointer>: <problem>} and {@link #pointer()} gives the JSON Pointer (RFC 6901)
 * into the schema document of the offending keyword, for example {@code /properties/location/type}; the empty
 * string is the schema root.
 */
public final class SchemaException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String pointer;

    SchemaException(String pointer, String problem) {
        super("#" + pointer + ": " + problem);
        this.pointer = pointer;
    }

    /** The JSON Pointer into the schema of the keyword at fault; {@code ""} is the schema root. */
    public String pointer() {
        return pointer;
    }
}
