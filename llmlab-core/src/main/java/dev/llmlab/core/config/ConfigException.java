package dev.llmlab.core.config;

/**
 * A configuration error, located as precisely as the input allows: file, line, column and the
 * field's path, so that the user can go straight to it.
 *
 * <p>The message reads {@code source:line:column: field: problem}, for example
 * {@code sim.yaml:12:10: models[2].ttft: invalid duration "80" ...}, the form editors and
 * terminals recognise as a clickable location. Unknown parts are left out rather than printed
 * as zero: {@code sim.yaml: no such file}.
 *
 * <p>Thread-safety: immutable.
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final int column;
    private final String field;
    private final String problem;

    /**
     * @param source the file or other source name
     * @param line 1-based line, 0 if unknown
     * @param column 1-based column, 0 if unknown
     * @param field path of the field, such as {@code models[2].ttft}; empty for the whole document
     * @param problem what is wrong, phrased for the user
     * @param cause the underlying exception, or null
     */
    public ConfigException(String source, int line, int column, String field, String problem, Throwable cause) {
        super(format(source, line, column, field, problem), cause);
        this.source = source;
        this.line = Math.max(line, 0);
        this.column = line > 0 ? Math.max(column, 0) : 0;
        this.field = field == null ? "" : field;
        this.problem = problem;
    }

    ConfigException(String source, LocationIndex.Position at, String field, String problem, Throwable cause) {
        this(source, at.line(), at.column(), field, problem, cause);
    }

    private static String format(String source, int line, int column, String field, String problem) {
        StringBuilder sb = new StringBuilder(source);
        if (line > 0) {
            sb.append(':').append(line);
            if (column > 0) {
                sb.append(':').append(column);
            }
        }
        sb.append(": ");
        if (field != null && !field.isEmpty()) {
            sb.append(field).append(": ");
        }
        return sb.append(problem).toString();
    }

    /** The file or source name given to the loader. */
    public String source() {
        return source;
    }

    /** 1-based line of the error, 0 if unknown. */
    public int line() {
        return line;
    }

    /** 1-based column of the error, 0 if unknown. */
    public int column() {
        return column;
    }

    /** Path of the offending field, such as {@code models[2].ttft}; empty if the error concerns the whole document. */
    public String field() {
        return field;
    }

    /** The problem alone, without the location. */
    public String problem() {
        return problem;
    }
}
