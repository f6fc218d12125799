package dev.llmlab.bench.client;

import dev.llmlab.http.client.Origin;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a benchmark sends requests to: the origin and base path from {@code --url}, the API, the
 * model, extra headers (the API key's among them) and whether to stream. Immutable.
 */
public record Target(
        Origin origin, String basePath, Api api, String model, boolean stream, Map<String, String> headers) {

    /** @throws IllegalArgumentException for a header that cannot be sent: no name, or a line break in it */
    public Target {
        headers = Map.copyOf(headers);
        for (Map.Entry<String, String> e : headers.entrySet()) {
            String line = e.getKey() + e.getValue();
            if (e.getKey().isBlank() || line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("header '" + e.getKey() + "' cannot be sent: it needs a name, and "
                        + "neither name nor value may contain a line break");
            }
            String name = e.getKey().strip().toLowerCase(java.util.Locale.ROOT);
            if (name.equals("content-length")
                    || name.equals("transfer-encoding")
                    || name.indexOf(' ') >= 0
                    || name.indexOf(':') >= 0)
                throw new IllegalArgumentException("header '" + e.getKey() + "' cannot be sent: "
                        + (name.indexOf(' ') >= 0 || name.indexOf(':') >= 0
                                ? "its name is not a token"
                                : "the client sets it for each request's body"));
        }
    }

    /**
     * @param url    a base such as {@code http://host:8000/v1} or {@code https://api.openai.com/v1}; the
     *               API's path is appended
     * @param apiKey sent as {@code Authorization: Bearer} (OpenAI) or {@code x-api-key} (Anthropic); null for none
     * @throws IllegalArgumentException for a URL that is not {@code http[s]://host[:port][/path]}
     */
    public static Target of(
            String url, Api api, String model, boolean stream, String apiKey, Map<String, String> extra) {
        URI u;
        try {
            u = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--url '" + url + "' is not a URL: " + e.getMessage());
        }
        Origin origin;
        try {
            origin = Origin.of(u);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "--url must be http[s]://HOST[:PORT][/PATH], got '" + url + "': " + e.getMessage());
        }
        if (u.getRawQuery() != null || u.getRawFragment() != null)
            throw new IllegalArgumentException(
                    "--url must be http[s]://HOST[:PORT][/PATH] without a query, got '" + url + "'");
        Map<String, String> h = new LinkedHashMap<>();
        if (api == Api.ANTHROPIC_MESSAGES) h.put("anthropic-version", "2023-06-01");
        if (apiKey != null && !apiKey.isEmpty()) {
            if (api == Api.ANTHROPIC_MESSAGES) h.put("x-api-key", apiKey);
            else h.put("authorization", "Bearer " + apiKey);
        }
        h.putAll(extra);
        String path = u.getRawPath() == null ? "" : u.getRawPath();
        if (path.endsWith("/")) path = path.substring(0, path.length() - 1);
        return new Target(origin, path, api, model, stream && api.streams(), h);
    }

    /** The request path: the base path and the API's. */
    public String path() {
        return basePath + api.path();
    }
}
