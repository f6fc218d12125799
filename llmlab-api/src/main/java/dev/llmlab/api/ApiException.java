package dev.llmlab.api;

/**
 * A request the API refuses, carrying everything an API codec needs to render the provider's own
 * error body: HTTP status, error type, the offending parameter and a machine-readable code.
 *
 * <p>Thrown by parsers and the simulator alike; each wire format renders it in its own shape
 * (OpenAI: {@code {"error":{"message","type","param","code"}}}). Immutable and thread-safe. No
 * stack trace is filled in: these are expected outcomes of bad input, not bugs, and they can be
 * frequent under load tests that probe error paths.
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String type;
    private final String param;
    private final String code;

    public ApiException(int status, String type, String param, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
    }

    /** 400 {@code invalid_request_error} naming {@code param}. */
    public static ApiException invalid(String param, String code, String message) {
        return new ApiException(400, "invalid_request_error", param, code, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "invalid_request_error", null, null, message);
    }

    public static ApiException modelNotFound(String model) {
        return new ApiException(
                404,
                "invalid_request_error",
                "model",
                "model_not_found",
                "The model `" + model + "` does not exist or you do not have access to it.");
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }
    /** The offending request parameter, or null. */
    public String param() {
        return param;
    }
    /** A machine-readable code such as {@code model_not_found}, or null. */
    public String code() {
        return code;
    }
}
