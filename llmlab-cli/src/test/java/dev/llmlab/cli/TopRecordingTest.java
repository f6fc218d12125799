package dev.llmlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.core.config.ConfigLoader;
import dev.llmlab.sim.Simulator;
import dev.llmlab.sim.catalog.Catalog.LatencyOverride;
import dev.llmlab.sim.config.SimConfig;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code llmlab top --record} and {@code --replay} end to end: a real simulator under a few
 * requests, recorded by the real CLI in its own process until it is stopped, and the replay's
 * snapshot at the end of the recording counts the same requests as the live top did.
 */
class TopRecordingTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private static Simulator simulator() {
        SimConfig c = ConfigLoader.parse("""
                server: {host: 127.0.0.1, port: 0, io_threads: 1}
                profiles: {steady: {ttft: 5ms, itl: 1ms}}
                models:
                  - {id: llama, output_tokens: "8", profile: steady}
                """, "t.yaml", SimConfig.class);
        return Simulator.start(c, LatencyOverride.NONE);
    }

    /** Requests that ended in the snapshot's window, for model llama (0 before its row exists). */
    private static long requests(JsonNode snapshot) {
        for (JsonNode m : snapshot.get("models"))
            if (m.get("model").asString().equals("llama"))
                return Math.round(
                        m.get("requests_per_s").asDouble() * m.get("window_s").asDouble());
        return 0;
    }

    private static void send(HttpClient http, int port, int n) throws Exception {
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

    @Test
    void aLiveSessionRecorded_untilStopped_replaysToTheSameRequestCount() throws Exception {
        Path file = dir.resolve("session.jsonl.gz");
        try (Simulator sim = simulator();
                HttpClient http = HttpClient.newHttpClient()) {
            String javaBin =
                    Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(
                            javaBin,
                            "-cp",
                            System.getProperty("java.class.path"),
                            "dev.llmlab.cli.Main",
                            "top",
                            "http://127.0.0.1:" + sim.port(),
                            "--record",
                            file.toString(),
                            "--json",
                            "--interval",
                            "200ms",
                            "--window",
                            "1m")
                    .redirectError(dir.resolve("stderr").toFile())
                    .start();
            long live;
            try {
                BufferedReader out =
                        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                // the target read once before any request, so that the window holds them all
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                JsonNode s;
                do s = next(out, deadline);
                while (s.get("targets").get(0).get("last_scrape_ago_ms").asLong() < 0);
                assertThat(s.get("recording").get("mode").asString()).isEqualTo("record");
                send(http, sim.port(), 12);
                do s = next(out, deadline);
                while (requests(s) < 12);
                live = requests(s);
                p.destroy(); // SIGTERM: the recording is closed on the way out
                assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("top exited").isTrue();
            } finally {
                p.destroyForcibly();
            }
            assertThat(live).isEqualTo(12);
            assertThat(Files.readString(dir.resolve("stderr"))).containsPattern("top: recorded \\d+ scrapes to ");
            try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                assertThat(text).startsWith("{\"llmlab_top_recording\":1,");
                assertThat(text.strip().lines().toList().getLast()).contains("\"type\":\"end\"", "\"lost\":0");
            }
        }

        Cli.Result r = Cli.run("top", "--replay", file.toString(), "--once", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode end = JSON.readTree(r.out());
        assertThat(end.get("window_s").asDouble()).as("the recording's window").isEqualTo(60.0);
        assertThat(requests(end)).isEqualTo(12);
        assertThat(end.get("recording").get("ended").asBoolean()).isTrue();
        assertThat(end.get("recording").get("note").isNull()).isTrue();

        // played live, ten times as fast, the JSON Lines end with the recording's end
        Cli.Result played =
                Cli.run("top", "--replay", file.toString(), "--json", "--speed", "10", "--interval", "50ms");
        assertThat(played.code()).as(played.err()).isZero();
        JsonNode last = JSON.readTree(played.out().strip().lines().toList().getLast());
        assertThat(requests(last)).isEqualTo(12);
        assertThat(last.get("at").asString()).isEqualTo(end.get("at").asString());
        assertThat(Cli.run("top", "--replay", file.toString(), "--once").out())
                .contains("replay of " + file + " at 1x (", "): ended");
    }

    /** The next snapshot top printed (one every 200 ms), or a failure once the deadline has passed. */
    private static JsonNode next(BufferedReader out, long deadline) throws Exception {
        assertThat(System.nanoTime())
                .as("top printed what was waited for in time")
                .isLessThan(deadline);
        String line = out.readLine();
        assertThat(line).as("top is still printing").isNotNull();
        return JSON.readTree(line);
    }

    @Test
    void aOnceRecorded_replaysToTheSameFigures() throws Exception {
        Path file = dir.resolve("once.jsonl.gz");
        try (Simulator sim = simulator();
                HttpClient http = HttpClient.newHttpClient()) {
            send(http, sim.port(), 3);
            Cli.Result once = Cli.run(
                    "top",
                    "http://127.0.0.1:" + sim.port(),
                    "--once",
                    "--json",
                    "--window",
                    "300ms",
                    "--record",
                    "" + file);
            assertThat(once.code()).as(once.err()).isZero();
            assertThat(once.err()).isEqualTo("top: recorded 2 scrapes to " + file + System.lineSeparator());
            JsonNode live = JSON.readTree(once.out());
            Cli.Result r = Cli.run("top", "--replay", file.toString(), "--once", "--json");
            assertThat(r.code()).as(r.err()).isZero();
            JsonNode replayed = JSON.readTree(r.out());
            assertThat(replayed.get("window_s").asDouble()).isEqualTo(0.3);
            assertThat(replayed.get("models")).isEqualTo(live.get("models"));
            assertThat(replayed.get("replicas")).isEqualTo(live.get("replicas"));
        }
    }

    @Test
    void mistakes_areNamed_withExit2() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.txt"), "hello\n");
        Path missing = dir.resolve("missing.jsonl.gz");
        expect(
                new String[] {"top", "--replay", missing.toString(), "--once"},
                "top: --replay: cannot read the recording " + missing + ": no such file");
        expect(
                new String[] {"top", "--replay", text.toString(), "--once"},
                "top: --replay: " + text + " is not an llmlab top recording: its first line is not JSON");
        expect(
                new String[] {"top", "--replay", text.toString(), "http://127.0.0.1:1"},
                "top: --replay plays a recording instead of reading servers: drop the URLs, --k8s and --prometheus");
        expect(new String[] {"top", "--replay", text.toString(), "--k8s", "pods"}, "drop the URLs, --k8s");
        expect(
                new String[] {"top", "--replay", text.toString(), "--record", "x.gz"},
                "top: --replay and --record: a replay records nothing new, drop --record");
        expect(
                new String[] {"top", "http://127.0.0.1:1", "--speed", "2"},
                "top: --speed and --at go with --replay FILE");
        Path nowhere = dir.resolve("no/such/dir/x.jsonl.gz");
        expect(
                new String[] {"top", "http://127.0.0.1:1", "--once", "--record", nowhere.toString()},
                "top: cannot write the recording " + nowhere + ": no such directory");

        Path file = dir.resolve("r.jsonl.gz");
        try (Simulator sim = simulator()) {
            assertThat(Cli.run(
                                    "top",
                                    "http://127.0.0.1:" + sim.port(),
                                    "--once",
                                    "--window",
                                    "100ms",
                                    "--record",
                                    "" + file)
                            .code())
                    .isZero();
        }
        expect(
                new String[] {"top", "--replay", file.toString(), "--once", "--at", "soon"},
                "top: --at wants an offset (90s, 5m) or an instant (2026-12-07T21:45:55Z), got 'soon'");
        expect(
                new String[] {"top", "--replay", file.toString(), "--once", "--at", "2000-01-01T00:00:00Z"},
                "top: --at 2000-01-01T00:00:00Z is before the recording's start, ");
        expect(new String[] {"top", "--replay", file.toString(), "--speed", "0"}, "top: --speed must be more than 0");
        JsonNode start = JSON.readTree(Cli.run("top", "--replay", file.toString(), "--once", "--json", "--at", "0s")
                .out());
        assertThat(start.get("recording").get("scrapes").asLong())
                .as("nothing played at its start")
                .isZero();
    }

    private static void expect(String[] args, String message) {
        Cli.Result r = Cli.run(args);
        assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err()).contains(message).doesNotContain("Exception");
    }

    @Test
    void help_namesRecordAndReplay() {
        assertThat(Cli.run("top", "--help").out()).contains("--record", "--replay", "--speed", "--at");
    }
}
