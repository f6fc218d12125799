package dev.llmlab.metrics;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** Where a server's metrics page is, from what a user typed: bench's {@code --scrape} and top's targets. */
public final class MetricsUrl {
    private MetricsUrl() {}

    /**
     * An http or https URL with a host; an empty path or {@code /} means the conventional {@code
     * /metrics}; any other path, query included, is used as given (some servers serve metrics
     * elsewhere, e.g. on a separate port or under a prefix).
     *
     * @throws IllegalArgumentException naming the argument and what is wrong with it
     */
    public static URI of(String url) {
        URI u;
        try {
            u = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: '" + url + "' (" + e.getReason() + ")");
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https"))
            throw new IllegalArgumentException("not an http:// or https:// URL: '" + url + "'");
        if (u.getHost() == null || u.getHost().isEmpty())
            throw new IllegalArgumentException("no host in URL: '" + url + "'");
        String path = u.getRawPath();
        if (path == null || path.isEmpty() || path.equals("/")) {
            try {
                return new URI(scheme, u.getUserInfo(), u.getHost(), u.getPort(), "/metrics", u.getQuery(), null);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("not a URL: '" + url + "' (" + e.getReason() + ")");
            }
        }
        return u;
    }
}
