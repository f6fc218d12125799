package dev.llmlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.core.config.ConfigLoader;
import dev.llmlab.sim.Simulator;
import dev.llmlab.sim.catalog.Catalog.LatencyOverride;
import dev.llmlab.sim.config.SimConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The terminal UI as a user meets it: the real CLI in its own process, in a detached tmux session
 * of a fixed size (a tmux server of the test's own), watching the real simulator on a free port;
 * keys typed through {@code send-keys}, the screen read through {@code capture-pane}, each step
 * waiting for the screen to show its effect. Skipped only where tmux is not installed.
 */
class TopTerminalTest {
    private static final Duration SCREEN = Duration.ofSeconds(30);
    private static final String S = "top";

    @TempDir
    Path dir;

    private Simulator sim;
    private Tmux tmux;

    @BeforeEach
    void start() {
        Assumptions.assumeTrue(Tmux.installed(), "tmux is not installed");
        SimConfig c = ConfigLoader.parse("""
                server: {host: 127.0.0.1, port: 0, io_threads: 1}
                profiles: {steady: {ttft: 5ms, itl: 1ms}}
                models:
                  - {id: alpha, output_tokens: "4", profile: steady}
                  - {id: beta, output_tokens: "4", profile: steady}
                """, "t.yaml", SimConfig.class);
        sim = Simulator.start(c, LatencyOverride.NONE);
        tmux = new Tmux(dir.resolve("tmux"));
    }

    @AfterEach
    void stop() {
        try {
            if (tmux != null) {
                // the JVM in the pane first, by its process id, then the test's tmux server
                try {
                    long shell = Long.parseLong(tmux.get(S, "#{pane_pid}"));
                    ProcessHandle.of(shell).ifPresent(h -> h.descendants().forEach(ProcessHandle::destroyForcibly));
                } catch (RuntimeException e) {
                    // no session: it never started, or its server is gone
                }
                tmux.close();
            }
        } finally {
            if (sim != null) sim.close();
        }
    }

    /** Starts {@code llmlab top} on the simulator in the session, after a line that marks the shell's screen. */
    private void startTop(int width, int height) throws Exception {
        load("alpha", 2); // a model's series appear at its first request
        load("beta", 2);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path script = dir.resolve("run.sh");
        Files.writeString(
                script,
                String.join(
                        "\n",
                        "echo 'the shell before top'",
                        "LANG=C.UTF-8 '" + java + "' --enable-native-access=ALL-UNNAMED -cp '"
                                + System.getProperty("java.class.path") + "' dev.llmlab.cli.Main top http://127.0.0.1:"
                                + sim.port() + " --interval 200ms --window 1m 2> top.err",
                        "echo \"top exited $?\"",
                        "stty -a | grep -o -- '-\\?icanon'",
                        "exec sleep 600", // the pane lives on, as a user's shell would: a dead pane hides its cursor
                        ""));
        tmux.start(S, width, height, dir.toString(), "sh " + script);
    }

    private static Optional<String> line(List<String> screen, String start) {
        return screen.stream().filter(l -> l.startsWith(start)).findFirst();
    }

    private static int row(List<String> screen, String start) {
        for (int i = 0; i < screen.size(); i++) if (screen.get(i).startsWith(start)) return i;
        return -1;
    }

    private void load(String model, int requests) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            for (int i = 0; i < requests; i++) {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sim.port() + "/v1/chat/completions"))
                                .header("content-type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model
                                        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
            }
        }
    }

    @Test
    void rows_filter_sort_drillDown_resize_andQuitRestoringTheTerminal() throws Exception {
        startTop(160, 40);
        List<String> screen = tmux.await(
                S,
                "both models' rows",
                SCREEN,
                s -> line(s, "alpha ").isPresent() && line(s, "beta ").isPresent());
        assertThat(screen.getFirst())
                .startsWith(" llmlab top")
                .contains("window 1m", "refresh 200ms", "targets 1 read");
        assertThat(tmux.get(S, "#{alternate_on}")).as("on the alternate screen").isEqualTo("1");
        assertThat(row(screen, "alpha ")).as("by name").isLessThan(row(screen, "beta "));

        tmux.type(S, "/bet");
        tmux.await(S, "the filter being typed", SCREEN, s -> s.getLast().startsWith("/bet"));
        tmux.keys(S, "Enter");
        screen = tmux.await(
                S,
                "only beta",
                SCREEN,
                s -> s.getFirst().contains("filter \"bet\"")
                        && line(s, "alpha ").isEmpty());
        assertThat(line(screen, "beta ")).isPresent();
        tmux.keys(S, "Escape");
        tmux.await(S, "the filter cleared", SCREEN, s -> line(s, "alpha ").isPresent());

        load("beta", 20);
        tmux.keys(S, "s"); // by requests/s, the busiest first
        screen = tmux.await(
                S,
                "beta above alpha",
                SCREEN,
                s -> s.getFirst().contains("sort REQ/S") && row(s, "beta ") >= 0 && row(s, "beta ") < row(s, "alpha "));
        assertThat(screen.get(1)).contains("REQ/S▼");

        tmux.keys(S, "Enter"); // the selection is on the first row: beta
        screen =
                tmux.await(S, "beta drilled into", SCREEN, s -> s.stream().anyMatch(l -> l.startsWith("beta  llmlab")));
        assertThat(String.join("\n", screen))
                .contains("Esc: back", "targets", "http://127.0.0.1:" + sim.port() + "/metrics", "requests/s");
        assertThat(line(screen, "alpha ")).isEmpty();
        tmux.keys(S, "Escape");
        screen = tmux.await(S, "the table again", SCREEN, s -> line(s, "alpha ").isPresent());
        assertThat(screen).anyMatch(l -> l.startsWith("replicas of beta"));
        assertThat(screen.get(1)).contains("E2E99");

        tmux.keys(S, "p");
        tmux.await(S, "PAUSED", SCREEN, s -> s.getFirst().contains("PAUSED"));
        tmux.keys(S, "p");
        tmux.await(S, "running again", SCREEN, s -> !s.getFirst().contains("PAUSED"));
        tmux.keys(S, "e");
        screen = tmux.await(S, "the export's file", SCREEN, s -> s.getLast().startsWith("exported "));
        String file = screen.getLast().substring(screen.getLast().lastIndexOf(' ') + 1);
        assertThat(file).matches("llmlab-top-\\d{8}-\\d{6}\\.json");
        assertThat(Files.readString(dir.resolve(file))).contains("\"model\" : \"beta\"", "\"model\" : \"alpha\"");

        tmux.resize(S, 70, 12);
        screen = tmux.await(
                S,
                "the table laid out for 70x12",
                SCREEN,
                s -> s.size() <= 13
                        && s.get(1).startsWith("MODEL")
                        && !s.get(1).contains("E2E99")
                        && !s.get(11).isBlank());
        for (String l : screen) assertThat(l.length()).as(l).isLessThanOrEqualTo(70);
        assertThat(row(screen, "beta ")).as("the order and the selection kept").isLessThan(row(screen, "alpha "));

        tmux.keys(S, "q");
        tmux.await(
                S, "the shell again (after top, stty)", SCREEN, s -> s.stream().anyMatch(l -> l.endsWith("icanon")));
        screen = tmux.screenAndHistory(S);
        assertThat(screen).contains("the shell before top", "top exited 0", "icanon");
        assertThat(screen).noneMatch(l -> l.contains("llmlab top"));
        assertThat(tmux.get(S, "#{alternate_on}"))
                .as("the alternate screen left")
                .isEqualTo("0");
        assertThat(tmux.get(S, "#{cursor_flag}")).as("the cursor shown").isEqualTo("1");
        assertThat(Files.readString(dir.resolve("top.err"))).isEmpty();
    }

    @Test
    void ctrlC_quitsCleanly() throws Exception {
        startTop(120, 30);
        tmux.await(S, "the rows", SCREEN, s -> line(s, "alpha ").isPresent());
        tmux.keys(S, "C-c");
        tmux.await(
                S, "the shell again (after top, stty)", SCREEN, s -> s.stream().anyMatch(l -> l.endsWith("icanon")));
        assertThat(tmux.screenAndHistory(S)).contains("the shell before top", "top exited 0", "icanon");
        assertThat(tmux.get(S, "#{alternate_on}")).isEqualTo("0");
        assertThat(tmux.get(S, "#{cursor_flag}")).isEqualTo("1");
    }
}
