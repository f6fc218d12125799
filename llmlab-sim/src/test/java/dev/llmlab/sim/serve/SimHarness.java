package dev.llmlab.sim.serve;

import dev.llmlab.core.config.ConfigLoader;
import dev.llmlab.metrics.Exposition;
import dev.llmlab.sim.Simulator;
import dev.llmlab.sim.catalog.Catalog.LatencyOverride;
import dev.llmlab.sim.config.SimConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A simulator on a free loopback port plus a small HTTP client, for integration tests. */
final class SimHarness implements AutoCloseable {
    static final JsonMapper JSON = JsonMapper.builder().build();

    final Simulator sim;
    final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private SimHarness(Simulator sim) {
        this.sim = sim;
    }

    /** A simulator without delays (every profile overridden to 0) and {@code yaml} laid over the defaults. */
    static SimHarness start(String yaml) {
        var zero = dev.llmlab.core.dist.Distributions.fixed(0);
        return new SimHarness(Simulator.start(config(yaml), new LatencyOverride(zero, zero)));
    }

    /** A simulator whose models keep their configured latency profiles. */
    static SimHarness startTimed(String yaml) {
        return new SimHarness(Simulator.start(config(yaml), LatencyOverride.NONE));
    }

    private static SimConfig config(String yaml) {
        String base = "server: {host: 127.0.0.1, port: 0, io_threads: 1}\n";
        return ConfigLoader.parse(base, "base.yaml", SimConfig.class)
                .overlay(ConfigLoader.parse(yaml.isBlank() ? "{}" : yaml, "test.yaml", SimConfig.class));
    }

    static SimHarness start() {
        return start("");
    }

    /** The simulator's {@code /metrics}, read by the parser bench and the monitor use. */
    Exposition metrics() {
        return Exposition.parse(get("/metrics").body());
    }

    String url(String path) {
        return "http://127.0.0.1:" + sim.port() + path;
    }

    HttpResponse<String> post(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(url(path)))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).GET().build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** POSTs and returns the {@code data:} payloads of the SSE stream, asserting the framing on the way. */
    List<String> stream(String path, String body) {
        HttpResponse<String> r = post(path, body);
        if (r.statusCode() != 200) throw new AssertionError("status " + r.statusCode() + ": " + r.body());
        if (!r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream")) {
            throw new AssertionError("not an event stream: " + r.headers());
        }
        return sseData(r.body());
    }

    static List<String> sseData(String raw) {
        List<String> out = new ArrayList<>();
        for (String frame : raw.split("\n\n", -1)) {
            if (frame.isEmpty()) continue;
            if (!frame.startsWith("data: ") || frame.indexOf('\n') >= 0) {
                throw new AssertionError("bad SSE frame: [" + frame + "]");
            }
            out.add(frame.substring(6));
        }
        if (!raw.endsWith("\n\n")) throw new AssertionError("stream does not end with a blank line");
        return out;
    }

    /**
     * Sends a chat completion over a raw socket, with any extra header lines ("Name: value"), and
     * returns the socket unread, for tests that hold a request open or read it byte by byte.
     */
    java.net.Socket openChat(String body, String... headerLines) throws IOException {
        java.net.Socket s = new java.net.Socket("127.0.0.1", sim.port());
        byte[] b = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(
                "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n");
        for (String h : headerLines) head.append(h).append("\r\n");
        head.append("Content-Length: ").append(b.length).append("\r\n\r\n");
        java.io.OutputStream out = s.getOutputStream();
        out.write(head.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.write(b);
        out.flush();
        return s;
    }

    /** Reads a response's status line and headers from a raw socket, asserting a 200; returns them. */
    static String readHead(java.net.Socket s) throws IOException {
        s.setSoTimeout(10_000);
        java.io.InputStream in = s.getInputStream();
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) break;
            sb.append((char) c);
        }
        if (!sb.toString().startsWith("HTTP/1.1 200")) throw new AssertionError("not a 200: " + sb);
        return sb.toString();
    }

    static JsonNode json(String s) {
        return JSON.readTree(s);
    }

    @Override
    public void close() {
        sim.close();
    }
}
