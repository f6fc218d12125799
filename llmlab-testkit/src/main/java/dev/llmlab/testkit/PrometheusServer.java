package dev.llmlab.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real {@code prometheus} (Debian's package) on a free loopback port, scraping the targets its
 * config names every second, with its data in a temporary directory removed when it stops.
 */
public final class PrometheusServer implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final Process process;

    private PrometheusServer(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /**
     * Starts one with these {@code scrape_configs} (YAML, as in prometheus.yml, indented under the
     * key); the global scrape interval is 1 s.
     */
    public static PrometheusServer start(String scrapeConfigs) throws IOException {
        Path binary = LocalProcess.binary("prometheus", "/usr/bin/prometheus", "/usr/local/bin/prometheus");
        Path dir = Files.createTempDirectory("llmlab-prometheus");
        Files.writeString(
                dir.resolve("prometheus.yml"),
                "global: {scrape_interval: 1s, scrape_timeout: 1s}\nscrape_configs:\n" + scrapeConfigs);
        int port = LocalProcess.freePort();
        try {
            Process p = LocalProcess.start(
                    List.of(
                            binary.toString(),
                            "--config.file=" + dir.resolve("prometheus.yml"),
                            "--web.listen-address=127.0.0.1:" + port,
                            "--storage.tsdb.path=" + dir.resolve("data"),
                            "--log.level=info"),
                    line -> line.contains("Server is ready to receive web requests"));
            return new PrometheusServer(dir, port, p);
        } catch (RuntimeException | IOException e) {
            delete(dir);
            throw e;
        }
    }

    /** {@code http://127.0.0.1:PORT} */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        try {
            LocalProcess.stop(process);
        } finally {
            delete(dir);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            // a temporary directory left behind is not worth failing a test for
        }
    }
}
