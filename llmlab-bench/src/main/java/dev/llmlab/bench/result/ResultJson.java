package dev.llmlab.bench.result;

import dev.llmlab.core.io.Problems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.ValueInstantiationException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/**
 * The one mapping between {@link BenchResult} and the result JSON of docs/bench.md: every writer
 * (a run, a scenario, stress, merge) and every reader (compare, merge, report, the baseline gate,
 * {@code llmlab sim calibrate}) goes through it. Stateless and thread-safe.
 *
 * <p>Why records and one mapping: a result used to be a JSON tree that each reader walked by string
 * paths, so a renamed field broke readers silently and a typo read as "absent". Now the records are
 * the contract, the compiler checks every reader, and the JSON follows from the records by a few
 * rules:
 * <ul>
 *   <li>Names are the components' in snake_case ({@code requestsCompleted} is
 *       {@code requests_completed}); order is the components' order.</li>
 *   <li>A figure that may be unknown (a percentile of no sample, goodput without targets) is a
 *       {@code double} that is NaN in Java and {@code null} in JSON; so is one a file leaves out.
 *       JSON has no NaN, and a reader that meets null knows the figure is missing, never zero.</li>
 *   <li>A part that only some results have (a section, a field of one kind of target) is null in
 *       Java and left out of the JSON. A boxed {@code Double} among those reads a JSON null as NaN,
 *       so that "present but unknown" and "absent" stay apart ({@link Energy}).</li>
 *   <li>{@code unit} fields are constants, written for the reader of the file and ignored on
 *       reading.</li>
 *   <li>Counts given as a plain number in a flag ({@code --input-tokens 128}) are numbers in JSON;
 *       distributions stay strings. Gauges of requests a server reported are integers when whole.</li>
 * </ul>
 *
 * <p>Versions. {@link #SCHEMA_VERSION} changes when a field changes meaning, type or goes away; a
 * new field does not change it. Version 2 is the first written from these records; it differs
 * from version 1 in that {@code config.input_tokens} and {@code config.output_tokens} are numbers
 * whenever the flag was a plain count (version 1 wrote them as strings in a run's result and as
 * numbers in a scenario's). Every version-1 file reads: the changed fields accept either form.
 * Fields a reader does not know are skipped, so a file with newer fields of the same version reads
 * too; a file of a later version is refused, since its fields may mean something else. What is
 * written is always the current version, and writing what was read gives the same JSON back.
 */
public final class ResultJson {
    /** The layout this code writes, and the newest it reads. */
    public static final int SCHEMA_VERSION = 2;

    private static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .addModule(new SimpleModule("llmlab-result")
                    .addSerializer(double.class, new Figure())
                    .addSerializer(Double.class, new Figure())
                    .addDeserializer(double.class, new FigureReader(Double.NaN))
                    .addDeserializer(Double.class, new FigureReader(null)))
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private ResultJson() {}

    /**
     * The result as JSON text, indented, in the current layout (so with {@link #SCHEMA_VERSION},
     * whatever version it was read from).
     */
    public static String write(BenchResult result) {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result.withSchemaVersion(SCHEMA_VERSION));
    }

    /** {@link #write} into {@code file}, replacing it. */
    public static void write(Path file, BenchResult result) throws IOException {
        Files.writeString(file, write(result));
    }

    /**
     * A result from JSON text, whatever parts it has.
     *
     * @throws IllegalArgumentException saying where the text is not a result and why
     */
    public static BenchResult parse(String json) {
        if (json.isBlank()) throw new IllegalArgumentException("is not JSON: it is empty");
        BenchResult r;
        try {
            r = JSON.readValue(json, BenchResult.class);
        } catch (StreamReadException e) {
            throw new IllegalArgumentException("is " + Problems.notJson(e));
        } catch (JacksonException e) {
            throw new IllegalArgumentException(Problems.trailing(e) ? "is " + Problems.notJson(e) : describe(e));
        }
        if (r.schemaVersion() > SCHEMA_VERSION) {
            throw new IllegalArgumentException("is a result of schema version " + r.schemaVersion()
                    + ", newer than this llmlab reads (" + SCHEMA_VERSION + "): use a newer llmlab");
        }
        return r;
    }

    /**
     * A whole result written by {@code llmlab bench --json} (or merge): one with a
     * {@code schema_version} and a {@code summary}.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static BenchResult read(Path file) {
        BenchResult r = readPartial(file);
        if (r.schemaVersion() < 1 || r.summary() == null) {
            throw new IllegalArgumentException(
                    file + " is not an llmlab bench result (it lacks a schema_version or a summary)");
        }
        return r;
    }

    /**
     * A result file that may hold only some parts, such as the hand-written sweep layout that
     * {@code llmlab sim calibrate} reads.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static BenchResult readPartial(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + Problems.unreadable(file, e));
        }
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            throw new IllegalArgumentException(file + (m.startsWith("is ") ? " " : ": ") + m);
        }
    }

    /** A part of a result as its JSON tree, for a display that shows every field (the report's tables). */
    public static JsonNode tree(Object part) {
        return JSON.valueToTree(part);
    }

    /** Where a value did not fit the records, and why, in the JSON's own names. */
    private static String describe(JacksonException e) {
        StringBuilder at = new StringBuilder();
        for (JacksonException.Reference r : e.getPath()) {
            if (r.getPropertyName() != null) {
                if (!at.isEmpty()) at.append('.');
                at.append(r.getPropertyName());
            } else if (r.getIndex() >= 0) {
                at.append('[').append(r.getIndex()).append(']');
            }
        }
        String where = at.isEmpty() ? "the result" : at.toString();
        if (e instanceof ValueInstantiationException && e.getCause() instanceof IllegalArgumentException bad) {
            return where + ": " + bad.getMessage();
        }
        if (e instanceof InvalidFormatException f
                && f.getTargetType() != null
                && f.getTargetType().isEnum()) {
            return where + ": unknown value '" + f.getValue() + "'";
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            return where + ": expected " + expected(m.getTargetType());
        }
        return where + ": " + e.getOriginalMessage();
    }

    private static String expected(Class<?> type) {
        if (type == double.class || type == Double.class || type == float.class || type == Number.class)
            return "a number";
        if (type == long.class || type == Long.class || type == int.class || type == Integer.class)
            return "a whole number";
        if (type == boolean.class || type == Boolean.class) return "true or false";
        if (type == String.class || type.isEnum()) return "a string";
        if (Collection.class.isAssignableFrom(type)) return "a list";
        if (Map.class.isAssignableFrom(type) || type.isRecord()) return "an object";
        return "another kind of value";
    }

    /** A figure: NaN and infinities are null, since JSON has neither. */
    static final class Figure extends ValueSerializer<Double> {
        @Override
        public void serialize(Double v, JsonGenerator g, SerializationContext c) {
            if (v == null || !Double.isFinite(v)) g.writeNull();
            else g.writeNumber(v);
        }
    }

    /** A figure read back: null is NaN; absent is {@code absent} (NaN for a double, null for a boxed one). */
    static final class FigureReader extends ValueDeserializer<Double> {
        private final Double absent;

        FigureReader(Double absent) {
            this.absent = absent;
        }

        @Override
        public Double deserialize(JsonParser p, DeserializationContext c) {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) return p.getDoubleValue();
            return (Double) c.handleUnexpectedToken(Double.class, p);
        }

        @Override
        public Double getNullValue(DeserializationContext c) {
            return Double.NaN;
        }

        @Override
        public Object getAbsentValue(DeserializationContext c) {
            return absent;
        }
    }

    /** A figure that is a count when whole (a server's gauge of requests): written as an integer then. */
    static final class Whole extends ValueSerializer<Double> {
        @Override
        public void serialize(Double v, JsonGenerator g, SerializationContext c) {
            if (v == null || !Double.isFinite(v)) g.writeNull();
            else if (v == Math.rint(v) && Math.abs(v) < 1e15) g.writeNumber(v.longValue());
            else g.writeNumber(v);
        }
    }

    /** A count-or-distribution flag: a plain count as a number, anything else as the string given. */
    static final class CountOrSpec extends ValueSerializer<String> {
        @Override
        public void serialize(String v, JsonGenerator g, SerializationContext c) {
            String s = v.strip();
            if (s.matches("[0-9]{1,18}")) g.writeNumber(Long.parseLong(s));
            else g.writeString(v);
        }
    }

    /** Reads what {@link CountOrSpec} writes, and version 1's strings. */
    static final class CountOrSpecReader extends ValueDeserializer<String> {
        @Override
        public String deserialize(JsonParser p, DeserializationContext c) {
            return switch (p.currentToken()) {
                case VALUE_STRING -> p.getString();
                case VALUE_NUMBER_INT -> p.getNumberValue().toString();
                case VALUE_NUMBER_FLOAT -> {
                    double d = p.getDoubleValue();
                    yield d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
                }
                default -> (String) c.handleUnexpectedToken(String.class, p);
            };
        }
    }
}
