package dev.llmlab.bench.client;

import dev.llmlab.api.client.ClientApi;
import dev.llmlab.api.client.ClientRequest;
import dev.llmlab.http.client.Origin;
import dev.llmlab.http.client.RequestHead;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a benchmark sends requests to: the origin and base path from {@code --url}, the API, the
 * model, whether to stream, and the request path and headers the API's codec writes for them (the
 * API key where the API wants it, Anthropic's version, Gemini's model in the path) with the user's
 * extra headers. Immutable.
 *
 * @param path the request path: the base path and the API's ({@code /v1/chat/completions},
 *             {@code /v1beta/models/M:streamGenerateContent?alt=sse})
 */
public record Target(
        Origin origin,
        String basePath,
        ClientApi api,
        String model,
        boolean stream,
        String path,
        Map<String, String> headers) {

    /**
     * The headers are kept in their order, as the client sends them.
     *
     * @throws IllegalArgumentException for a header the client cannot send, by the client's own rule
     *     ({@link RequestHead#checkHeader}): a name that is not a token of visible ASCII, a line
     *     break in a value, or {@code Content-Length} or {@code Transfer-Encoding}
     */
    public Target {
        Map<String, String> ordered = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : headers.entrySet()) {
            RequestHead.checkHeader(e.getKey(), e.getValue());
            ordered.put(e.getKey(), e.getValue() == null ? "" : e.getValue());
        }
        headers = Collections.unmodifiableMap(ordered);
    }

    /** The target without its header values: an API key (or any credential a header carries) is never printed. */
    @Override
    public String toString() {
        return "Target[" + origin + path + ", " + api.flag() + ", model " + model + (stream ? ", streamed" : "")
                + ", headers " + headers.keySet() + "]";
    }

    /**
     * @param url    a base such as {@code http://host:8000/v1} or {@code https://api.openai.com/v1}; the
     *               API's path is appended
     * @param apiKey sent where the API wants it ({@code Authorization: Bearer}, {@code x-api-key},
     *               {@code x-goog-api-key}); null for none
     * @throws IllegalArgumentException for a URL that is not {@code http[s]://host[:port][/path]}
     */
    public static Target of(
            String url, ClientApi api, String model, boolean stream, String apiKey, Map<String, String> extra) {
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
        boolean streams = stream && api.streams();
        // Every request of a run goes to the same path with the same headers: the codec's, for one of them.
        ClientRequest probe = Requests.of(api, model, Requests.user(""), "", 1, streams, apiKey);
        Map<String, String> h = new LinkedHashMap<>();
        for (ClientRequest.Header header : probe.headers()) {
            if (!header.name().equals("content-type")) h.put(header.name(), header.value()); // the client sets it
        }
        h.putAll(extra);
        String path = u.getRawPath() == null ? "" : u.getRawPath();
        if (path.endsWith("/")) path = path.substring(0, path.length() - 1);
        return new Target(origin, path, api, model, streams, path + probe.path(), h);
    }
}
