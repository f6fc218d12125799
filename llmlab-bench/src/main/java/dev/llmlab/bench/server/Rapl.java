package dev.llmlab.bench.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Intel RAPL (also AMD's, through the same powercap driver) package energy counters under
 * {@code /sys/class/powercap}.
 *
 * <p>Only the top-level domains {@code intel-rapl:N} count: their sub-domains ({@code intel-rapl:N:M},
 * core, uncore, dram) are parts of the package and would be counted twice, and so would
 * {@code intel-rapl-mmio:N}, a second view of the same package. A {@code psys} top-level domain
 * (laptops: the whole platform, packages included) is skipped for the same reason.
 *
 * <p>{@code energy_uj} is a microjoule counter that wraps at {@code max_energy_range_uj}, every few
 * minutes on a busy server (a 262 J range at 200 W wraps in about 20 minutes; some parts in
 * seconds). A delta between two reads can only undo one wrap, so the meter reads every second.
 *
 * <p>Since Linux 5.10 (CVE-2020-8694) {@code energy_uj} is readable by root only on most
 * distributions; an unreadable domain is not a source. Not thread-safe: the meter's thread owns it.
 */
final class Rapl {
    private static final Pattern TOP_LEVEL = Pattern.compile("intel-rapl:\\d+");

    private Rapl() {}

    /** One package domain and the energy counted since the first read. */
    static final class Domain {
        final String name;
        private final Path counter;
        private final long range;
        private long last;
        private double joules;

        private Domain(String name, Path counter, long range, long first) {
            this.name = name;
            this.counter = counter;
            this.range = range;
            this.last = first;
        }

        /** Adds the energy since the previous read; a read that fails is skipped (the next one covers it). */
        void read() {
            long now;
            try {
                now = readLong(counter);
            } catch (IOException | RuntimeException e) {
                return;
            }
            long delta = now - last;
            if (delta < 0) {
                if (range <= 0) return; // a wrap of unknown size: drop this interval rather than guess
                delta += range;
            }
            joules += delta / 1e6;
            last = now;
        }

        double joules() {
            return joules;
        }
    }

    /** The readable package domains under {@code root}, or none and why. */
    record Probe(List<Domain> domains, String whyNone) {}

    static Probe probe(Path root) {
        if (!Files.isDirectory(root)) return new Probe(List.of(), "no " + root);
        List<Path> dirs;
        try (Stream<Path> s = Files.list(root)) {
            dirs = s.filter(p -> TOP_LEVEL.matcher(p.getFileName().toString()).matches())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            return new Probe(List.of(), "cannot list " + root);
        }
        List<Domain> domains = new ArrayList<>();
        boolean unreadable = false;
        for (Path d : dirs) {
            String name;
            try {
                name = Files.readString(d.resolve("name")).strip();
            } catch (IOException e) {
                name = d.getFileName().toString();
            }
            if (name.equals("psys")) continue;
            long first;
            try {
                first = readLong(d.resolve("energy_uj"));
            } catch (IOException | RuntimeException e) {
                unreadable = true;
                continue;
            }
            long range;
            try {
                range = readLong(d.resolve("max_energy_range_uj"));
            } catch (IOException | RuntimeException e) {
                range = 0;
            }
            domains.add(new Domain(name, d.resolve("energy_uj"), range, first));
        }
        if (!domains.isEmpty()) return new Probe(List.copyOf(domains), null);
        if (unreadable) return new Probe(List.of(), "RAPL energy_uj under " + root + " is not readable (root only)");
        return new Probe(List.of(), "no RAPL package domain under " + root);
    }

    private static long readLong(Path p) throws IOException {
        return Long.parseLong(Files.readString(p).strip());
    }
}
