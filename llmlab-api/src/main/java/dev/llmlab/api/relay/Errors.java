package dev.llmlab.api.relay;

import dev.llmlab.api.ApiException;
import dev.llmlab.api.anthropic.AnthropicResponses;
import dev.llmlab.api.client.ClientApi;
import dev.llmlab.api.client.ProviderError;
import dev.llmlab.api.gemini.GeminiResponses;
import java.io.ByteArrayOutputStream;
import tools.jackson.core.JsonGenerator;

/**
 * Errors in the ingress API's shape: refusals of the translation, the provider's errors, and
 * failures the gateway reports mid-stream.
 *
 * <h2>Status map</h2>
 * A provider's status is kept where every API means the same by it (400, 404, 408, 409, 413,
 * 422, 429, 500, 502, 504), with the provider's message. Otherwise:
 * <ul>
 *   <li>401 and 403: 502. The key that failed is the gateway's provider key, not the client's;
 *       a 401 would tell the client its own key is wrong.
 *   <li>Overload: Anthropic's 529 {@code overloaded_error} and a 503 become 529
 *       {@code overloaded_error} for an Anthropic client, 503 for the others (OpenAI's
 *       {@code server_error}, Google's {@code UNAVAILABLE}).
 *   <li>Out of credit: Anthropic's 402 {@code billing_error} and OpenAI's
 *       {@code insufficient_quota} are a 429 {@code insufficient_quota} for an OpenAI client
 *       (what OpenAI sends), 429 {@code RESOURCE_EXHAUSTED} for a Gemini client, 402
 *       {@code billing_error} for an Anthropic client.
 *   <li>Rate limits (429, Gemini's {@code RESOURCE_EXHAUSTED}, OpenAI's
 *       {@code rate_limit_exceeded}): 429 with OpenAI's {@code rate_limit_exceeded} code,
 *       Anthropic's {@code rate_limit_error}, Google's {@code RESOURCE_EXHAUSTED}.
 *   <li>Any other 4xx: 400; any other 5xx (or an error inside a stream that names none): 502.
 * </ul>
 * Types follow the ingress API: OpenAI {@code invalid_request_error}, {@code server_error};
 * Anthropic's type per status ({@code authentication_error}, {@code not_found_error}, {@code
 * api_error}, {@code timeout_error}, ...); Google's {@code status} per code ({@code
 * INVALID_ARGUMENT}, {@code NOT_FOUND}, {@code UNAVAILABLE}, ...).
 */
final class Errors {
    private Errors() {}

    static final String JSON = "application/json";

    /** The status a client of {@code ingress} gets for a provider error. */
    static int status(ClientApi ingress, ProviderError e) {
        int s = e.status();
        if (quota(e)) return ingress == ClientApi.ANTHROPIC_MESSAGES ? 402 : 429;
        if (s == 0) {
            if (e.rateLimited()) return 429;
            if ("overloaded_error".equals(e.type()) || "UNAVAILABLE".equals(e.type())) s = 529;
            else return 502;
        }
        if (s == 529 || s == 503) return ingress == ClientApi.ANTHROPIC_MESSAGES ? 529 : 503;
        return switch (s) {
            case 400, 404, 408, 409, 413, 422, 429, 500, 502, 504 -> s;
            case 401, 403 -> 502;
            default -> s >= 400 && s < 500 ? 400 : 502;
        };
    }

    private static boolean quota(ProviderError e) {
        return "insufficient_quota".equals(e.code()) || "billing_error".equals(e.type()) || e.status() == 402;
    }

    /** A provider error mapped for the ingress API: status, message, and OpenAI's type and code (null elsewhere). */
    record Mapped(int status, String message, String openAiType, String openAiCode) {}

    static Mapped map(ClientApi ingress, ProviderError e) {
        int status = status(ingress, e);
        String message = e.message() == null ? "the provider failed without a message" : e.message();
        if (e.status() == 401 || e.status() == 403)
            message = "the provider refused the gateway's credentials: " + message;
        String code = null;
        String type = null;
        if (ingress != ClientApi.GEMINI && ingress != ClientApi.ANTHROPIC_MESSAGES) {
            if (quota(e)) code = type = "insufficient_quota";
            else if (status == 429) code = "rate_limit_exceeded";
            else if (e.code() != null) code = e.code();
            if (type == null) type = openAiType(status);
        }
        return new Mapped(status, message, type, code);
    }

    /** A provider's error as the ingress API's error body. */
    static RelayError provider(ClientApi ingress, ProviderError e) {
        Mapped m = map(ingress, e);
        return render(ingress, m.status(), m.message(), m.openAiType(), m.openAiCode());
    }

    /** A refusal or any {@link ApiException} as the ingress API's error body. */
    static RelayError refusal(ClientApi ingress, ApiException e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        switch (ingress) {
            case ANTHROPIC_MESSAGES ->
                AnthropicResponses.writeError(out, e.status(), e.getMessage(), AnthropicResponses.newRequestId());
            case GEMINI -> GeminiResponses.writeError(out, e.status(), e.getMessage());
            default -> writeOpenAi(out, e.getMessage(), e.type(), e.param(), e.code());
        }
        return new RelayError(e.status(), JSON, out.toByteArray());
    }

    /** An error body of {@code status} in the ingress API's shape. */
    static RelayError render(ClientApi ingress, int status, String message, String openAiType, String openAiCode) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        switch (ingress) {
            case ANTHROPIC_MESSAGES -> writeAnthropic(out, status, message);
            case GEMINI -> GeminiResponses.writeError(out, status, message);
            default ->
                writeOpenAi(out, message, openAiType != null ? openAiType : openAiType(status), null, openAiCode);
        }
        return new RelayError(status, JSON, out.toByteArray());
    }

    static String openAiType(int status) {
        return status >= 500 ? "server_error" : "invalid_request_error";
    }

    /** Anthropic's type per status, with the two its server-side table lacks (402, 504). */
    static String anthropicType(int status) {
        return switch (status) {
            case 402 -> "billing_error";
            case 504 -> "timeout_error";
            case 500, 502, 503 -> "api_error";
            default -> AnthropicResponses.errorType(status);
        };
    }

    private static void writeAnthropic(ByteArrayOutputStream out, int status, String message) {
        try (JsonGenerator g = Json.MAPPER.createGenerator(out)) {
            writeAnthropicError(g, status, message);
            g.writeStringProperty("request_id", AnthropicResponses.newRequestId());
            g.writeEndObject();
        }
    }

    /** {@code {"type":"error","error":{"type","message"}} without its closing brace. */
    static void writeAnthropicError(JsonGenerator g, int status, String message) {
        g.writeStartObject();
        g.writeStringProperty("type", "error");
        g.writeObjectPropertyStart("error");
        g.writeStringProperty("type", anthropicType(status));
        g.writeStringProperty("message", message);
        g.writeEndObject();
    }

    static void writeOpenAi(java.io.OutputStream out, String message, String type, String param, String code) {
        try (JsonGenerator g = Json.MAPPER.createGenerator(out)) {
            g.writeStartObject();
            g.writeObjectPropertyStart("error");
            g.writeStringProperty("message", message);
            g.writeStringProperty("type", type);
            g.writeStringProperty("param", param);
            g.writeStringProperty("code", code);
            g.writeEndObject();
            g.writeEndObject();
        }
    }
}
