package dev.llmlab.bench.session;

import dev.llmlab.bench.client.BenchClient;
import dev.llmlab.bench.result.Environment;
import dev.llmlab.http.client.TlsInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/** Where a run runs: this machine and JDK, and the target's own list of models. */
final class EnvironmentProbe {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private EnvironmentProbe() {}

    /**
     * Reads this machine and asks the target for its {@code /models} through the load's own client
     * (its TLS and proxy settings, its API key), within 5 s; a failure is recorded, not thrown.
     *
     * @param secure   whether the target is https
     * @param verified whether its certificates are verified
     * @param proxy    the proxies in use, or null for none
     */
    static Environment read(BenchClient client, String llmlabVersion, boolean secure, boolean verified, String proxy) {
        JsonNode models;
        try {
            String body = client.get("/models", Duration.ofSeconds(5));
            models = JSON.readTree(body);
        } catch (IllegalStateException e) {
            models = JsonNodeFactory.instance.stringNode("unavailable: " + e.getMessage());
        } catch (JacksonException e) {
            models = JsonNodeFactory.instance.stringNode("unavailable: the answer is not JSON");
        }
        Environment.Tls tls = null;
        if (secure) {
            TlsInfo first = client.firstTls();
            tls = new Environment.Tls(
                    client.tlsEngine(),
                    first == null ? null : first.protocol(),
                    first == null ? null : first.cipher(),
                    verified);
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
                models,
                client.transport(),
                tls,
                proxy);
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
