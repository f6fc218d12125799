package dev.llmlab.top;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where top reads the fleet: the targets a {@link Discovery} lists, scraped one by one, a Prometheus
 * server, or a session recorded earlier.
 */
public sealed interface Source {
    /** Scrape what {@code discovery} lists (URLs, a Kubernetes fleet). */
    record Scraped(Discovery discovery) implements Source {}

    /**
     * Read what a Prometheus server scrapes, through its federation endpoint.
     *
     * @param match label matchers every series must also match ({@code namespace="prod"}), or null
     */
    record Prometheus(URI server, String match) implements Source {}

    /**
     * Play back a {@link Recording}.
     *
     * @param speed recording seconds played per second, more than 0
     * @param at    where to start (live) or what to show ({@code --once}), from the recording's start;
     *              null: its start, or for {@code --once} its end
     */
    record Replay(Path file, double speed, Duration at) implements Source {
        public Replay {
            if (!(speed > 0) || Double.isInfinite(speed))
                throw new IllegalArgumentException("--speed must be more than 0, got " + speed);
            if (at != null && at.isNegative())
                throw new IllegalArgumentException("--at must not be before the recording's start");
        }
    }
}
