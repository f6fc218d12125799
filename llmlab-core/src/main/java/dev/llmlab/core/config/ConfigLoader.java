package dev.llmlab.core.config;

import dev.llmlab.core.dist.Distribution;
import dev.llmlab.core.time.Durations;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.exc.ValueInstantiationException;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLReadFeature;

/**
 * Loads YAML configuration into immutable records, and reports every mistake as a
 * {@link ConfigException} naming file, line, column and field.
 *
 * <h2>Binding rules</h2>
 * <ul>
 *   <li>Keys are snake_case: record component {@code timeScale} is key {@code time_scale}.
 *   <li>Unknown keys are errors (the message lists the valid keys and suggests the nearest one);
 *       so are duplicate keys, wrong types, fractional numbers for integer fields and
 *       {@code null} for primitives. Numbers and booleans written as quoted strings are accepted.
 *   <li>Enum values are case-insensitive.
 *   <li>A missing key binds as {@code null} (0 or false for primitives): the record's compact
 *       constructor is the place to apply defaults and to reject what is required. An empty
 *       document binds like an empty mapping. Write an explicit null as {@code null} or leave the
 *       value empty: jackson-dataformat-yaml 3 reads {@code ~} as the string "~".
 *   <li>{@link Duration} components take {@link Durations#parse} literals ({@code 150ms}).
 *   <li>{@link Distribution} components take spec strings
 *       ({@link dev.llmlab.core.dist.Distributions#parse}); their values are durations unless the
 *       component is annotated {@link DistributionUnit @DistributionUnit(Unit.COUNT)}.
 * </ul>
 *
 * <h2>Errors</h2>
 * An {@link IllegalArgumentException} (or other runtime exception) thrown by a record's
 * constructor becomes a {@link ConfigException} with its message as the problem, located at the
 * object that failed. If the message names one of the record's components (as
 * {@code time_scale} or {@code timeScale}, as a whole word; the earliest mention wins) the error
 * is narrowed to that field and located at its value, so a validation message should start with
 * the field it is about: {@code "time_scale must be > 0, got -1"}.
 *
 * <p>Thread-safety: all methods are thread-safe; the underlying mapper is immutable.
 */
public final class ConfigLoader {

    private static final YAMLMapper MAPPER = YAMLMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(YAMLReadFeature.EMPTY_DOCUMENT_AS_EMPTY_OBJECT)
            .addModule(new SimpleModule("llmlab-config")
                    .addDeserializer(Duration.class, new DurationDeserializer())
                    .addDeserializer(String.class, new EnvStrings.Strings())
                    .addDeserializer(Secret.class, new EnvStrings.Secrets())
                    .addDeserializer(
                            Distribution.class,
                            new DistributionDeserializer(dev.llmlab.core.dist.Distributions.Unit.SECONDS)))
            .build();

    private ConfigLoader() {}

    /**
     * Reads and binds a YAML file. The file's path, as given, is the error source.
     *
     * @throws ConfigException if the file cannot be read or does not bind to {@code type}
     */
    public static <T> T load(Path file, Class<T> type) {
        return load(file, type, null);
    }

    /**
     * Reads and binds a YAML file whose strings may name environment variables: {@code ${NAME}}
     * anywhere in a string is replaced by the variable's value ({@code $${} for a literal
     * {@code ${}). A variable that is not set, or is empty, is an error located at its value. Use
     * {@link Secret} for the values that must not be printed.
     *
     * @param env reads a variable (null when unset), such as {@code System::getenv}; null to
     *     read {@code ${...}} as plain text
     * @throws ConfigException if the file cannot be read or does not bind to {@code type}
     */
    public static <T> T load(Path file, Class<T> type, Function<String, String> env) {
        String source = file.toString();
        String yaml;
        try {
            yaml = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(source, 0, 0, "", dev.llmlab.core.io.Problems.unreadable(file, e), e);
        }
        return parse(yaml, source, type, env);
    }

    /**
     * Binds a YAML document.
     *
     * @param sourceName how errors name the document, usually its file name
     * @throws ConfigException if the document does not bind to {@code type}
     */
    public static <T> T parse(String yaml, String sourceName, Class<T> type) {
        return parse(yaml, sourceName, type, null);
    }

    /**
     * Binds a YAML document whose strings may name environment variables, as {@link #load(Path,
     * Class, Function)} does.
     */
    public static <T> T parse(String yaml, String sourceName, Class<T> type, Function<String, String> env) {
        try {
            ObjectReader reader = MAPPER.readerFor(type);
            if (env != null) reader = reader.withAttribute(EnvStrings.ENV, env);
            T value = reader.readValue(yaml);
            // An empty document ("---" alone, or "null") reads as null; treat it like an empty
            // mapping, so that records apply their defaults and report what is required.
            return value != null ? value : reader.readValue("{}");
        } catch (JacksonException e) {
            throw explain(e, yaml, sourceName);
        }
    }

    /**
     * An error found after binding, such as a reference to a profile the file does not define,
     * located in {@code file} at the value of {@code field} (a path such as
     * {@code models[0].profile}), so that it reads like the loader's own errors. Without a
     * readable file, or a field the file does not hold, the location is left out.
     */
    public static ConfigException errorAt(Path file, String field, String problem) {
        String source = file.toString();
        LocationIndex.Position at = LocationIndex.Position.UNKNOWN;
        try (JsonParser p = MAPPER.createParser(Files.readString(file))) {
            at = LocationIndex.of(p).value(field);
        } catch (IOException | JacksonException e) {
            // the file was read and bound a moment ago; if it changed since, say where without a line
        }
        return new ConfigException(source, at, field, problem, null);
    }

    /**
     * Locates a failure. The location index is a second pass over the text, made only when there
     * is an error to explain: on a good document it was a fifth of the cost of a cold start's
     * catalog load. A syntax error anywhere in the text wins over a binding error before it, as it
     * would if the text were checked first.
     */
    private static ConfigException explain(JacksonException e, String yaml, String sourceName) {
        LocationIndex index;
        try (JsonParser p = MAPPER.createParser(yaml)) {
            index = LocationIndex.of(p);
        } catch (JacksonException syntax) {
            return translate(syntax, sourceName, null);
        }
        return translate(e, sourceName, index);
    }

    private static ConfigException translate(JacksonException e, String source, LocationIndex index) {
        String path = path(e);
        LocationIndex.Position at = LocationIndex.Position.of(e.getLocation());
        if (index == null) {
            return syntaxError(e, source, path, at);
        }
        if (e instanceof StreamReadException) {
            // A token the parser read but could not convert, such as an integer out of range.
            return new ConfigException(source, best(index.value(path), at), path, firstLine(e), e);
        }
        if (e instanceof UnrecognizedPropertyException u) {
            return new ConfigException(source, best(index.key(path), at), path, unknownKey(u), e);
        }
        if (e instanceof ValueInstantiationException v) {
            return constructorFailure(v, source, index, path, at);
        }
        String problem = e instanceof ConfigValueException
                ? e.getOriginalMessage()
                : e instanceof MismatchedInputException m ? mismatch(m) : e.getOriginalMessage();
        return new ConfigException(source, best(index.value(path), at), path, problem, e);
    }

    /**
     * The pre-pass failed, so the text is not well-formed YAML (or repeats a key). SnakeYAML
     * knows where the problem is, which can differ from where the parser stopped.
     */
    private static ConfigException syntaxError(
            JacksonException e, String source, String path, LocationIndex.Position at) {
        if (e.getCause() instanceof MarkedYamlEngineException y && y.getProblem() != null) {
            LocationIndex.Position problemAt =
                    y.getProblemMark().map(ConfigLoader::position).orElse(at);
            String problem = y.getProblem();
            if (y.getContext() != null) {
                problem += " (" + y.getContext()
                        + y.getContextMark()
                                .map(ConfigLoader::position)
                                .map(c -> " started at line " + c.line() + ", column " + c.column())
                                .orElse("")
                        + ")";
            }
            return new ConfigException(source, problemAt, path, "invalid YAML: " + problem, e);
        }
        return new ConfigException(source, at, path, "invalid YAML: " + firstLine(e), e);
    }

    private static LocationIndex.Position position(Mark mark) {
        return new LocationIndex.Position(mark.getLine() + 1, mark.getColumn() + 1);
    }

    private static ConfigException constructorFailure(
            ValueInstantiationException e, String source, LocationIndex index, String path, LocationIndex.Position at) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        String problem = cause.getMessage() != null ? cause.getMessage() : cause.toString();
        LocationIndex.Position objectAt = best(index.key(path), best(index.value(path), at));
        String component = mentionedComponent(e.getType().getRawClass(), problem);
        if (component != null) {
            String field = LocationIndex.child(path, component);
            if (index.contains(field)) {
                return new ConfigException(source, index.value(field), field, problem, e);
            }
            // Named but absent (typically "is required"): point at the object that lacks it.
            return new ConfigException(source, objectAt, field, problem, e);
        }
        return new ConfigException(source, objectAt, path, problem, e);
    }

    /** The key, in snake_case, of the record component the message mentions first; null if none. */
    private static String mentionedComponent(Class<?> type, String message) {
        if (!type.isRecord()) {
            return null;
        }
        String best = null;
        int bestAt = Integer.MAX_VALUE;
        for (RecordComponent c : type.getRecordComponents()) {
            String snake = snakeCase(c.getName());
            for (String name : new String[] {snake, c.getName()}) {
                Matcher m = Pattern.compile("(?<![A-Za-z0-9_])" + Pattern.quote(name) + "(?![A-Za-z0-9_])")
                        .matcher(message);
                if (m.find() && (m.start() < bestAt || (m.start() == bestAt && snake.length() > best.length()))) {
                    best = snake;
                    bestAt = m.start();
                }
            }
        }
        return best;
    }

    /** Jackson's SNAKE_CASE rule: '_' before an upper-case letter that follows a non-upper-case one. */
    static String snakeCase(String name) {
        StringBuilder sb = new StringBuilder(name.length() + 4);
        boolean previousUpper = false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean upper = Character.isUpperCase(c);
            if (upper && !previousUpper && i > 0 && sb.charAt(sb.length() - 1) != '_') {
                sb.append('_');
            }
            sb.append(upper ? Character.toLowerCase(c) : c);
            previousUpper = upper;
        }
        return sb.toString();
    }

    private static String unknownKey(UnrecognizedPropertyException e) {
        String key = e.getPropertyName();
        Collection<Object> known = e.getKnownPropertyIds();
        StringBuilder sb = new StringBuilder("unknown key \"").append(key).append('"');
        if (known != null && !known.isEmpty()) {
            List<String> names = known.stream().map(String::valueOf).sorted().toList();
            String suggestion = Suggestions.nearest(key, names);
            if (suggestion != null) {
                sb.append(" (did you mean \"").append(suggestion).append("\"?)");
            }
            sb.append("; valid keys: ").append(String.join(", ", names));
        }
        return sb.toString();
    }

    private static String mismatch(MismatchedInputException e) {
        Class<?> target = e.getTargetType();
        if (target == null) {
            return e.getOriginalMessage();
        }
        String got;
        if (e instanceof InvalidFormatException f && f.getValue() != null) {
            got = "\"" + f.getValue() + "\"";
        } else if (e.getCurrentToken() != null) {
            got = describe(e.getCurrentToken());
        } else {
            return "expected " + expected(target) + ": " + e.getOriginalMessage();
        }
        return "expected " + expected(target) + ", got " + got;
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case START_ARRAY -> "a list";
            case START_OBJECT, PROPERTY_NAME -> "a mapping";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.name();
        };
    }

    private static String expected(Class<?> type) {
        if (type == int.class
                || type == Integer.class
                || type == long.class
                || type == Long.class
                || type == short.class
                || type == Short.class
                || type == byte.class
                || type == Byte.class
                || type == java.math.BigInteger.class) {
            return "an integer";
        }
        if (type == double.class
                || type == Double.class
                || type == float.class
                || type == Float.class
                || type == java.math.BigDecimal.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (CharSequence.class.isAssignableFrom(type)
                || type == Secret.class
                || type == char.class
                || type == Character.class) {
            return "a string";
        }
        if (type == Duration.class) {
            return "a duration such as 150ms";
        }
        if (type == Distribution.class) {
            return "a distribution spec: a value or kind(param=value,...)";
        }
        if (type.isEnum()) {
            return "one of "
                    + Arrays.stream(type.getEnumConstants())
                            .map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT))
                            .collect(Collectors.joining(", "));
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "a mapping";
        }
        return "a mapping (" + type.getSimpleName() + ")";
    }

    private static String firstLine(JacksonException e) {
        String message = e.getOriginalMessage();
        // SnakeYAML appends an excerpt ("in 'reader', line 3, column 5: ...") repeating the
        // location in another form; the first line says what is wrong.
        return message == null
                ? e.getClass().getSimpleName()
                : message.lines()
                        .map(String::strip)
                        .filter(l -> !l.isEmpty())
                        .findFirst()
                        .orElse(message);
    }

    /** {@code models[2].ttft} from databind's reference chain. */
    private static String path(JacksonException e) {
        StringBuilder sb = new StringBuilder();
        for (JacksonException.Reference r : e.getPath()) {
            if (r.getPropertyName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(r.getPropertyName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static LocationIndex.Position best(LocationIndex.Position preferred, LocationIndex.Position fallback) {
        return preferred.known() ? preferred : fallback;
    }
}
