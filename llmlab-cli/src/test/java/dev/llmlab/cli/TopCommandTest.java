package dev.llmlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code llmlab top}: the mistakes people make get a message and exit 2; an unreachable target, exit 4. */
class TopCommandTest {
    @Test
    void aUrlThatIsNot_isNamed_withExit2() {
        Cli.Result r = Cli.run("top", "localhost:8000", "--once");
        assertThat(r.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err())
                .contains("top: not an http:// or https:// URL: 'localhost:8000'")
                .doesNotContain("Exception");
        assertThat(Cli.run("top", "--once").code()).isEqualTo(Main.EXIT_USAGE); // no URL
        Cli.Result w = Cli.run("top", "http://127.0.0.1:1", "--once", "--window", "5m");
        assertThat(w.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(w.err()).contains("--window must be more than 0 and at most 1m");
        assertThat(Cli.run("top", "http://127.0.0.1:1", "--window", "soon").err())
                .contains("soon");
    }

    @Test
    void anUnreachableTarget_isShownWithWhy_andExits4() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Cli.Result r = Cli.run("top", "http://127.0.0.1:" + port, "--once", "--json", "--window", "100ms");
        assertThat(r.code()).isEqualTo(Main.EXIT_TARGET);
        JsonNode j = JsonMapper.builder().build().readTree(r.out());
        assertThat(j.get("models")).isEmpty();
        assertThat(j.get("targets").get(0).get("url").asString()).isEqualTo("http://127.0.0.1:" + port + "/metrics");
        assertThat(j.get("targets").get(0).get("error").asString()).contains("refused");
    }

    @Test
    void web_withOnceOrJsonOrABadAddress_isAUsageError_andATakenPortExits1() throws Exception {
        Cli.Result once = Cli.run("top", "http://127.0.0.1:1", "--web", ":0", "--once");
        assertThat(once.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(once.err()).contains("--web runs until Ctrl-C, --once reads one window");
        assertThat(Cli.run("top", "http://127.0.0.1:1", "--web", ":0", "--json").code())
                .isEqualTo(Main.EXIT_USAGE);
        Cli.Result bare = Cli.run("top", "http://127.0.0.1:1", "--web", "8080");
        assertThat(bare.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(bare.err()).contains("--web wants :PORT or HOST:PORT, got '8080'");
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            Cli.Result r = Cli.run("top", "http://127.0.0.1:1", "--web", ":" + taken.getLocalPort());
            assertThat(r.code()).isEqualTo(Main.EXIT_RUNTIME);
            assertThat(r.err())
                    .contains("top: --web: cannot bind 127.0.0.1:" + taken.getLocalPort())
                    .doesNotContain("Exception");
        }
    }

    /** The real CLI in its own process: it prints where the view is, serves it, and SIGTERM ends its streams. */
    @Test
    void web_servesUntilStopped_thenEndsItsStreams() throws Exception {
        Process p = cli("top", "http://127.0.0.1:1", "--web", ":0", "--interval", "200ms");
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertThat(line).startsWith("llmlab top: web view on http://127.0.0.1:");
            Matcher m = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/$").matcher(line);
            assertThat(m.find()).isTrue();
            try (Socket s = new Socket("127.0.0.1", Integer.parseInt(m.group(1)))) {
                s.setSoTimeout(20_000);
                s.getOutputStream()
                        .write("GET /events HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                StringBuilder received = new StringBuilder();
                while (received.indexOf("event: snapshot") < 0) {
                    int c = in.read();
                    assertThat(c)
                            .as("the stream ended before a snapshot: " + received)
                            .isNotNegative();
                    received.append((char) c);
                }
                assertThat(received).contains("retry: ").contains("id: ");
                p.destroy(); // SIGTERM: the view ends the stream, and the connection closes
                in.readAllBytes();
            }
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("top exited").isTrue();
        } finally {
            p.destroyForcibly();
        }
    }

    /** {@code llmlab top URL | head}: when the reader goes away, top ends instead of writing into nothing forever. */
    @Test
    void aReaderThatGoesAway_endsTheLiveTable() throws Exception {
        Process p = cli("top", "http://127.0.0.1:1", "--interval", "100ms");
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isNotNull(); // it prints
            p.getInputStream().close(); // as head does after its lines
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("top exited").isTrue();
            assertThat(p.exitValue()).isZero();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void help_saysWhatItReads() {
        Cli.Result r = Cli.run("top", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out())
                .contains(
                        "--once",
                        "--json",
                        "--window",
                        "vLLM",
                        "--web",
                        "127.0.0.1",
                        "full-screen",
                        "llmlab-top-YYYYMMDD-HHMMSS.json",
                        "--prometheus",
                        "--config");
        assertThat(Cli.run("--help").out()).contains("top");
    }

    /** The real CLI in a process of its own (stderr discarded). */
    private static Process cli(String... args) throws java.io.IOException {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.llmlab.cli.Main"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }
}
