package dev.llmlab.top;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.core.config.ConfigLoader;
import dev.llmlab.sim.Simulator;
import dev.llmlab.sim.catalog.Catalog.LatencyOverride;
import dev.llmlab.sim.config.SimConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The simulator top's integration tests watch: one model, {@code llama}, 30 ms to its first token, 20 tokens. */
final class SimFixture {
    private SimFixture() {}

    static Simulator start() {
        SimConfig c = ConfigLoader.parse("""
                server: {host: 127.0.0.1, port: 0, io_threads: 1}
                profiles: {steady: {ttft: 30ms, itl: 1ms}}
                models:
                  - {id: llama, output_tokens: "20", profile: steady}
                """, "t.yaml", SimConfig.class);
        return Simulator.start(c, LatencyOverride.NONE);
    }

    /** Sends {@code n} chat completions for llama, one after another, each answered 200. */
    static void chat(HttpClient http, int port, int n) throws IOException, InterruptedException {
        for (int i = 0; i < n; i++) {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                            .header("content-type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"model\":\"llama\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
        }
    }
}
