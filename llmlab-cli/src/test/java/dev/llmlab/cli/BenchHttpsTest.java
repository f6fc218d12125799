package dev.llmlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.sim.Simulator;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code llmlab bench} against {@code llmlab sim} serving TLS with a certificate from a throw-away
 * CA: with {@code --ca-cert}, without it, with {@code --insecure}, and through a CONNECT proxy named
 * by the environment.
 */
class BenchHttpsTest {
    @TempDir
    static Path dir;

    static Path ca;
    static Simulator sim;

    @BeforeAll
    static void start() throws Exception {
        Instant now = Instant.now();
        X509Bundle root = new CertificateBuilder()
                .subject("CN=test CA")
                .setIsCertificateAuthority(true)
                .notBefore(now.minus(1, ChronoUnit.DAYS))
                .notAfter(now.plus(1, ChronoUnit.DAYS))
                .ecp256()
                .buildSelfSigned();
        X509Bundle server = new CertificateBuilder()
                .subject("CN=localhost")
                .notBefore(now.minus(1, ChronoUnit.DAYS))
                .notAfter(now.plus(1, ChronoUnit.DAYS))
                .ecp256()
                .addSanIpAddress("127.0.0.1")
                .addSanDnsName("localhost")
                .addExtendedKeyUsageServerAuth()
                .buildIssuedBy(root);
        ca = Files.writeString(dir.resolve("ca.pem"), root.getCertificatePEM());
        Path cert = Files.writeString(dir.resolve("server.pem"), server.getCertificatePathPEM());
        Path key = Files.writeString(dir.resolve("server.key"), server.getPrivateKeyPEM());
        SimCommand c = new SimCommand();
        new CommandLine(c)
                .parseArgs(
                        "--host",
                        "127.0.0.1",
                        "--port",
                        "0",
                        "--profile",
                        "instant",
                        "--tls-cert",
                        cert.toString(),
                        "--tls-key",
                        key.toString());
        sim = Simulator.start(c.userConfig(), c.latencyOverride());
    }

    @AfterAll
    static void stop() {
        if (sim != null) sim.close();
    }

    private static String url() {
        return "https://127.0.0.1:" + sim.port() + "/v1";
    }

    private static Cli.Result run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), env, args);
        return new Cli.Result(code, out.toString(), err.toString());
    }

    private static JsonNode json(Path p) throws IOException {
        return JsonMapper.builder().build().readTree(Files.readString(p));
    }

    @Test
    void https_withTheCaCert_measuresTheSimulator() throws IOException {
        Path out = dir.resolve("https.json");
        Cli.Result r = run(
                Map.of(),
                "bench",
                "--url",
                url(),
                "--ca-cert",
                ca.toString(),
                "--requests",
                "20",
                "--concurrency",
                "2",
                "--max-tokens",
                "8",
                "--quiet",
                "--json",
                out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = json(out);
        assertThat(j.at("/summary/requests_completed").asInt()).isEqualTo(20);
        assertThat(j.at("/summary/requests_failed").asInt()).isZero();
        assertThat(j.at("/environment/tls/engine").asString()).isIn("openssl", "jdk");
        assertThat(j.at("/environment/tls/protocol").asString()).startsWith("TLSv1.");
        assertThat(j.at("/environment/target_models/data").isArray()).isTrue(); // the probe went through the client too
    }

    @Test
    void https_withoutTheCa_failsEveryRequest_sayingWhy_andInsecureWarns() throws IOException {
        Cli.Result checked = run(Map.of(), "bench", "--url", url(), "--requests", "4", "--concurrency", "1");
        assertThat(checked.code())
                .as("the check request failed: nothing measured")
                .isEqualTo(4);
        assertThat(checked.err())
                .contains("the target failed the check request")
                .contains("unknown CA")
                .contains("hint: --ca-cert FILE");
        Path out = dir.resolve("unknown.json");
        Cli.Result r = run(
                Map.of(),
                "bench",
                "--url",
                url(),
                "--no-check",
                "--requests",
                "4",
                "--concurrency",
                "1",
                "--quiet",
                "--json",
                out.toString());
        assertThat(r.code()).as("16 + 2: every request failed").isEqualTo(18);
        assertThat(json(out).at("/summary/errors/tls").asInt()).isEqualTo(4);
        assertThat(json(out).at("/summary/error_samples/0/count").asInt()).isEqualTo(4);
        assertThat(r.err()).contains("error: 4 x tls: ").contains("unknown CA");
        Cli.Result insecure = run(
                Map.of(), "bench", "--url", url(), "--insecure", "--requests", "4", "--concurrency", "1", "--quiet");
        assertThat(insecure.code()).as(insecure.err()).isZero();
        assertThat(insecure.err()).contains("warning: --insecure");
        assertThat(run(
                                Map.of(),
                                "bench",
                                "--url",
                                url(),
                                "--ca-cert",
                                dir.resolve("none.pem").toString())
                        .err())
                .contains("none.pem")
                .contains("no such file");
    }

    /** A header the client cannot send is refused as such (usage, exit 2), not blamed on --ca-cert. */
    @Test
    void aHeaderTheClientCannotSend_isAUsageError_notTheCaFiles() {
        Cli.Result r = run(
                Map.of(),
                "bench",
                "--url",
                url(),
                "--ca-cert",
                ca.toString(),
                "--header",
                "Näme: x",
                "--requests",
                "1",
                "--quiet");
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err())
                .contains("header 'näme' cannot be sent: its name is not a token")
                .doesNotContain("--ca-cert")
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
    }

    /**
     * TLS that cannot be set up on this machine (here: a JDK trust store, named by the standard
     * property, that is not a key store) is a runtime error (exit 1) saying so, without a stack trace.
     */
    @Test
    void tlsThatCannotBeSetUp_isARuntimeError_withoutAStackTrace() throws IOException {
        Path bad = Files.writeString(dir.resolve("not-a-trust-store"), "not a key store");
        String before = System.getProperty("javax.net.ssl.trustStore");
        System.setProperty("javax.net.ssl.trustStore", bad.toString());
        Cli.Result r;
        try {
            r = run(Map.of(), "bench", "--url", url(), "--ca-cert", ca.toString(), "--requests", "1", "--quiet");
        } finally {
            if (before == null) System.clearProperty("javax.net.ssl.trustStore");
            else System.setProperty("javax.net.ssl.trustStore", before);
        }
        assertThat(r.code()).as(r.err()).isEqualTo(1);
        assertThat(r.err())
                .contains("cannot set up TLS")
                .contains("trust store")
                .doesNotContain("--ca-cert:")
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
    }

    @Test
    void https_throughAConnectProxy_fromTheEnvironment() throws Exception {
        try (ConnectProxy proxy = new ConnectProxy()) {
            Path out = dir.resolve("proxied.json");
            Cli.Result r = run(
                    Map.of("https_proxy", "http://127.0.0.1:" + proxy.port()),
                    "bench",
                    "--url",
                    url(),
                    "--ca-cert",
                    ca.toString(),
                    "--requests",
                    "10",
                    "--concurrency",
                    "2",
                    "--quiet",
                    "--json",
                    out.toString());
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(json(out).at("/summary/requests_failed").asInt()).isZero();
            assertThat(json(out).at("/environment/proxy").asString()).contains("127.0.0.1:" + proxy.port());
            assertThat(proxy.targets).isNotEmpty().allMatch(t -> t.equals("127.0.0.1:" + sim.port()));
        }
    }

    @Test
    void sim_withAMissingCertificate_isAConfigError_exit3() {
        Cli.Result r = Cli.run(
                "sim",
                "--port",
                "0",
                "--tls-cert",
                dir.resolve("absent.pem").toString(),
                "--tls-key",
                dir.resolve("absent.key").toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("absent.pem").contains("no such file").doesNotContain("Exception");
        assertThat(Cli.run("sim", "--port", "0", "--tls-cert", "x.pem").code()).isEqualTo(2);
    }

    /** A CONNECT-only proxy: the tunnels it opened, by target. */
    static final class ConnectProxy implements AutoCloseable {
        final List<String> targets = new CopyOnWriteArrayList<>();
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());

        ConnectProxy() throws IOException {
            Thread.ofVirtual().start(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket s = socket.accept();
                        Thread.ofVirtual().start(() -> tunnel(s));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        int port() {
            return socket.getLocalPort();
        }

        private void tunnel(Socket client) {
            try (client) {
                InputStream in = client.getInputStream();
                StringBuilder head = new StringBuilder();
                int c;
                while ((c = in.read()) >= 0 && !head.append((char) c).toString().endsWith("\r\n\r\n")) {}
                String[] line = head.toString().split("\r\n")[0].split(" ");
                if (!line[0].equals("CONNECT")) return;
                targets.add(line[1]);
                String[] hp = line[1].split(":");
                try (Socket up = new Socket(hp[0], Integer.parseInt(hp[1]))) {
                    client.getOutputStream().write("HTTP/1.1 200 OK\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    Thread back = Thread.ofVirtual().start(() -> copy(up, client));
                    copy(client, up);
                    back.join();
                }
            } catch (IOException | InterruptedException ignored) {
                // one side went away
            }
        }

        private static void copy(Socket from, Socket to) {
            try {
                from.getInputStream().transferTo(to.getOutputStream());
                to.shutdownOutput();
            } catch (IOException ignored) {
                // closed
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
