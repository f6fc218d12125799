package dev.llmlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Ctrl-C keeps what was measured: a real {@code llmlab bench} process (this test's class path),
 * sent SIGINT as a terminal sends it, writes its partial result everywhere it was asked to and
 * exits 130; a second SIGINT exits at once.
 */
class InterruptTest {
    @TempDir
    Path dir;

    /** The bench command as a process of its own; SIGINT's default handling restored (a background job ignores it). */
    Process bench(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                "env",
                "--default-signal=INT",
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.llmlab.cli.Main",
                "bench"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd)
                .redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile())
                .start();
    }

    static void sigint(Process p) throws IOException, InterruptedException {
        // the JVM under env: env execs it, so the pid is the JVM's
        new ProcessBuilder("bash", "-c", "kill -INT " + p.pid()).start().waitFor(); // bash's own kill
    }

    /** Waits until {@code file} has {@code n} lines: the run is measuring. */
    static void awaitLines(Path file, int n, Process p) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(Files.exists(file) && Files.readAllLines(file).size() >= n)) {
            assertThat(p.isAlive()).as("bench ended before measuring").isTrue();
            assertThat(System.nanoTime()).as("no measured request within 60 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void theFirstCtrlC_stopsTheRun_andWritesWhatWasMeasured_exit130() throws Exception {
        Path json = dir.resolve("run.json");
        Path html = dir.resolve("run.html");
        Path lines = dir.resolve("requests.jsonl");
        Process p = bench(
                "--sim-args",
                "--ttft 50ms --itl 10ms",
                "--concurrency",
                "2",
                "--duration",
                "120s",
                "--max-tokens",
                "8",
                "--json",
                json.toString(),
                "--html",
                html.toString(),
                "--requests-jsonl",
                lines.toString());
        awaitLines(lines, 2, p);
        long sent = System.nanoTime();
        sigint(p);
        assertThat(p.waitFor(30, TimeUnit.SECONDS))
                .as("ended after the grace, not the 120 s run")
                .isTrue();
        assertThat((System.nanoTime() - sent) / 1e9).isLessThan(20);
        assertThat(p.exitValue()).isEqualTo(130);
        JsonNode result = JsonMapper.builder().build().readTree(json.toFile());
        assertThat(result.at("/summary/stopped_early").asString()).isEqualTo("interrupted");
        assertThat(result.at("/summary/requests_completed").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(Files.readString(html)).contains("<strong>Stopped early:</strong> interrupted");
        assertThat(Files.readString(dir.resolve("out.txt"))).contains("run: STOPPED EARLY (interrupted)");
        assertThat(Files.readString(dir.resolve("err.txt")))
                .contains("interrupted: stopping, and writing what was measured");
    }

    @Test
    void aSecondCtrlC_exitsAtOnce() throws Exception {
        Path lines = dir.resolve("requests.jsonl");
        // requests of 5 s: the first Ctrl-C's grace would take 2 s
        Process p = bench(
                "--sim-args",
                "--ttft 5s --itl 10ms",
                "--concurrency",
                "2",
                "--duration",
                "120s",
                "--max-tokens",
                "4",
                "--requests-jsonl",
                lines.toString());
        // the handler is in place once the run has made its request log (the check request then takes 5 s)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(lines)) {
            assertThat(System.nanoTime()).as("no run within 60 s").isLessThan(deadline);
            assertThat(p.isAlive()).isTrue();
            Thread.sleep(50);
        }
        sigint(p);
        while (!Files.readString(dir.resolve("err.txt")).contains("interrupted")) Thread.sleep(20);
        long second = System.nanoTime();
        sigint(p);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat((System.nanoTime() - second) / 1e9)
                .as("at once, not after the grace")
                .isLessThan(1.5);
        assertThat(p.exitValue()).isEqualTo(130);
    }
}
