package dev.llmlab.top;

import dev.llmlab.metrics.MetricsUrl;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
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
     * A target from a command-line argument ({@link MetricsUrl#of}), named by its host and port.
     *
     * @throws IllegalArgumentException naming the argument and what is wrong with it
     */
    public static Target of(String url) {
        URI u = MetricsUrl.of(url);
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
