package dev.llmlab.bench.session;

import dev.llmlab.bench.result.Environment;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/** Where a run runs: this machine and JDK, and the target's own list of models. */
final class EnvironmentProbe {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private EnvironmentProbe() {}

    /** @param base the target's base URL, whose {@code /models} is asked (within 5 s; its failure is recorded, not thrown) */
    static Environment read(String base, String llmlabVersion) {
        JsonNode models;
        try {
            var http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(3))
                    .build();
            var r = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/models"))
                            .timeout(Duration.ofSeconds(5))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            models = JSON.readTree(r.body());
        } catch (Exception ex) {
            models = JsonNodeFactory.instance.stringNode(
                    "unavailable: " + ex.getClass().getSimpleName());
        }
        return new Environment(
                llmlabVersion,
                System.getProperty("java.vm.vendor") + " " + System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors(),
                cpuModel(),
                ((com.sun.management.OperatingSystemMXBean)
                                java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                        .getTotalMemorySize(),
                models);
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name"))
                    return line.substring(line.indexOf(':') + 1).strip();
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux
        }
        return "unknown";
    }
}
