package dev.llmlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The real CLI in its own process: SIGTERM while a stream is in flight lets the stream finish
 * (every token and the [DONE] terminator arrive) before the process exits.
 */
class GracefulShutdownTest {
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");

    @org.junit.jupiter.api.io.TempDir
    Path dir;

    @Test
    void sigterm_letsTheInFlightStreamFinish() throws Exception {
        Path logFile = dir.resolve("sim.log");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(
                        javaBin,
                        "-cp",
                        System.getProperty("java.class.path"),
                        "dev.llmlab.cli.Main",
                        "sim",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        "0",
                        "--ttft",
                        "0ms",
                        "--itl",
                        "50ms")
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile())
                .start();
        int port;
        try {
            port = awaitPort(logFile, p);
        } catch (IllegalStateException | IOException | InterruptedException e) {
            p.destroyForcibly(); // a simulator that did not start must not outlive the test (one ran on for an hour)
            throw e;
        }
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            // ignore_eos: all 20 tokens, whatever length the unseeded simulator would have drawn (once 14)
            byte[] body = ("{\"model\":\"gpt-4o\",\"stream\":true,\"max_tokens\":20,\"ignore_eos\":true,"
                            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                    .getBytes(StandardCharsets.UTF_8);
            OutputStream out = s.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                            + "Content-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder received = new StringBuilder();
            // Wait for the first token, then send SIGTERM (Process.destroy on Linux) mid-stream.
            while (!received.toString().contains("\"content\":\"") || received.indexOf("\"role\"") < 0) {
                int c = in.read();
                if (c < 0) break;
                received.append((char) c);
            }
            p.destroy();
            for (int c = in.read(); c >= 0 && !received.toString().endsWith("data: [DONE]\n\n"); c = in.read()) {
                received.append((char) c);
            }
            String stream = received.toString();
            assertThat(stream).endsWith("data: [DONE]\n\n");
            assertThat(stream.split("\"delta\":\\{\"content\":", -1)).hasSize(21);
            assertThat(stream).contains("\"finish_reason\":\"length\"");
        } finally {
            boolean exited = p.waitFor(20, TimeUnit.SECONDS);
            if (!exited) p.destroyForcibly();
            assertThat(exited).isTrue();
        }
        assertThat(Files.readString(logFile)).contains("shutting down").contains("stopped cleanly");
    }

    /** Reads the simulator's log until it names its port; polls the file, as the process writes it. */
    private static int awaitPort(Path logFile, Process p) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(Files.exists(logFile) ? Files.readString(logFile) : "");
            if (m.find()) return Integer.parseInt(m.group(1));
            if (!p.isAlive()) throw new IllegalStateException("the simulator exited: " + Files.readString(logFile));
            p.waitFor(10, TimeUnit.MILLISECONDS);
        }
        throw new IllegalStateException("the simulator did not start within 30 s; its log: "
                + (Files.exists(logFile) ? Files.readString(logFile) : "(none)"));
    }
}
