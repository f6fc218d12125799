package dev.llmlab.gateway.provider;

import dev.llmlab.http.client.Origin;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Where an OpenAI-compatible provider answers: its origin and the path its API lives under, as a
 * user writes it ({@code http://host:8000/v1}, {@code https://api.openai.com/v1}). A request to the
 * gateway's {@code /v1/chat/completions} goes to the base path plus {@code /chat/completions}.
 *
 * @param origin   scheme, host and port
 * @param basePath the API's path without a trailing slash, such as {@code /v1}; empty for the root
 */
public record Upstream(Origin origin, String basePath) {
    public Upstream {
        if (basePath.endsWith("/")) throw new IllegalArgumentException("a base path has no trailing slash");
    }

    /**
     * Reads a base URL.
     *
     * @throws IllegalArgumentException naming what is wrong with it, for a person
     */
    public static Upstream parse(String url) {
        URI u;
        try {
            u = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + url + "' is not a URL: " + e.getReason());
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https"))
            throw new IllegalArgumentException(
                    "'" + url + "' is not an http or https URL (for example http://127.0.0.1:8000/v1)");
        if (u.getHost() == null) throw new IllegalArgumentException("'" + url + "' names no host");
        if (u.getRawQuery() != null || u.getRawFragment() != null)
            throw new IllegalArgumentException("'" + url + "': a base URL has no query or fragment");
        String path = u.getRawPath() == null ? "" : u.getRawPath();
        while (path.endsWith("/")) path = path.substring(0, path.length() - 1);
        return new Upstream(Origin.of(u), path);
    }

    /** The target of a request to the gateway's {@code /v1} + {@code suffix}, on this upstream. */
    public String target(String suffix) {
        return basePath + suffix;
    }

    @Override
    public String toString() {
        return origin + basePath;
    }
}
