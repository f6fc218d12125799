package dev.llmlab.api.client;

import java.util.List;

/**
 * One request to a provider, ready for an HTTP client: always a {@code POST} of {@code body} to
 * {@code path} under the API's base URL (which holds the version, {@code /v1} or {@code
 * /v1beta}: see {@link ClientApi#basePath()}), with {@code headers} (content type, the API key
 * where the API wants it, and what else the API requires).
 *
 * @param path    relative to the base URL, starting with {@code /}; may carry a query ({@code ?alt=sse})
 * @param headers in the order they should be sent; names in lower case
 * @param body    the JSON body, UTF-8; the caller must not modify it
 */
public record ClientRequest(String path, List<Header> headers, byte[] body) {
    public ClientRequest {
        headers = List.copyOf(headers);
    }

    /** One request header. */
    public record Header(String name, String value) {}

    /** The value of header {@code name} (lower case), or null. */
    public String header(String name) {
        for (Header h : headers) if (h.name().equals(name)) return h.value();
        return null;
    }
}
