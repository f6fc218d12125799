package dev.llmlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.llmlab.sim.Simulator;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A run in which requests fail is not a success: the check request before the run stops a target
 * that cannot answer, with what it said and a hint; a run whose requests fail past --max-errors
 * fails; what the server said is printed and kept.
 */
class FailedRunsTest {
    static Simulator sim;
    static HttpServer notAnLlm;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws IOException {
        SimCommand c = new SimCommand();
        new picocli.CommandLine(c).parseArgs("--port", "0", "--host", "127.0.0.1", "--profile", "instant");
        sim = Simulator.start(c.userConfig(), c.latencyOverride());
        // a static file server, as `python3 -m http.server` is: it does not take POST
        notAnLlm = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        notAnLlm.createContext("/", ex -> {
            byte[] page = ("<html><head><title>Error response</title></head><body><p>Message: Unsupported method"
                            + " ('POST').</p></body></html>")
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/html");
            ex.sendResponseHeaders(501, page.length);
            ex.getResponseBody().write(page);
            ex.close();
        });
        notAnLlm.start();
    }

    @AfterAll
    static void stop() {
        sim.close();
        notAnLlm.stop(0);
    }

    static String simUrl(String path) {
        return "http://127.0.0.1:" + sim.port() + path;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void nothingListening_stopsBeforeTheRun_exit4() throws IOException {
        Cli.Result r = Cli.run("bench", "--url", "http://127.0.0.1:" + freePort() + "/v1", "--requests", "20");
        assertThat(r.code()).isEqualTo(4);
        assertThat(r.err())
                .contains("the target failed the check request")
                .contains("refused")
                .contains("hint: is the server running at");
        assertThat(r.out()).doesNotContain("run: valid");
    }

    @Test
    void aServerThatIsNoLlmApi_saysWhatItSaid_exit4() {
        Cli.Result r = Cli.run(
                "bench", "--url", "http://127.0.0.1:" + notAnLlm.getAddress().getPort() + "/v1", "--requests", "20");
        assertThat(r.code()).isEqualTo(4);
        assertThat(r.err())
                .contains("HTTP 501: Error response Message: Unsupported method ('POST').")
                .doesNotContain("<html>")
                .contains("hint: the server does not take POST /v1/chat/completions");
    }

    @Test
    void aUrlWithoutV1_isAskedAbout_exit4() {
        Cli.Result r = Cli.run("bench", "--url", simUrl(""), "--requests", "20");
        assertThat(r.code()).isEqualTo(4);
        assertThat(r.err()).contains("HTTP 404").contains("hint: does the URL end in /v1? e.g. --url " + simUrl("/v1"));
    }

    @Test
    void aWrongModel_getsTheServersOwnList_exit4() {
        Cli.Result r = Cli.run("bench", "--url", simUrl("/v1"), "--model", "gpt-4o-minii", "--requests", "10");
        assertThat(r.code()).isEqualTo(4);
        assertThat(r.err())
                .contains("HTTP 404: The model `gpt-4o-minii` does not exist")
                .contains("hint: did you mean --model gpt-4o-mini? the server lists");
    }

    @Test
    void embeddings_withTheDefaultModel_run() {
        Cli.Result r =
                Cli.run("bench", "--url", simUrl("/v1"), "--api", "openai-embeddings", "--requests", "10", "--quiet");
        assertThat(r.code()).as(r.err()).isZero();
    }

    @Test
    void failuresPastMaxErrors_failTheRun_andWhatWasSaidIsPrintedAndKept() throws IOException {
        Path json = dir.resolve("run.json");
        Path lines = dir.resolve("requests.jsonl");
        Cli.Result r = Cli.run(
                "bench",
                "--url",
                simUrl("/v1"),
                "--model",
                "nope",
                "--no-check",
                "--requests",
                "12",
                "--concurrency",
                "2",
                "--json",
                json.toString(),
                "--requests-jsonl",
                lines.toString());
        assertThat(r.code()).as("16 + 2: errors over --max-errors\n" + r.err()).isEqualTo(18);
        assertThat(r.err())
                .contains("error: 12 x http_404: HTTP 404: The model `nope` does not exist")
                .contains("llmlab: errors: 12 of 12 requests failed (100.0%), more than --max-errors allows (1%)");
        JsonNode samples = JsonMapper.builder().build().readTree(json.toFile()).at("/summary/error_samples");
        assertThat(samples).hasSize(1);
        assertThat(samples.get(0).path("kind").asString()).isEqualTo("http_404");
        assertThat(samples.get(0).path("count").asInt()).isEqualTo(12);
        List<String> logged = Files.readAllLines(lines);
        assertThat(logged)
                .hasSize(12)
                .allSatisfy(l -> assertThat(l).contains("\"error\":\"HTTP 404: The model `nope`"));
        // within the budget, the same failures pass
        Cli.Result allowed = Cli.run(
                "bench",
                "--url",
                simUrl("/v1"),
                "--model",
                "nope",
                "--no-check",
                "--requests",
                "4",
                "--max-errors",
                "100%",
                "--quiet");
        assertThat(allowed.code()).as(allowed.err()).isZero();
    }
}
