package dev.llmlab.top;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One server to scrape: its metrics URL, and the name its rows are shown under (its host and
 * port unless given).
 */
public record Target(String name, URI url) {
    public Target {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a target needs a name");
        if (url == null) throw new IllegalArgumentException("a target needs a URL");
    }

    /**
     * A target from a command-line argument: an http or https URL with a host; an empty path or
     * {@code /} means the conventional {@code /metrics}; any other path is used as given.
     *
     * @throws IllegalArgumentException naming the argument and what is wrong with it
     */
    public static Target of(String url) {
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
                u = new URI(scheme, u.getUserInfo(), u.getHost(), u.getPort(), "/metrics", u.getQuery(), null);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("not a URL: '" + url + "' (" + e.getReason() + ")");
            }
        }
        return new Target(u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort()), u);
    }

    /**
     * {@code targets} with names that tell them apart: targets that share a host and port (several
     * metrics paths of one server, a router's per-replica paths) are named with their path and query
     * too.
     *
     * @throws IllegalArgumentException for the same URL given twice
     */
    public static List<Target> unique(List<Target> targets) {
        Set<java.net.URI> urls = new HashSet<>();
        Map<String, Integer> names = new HashMap<>();
        for (Target t : targets) {
            if (!urls.add(t.url())) throw new IllegalArgumentException("the same URL twice: " + t.url());
            names.merge(t.name(), 1, Integer::sum);
        }
        List<Target> out = new ArrayList<>(targets.size());
        for (Target t : targets) {
            if (names.get(t.name()) == 1) out.add(t);
            else {
                String q = t.url().getRawQuery();
                out.add(new Target(t.name() + t.url().getRawPath() + (q == null ? "" : "?" + q), t.url()));
            }
        }
        return List.copyOf(out);
    }
}
