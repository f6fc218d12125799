package dev.llmlab.gateway;

import dev.llmlab.core.config.ConfigLoader;
import dev.llmlab.core.dist.Distributions;
import dev.llmlab.gateway.config.GatewayConfig;
import dev.llmlab.gateway.config.GatewayConfigs;
import dev.llmlab.gateway.config.ServerConfig;
import dev.llmlab.gateway.config.StateConfig;
import dev.llmlab.metrics.Exposition;
import dev.llmlab.metrics.Sample;
import dev.llmlab.sim.Simulator;
import dev.llmlab.sim.catalog.Catalog.LatencyOverride;
import dev.llmlab.sim.config.SimConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A seeded simulator and gateways in front of it, on loopback, for the tests of the simulator's
 * faults through the gateway; closes whatever it started.
 */
final class SimHarness implements AutoCloseable {
    static final String HI = "[{\"role\":\"user\",\"content\":\"hello\"}]";

    private final List<AutoCloseable> open = new ArrayList<>();
    private final Path dir;
    final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    SimHarness(Path dir) {
        this.dir = dir;
    }

    <T extends AutoCloseable> T keep(T c) {
        open.add(c);
        return c;
    }

    /** The simulator with {@code yaml} laid over a seeded loopback server; {@code itlSeconds} a token (0: instant). */
    Simulator simulator(String yaml, double itlSeconds) {
        SimConfig c = ConfigLoader.parse(
                "server: {host: 127.0.0.1, port: 0, io_threads: 1}\nseed: 1\n" + yaml, "sim.yaml", SimConfig.class);
        return keep(Simulator.start(
                c, new LatencyOverride(Distributions.fixed(itlSeconds), Distributions.fixed(itlSeconds))));
    }

    /**
     * A gateway from a YAML config, on a free loopback port with one loop and no access log; its
     * state in memory unless the YAML has a {@code state} section.
     */
    Gateway gateway(String yaml, Map<String, String> env) throws Exception {
        return gateway(yaml, env, null);
    }

    /** The same with its state kept where {@code state} says (null: as the YAML says). */
    Gateway gateway(String yaml, Map<String, String> env, StateConfig state) throws Exception {
        Path f = dir.resolve("gateway-" + open.size() + ".yaml");
        Files.writeString(f, yaml);
        GatewayConfig c = GatewayConfigs.load(f, env::get);
        return keep(Gateway.start(new GatewayConfig(
                new ServerConfig("127.0.0.1", 0, 1, null, null),
                c.timeouts(),
                c.clientKeys(),
                c.teams(),
                c.routes(),
                c.retry(),
                c.breaker(),
                dev.llmlab.gateway.observe.AccessLogConfig.off(),
                c.prices(),
                state != null ? state : yaml.contains("state:") ? c.state() : StateConfig.memory(),
                c.admin(),
                c.cache())));
    }

    HttpResponse<String> post(int port, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("content-type", "application/json");
        for (int i = 0; i < headers.length; i += 2) r.header(headers[i], headers[i + 1]);
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(int port, String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) r.header(headers[i], headers[i + 1]);
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String chat(String model, boolean stream, int maxTokens) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"max_tokens\":" + maxTokens + ",\"messages\":"
                + HI + "}";
    }

    /** A server's /metrics page, read with the metrics reader. */
    Exposition metrics(int port) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return Exposition.parse(r.body());
    }

    /** The sum of the samples named {@code name} whose labels include the given name, value pairs. */
    static double sum(Exposition page, String name, String... pairs) {
        double total = 0;
        for (Sample s : page.samples()) {
            if (!s.name().equals(name)) continue;
            boolean match = true;
            for (int i = 0; i < pairs.length && match; i += 2)
                match = pairs[i + 1].equals(s.labels().get(pairs[i]));
            if (match) total += s.value();
        }
        return total;
    }

    /** The requests the simulator answered on its API paths (its own /metrics scrapes left out). */
    double simRequests(Simulator sim) throws Exception {
        double total = 0;
        for (Sample s : metrics(sim.port()).samples()) {
            if (s.name().equals("llmlab_http_requests_total")
                    && !"/metrics".equals(s.labels().get("route"))) total += s.value();
        }
        return total;
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : open.reversed()) c.close();
        http.close();
    }
}
