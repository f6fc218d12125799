package dev.llmlab.top;

import java.net.URI;

/** Where top reads the fleet: the targets a {@link Discovery} lists, scraped one by one, or a Prometheus server. */
public sealed interface Source {
    /** Scrape what {@code discovery} lists (URLs, a Kubernetes fleet). */
    record Scraped(Discovery discovery) implements Source {}

    /**
     * Read what a Prometheus server scrapes, through its federation endpoint.
     *
     * @param match label matchers every series must also match ({@code namespace="prod"}), or null
     */
    record Prometheus(URI server, String match) implements Source {}
}
