package dev.llmlab.gateway.admin;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A client of a running gateway's admin API, for {@code llmlab gateway keys|teams|audit|spend}.
 * Thread-safe; close it to close its connections.
 */
public final class AdminClient implements AutoCloseable {
    /** An answer: its status and JSON body. */
    public record Reply(int status, JsonNode body) {
        /** The API's error message, or null for a success. */
        public String error() {
            if (status < 400) return null;
            JsonNode m = body == null ? null : body.path("error").path("message");
            return m == null || m.isMissingNode() ? "HTTP " + status : m.asString();
        }
    }

    private final URI base;
    private final String adminKey;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param base the gateway, such as {@code http://127.0.0.1:4000} */
    public AdminClient(URI base, String adminKey) {
        this.base = base;
        this.adminKey = adminKey;
    }

    /**
     * Calls {@code method path} with {@code body} (a value written as JSON, or null).
     *
     * @throws IOException with a message naming the gateway when it cannot be reached or does
     *     not answer with JSON
     */
    public Reply call(String method, String path, Object body) throws IOException, InterruptedException {
        URI uri = base.resolve(path);
        HttpRequest.Builder r = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .header("authorization", "Bearer " + adminKey)
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(AdminApi.JSON.writeValueAsBytes(body)));
        if (body != null) r.header("content-type", "application/json");
        HttpResponse<String> res;
        try {
            res = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new IOException("cannot connect to the gateway at " + base + " (is it running? --url sets where)");
        } catch (HttpTimeoutException e) {
            throw new IOException("the gateway at " + base + " did not answer within 30 s");
        }
        try {
            return new Reply(res.statusCode(), AdminApi.JSON.readTree(res.body()));
        } catch (JacksonException e) {
            throw new IOException(base + " answered " + res.statusCode() + " without JSON: is it an llmlab gateway?");
        }
    }

    /** Closes its connections. */
    @Override
    public void close() {
        http.close();
    }

    /** A JSON object from name, value pairs, leaving out null values. */
    public static Map<String, Object> object(Object... pairs) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) if (pairs[i + 1] != null) m.put((String) pairs[i], pairs[i + 1]);
        return m;
    }
}
