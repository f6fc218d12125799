package dev.llmlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.llmlab.core.config.ConfigLoader;
import dev.llmlab.sim.Simulator;
import dev.llmlab.sim.catalog.Catalog.LatencyOverride;
import dev.llmlab.sim.config.SimConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code llmlab top --k8s}: a pod the API server lists (a fake one, on loopback, reached through a
 * kubeconfig with a token) whose address is a real simulator's is read as a replica; the mistakes
 * get a message and exit 2; an API server that cannot be reached, exit 4 with why.
 */
class TopKubernetesTest {
    @TempDir
    Path dir;

    @Test
    void aPodTheApiServerLists_isReadAsAReplica() throws Exception {
        SimConfig c = ConfigLoader.parse("""
                server: {host: 127.0.0.1, port: 0, io_threads: 1}
                """, "t.yaml", SimConfig.class);
        CountDownLatch done = new CountDownLatch(1);
        List<String> asked = new CopyOnWriteArrayList<>();
        try (Simulator sim = Simulator.start(c, LatencyOverride.NONE)) {
            String pods = """
                    {"kind": "PodList", "metadata": {"resourceVersion": "7"}, "items": [
                      {"metadata": {"name": "sim-0", "namespace": "llm", "labels": {"app": "sim"}},
                       "spec": {"containers": [{"name": "sim", "ports": [{"name": "http", "containerPort": %d}]}]},
                       "status": {"phase": "Running", "podIP": "127.0.0.1",
                                  "conditions": [{"type": "Ready", "status": "True"}]}}]}
                    """.formatted(sim.port());
            HttpServer api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            api.setExecutor(Executors.newCachedThreadPool());
            api.createContext("/", x -> {
                asked.add(x.getRequestURI() + " " + x.getRequestHeaders().getFirst("Authorization"));
                if (!"Bearer t0ken".equals(x.getRequestHeaders().getFirst("Authorization"))) send(x, 401, "{}");
                else if (x.getRequestURI().getQuery().contains("watch=")) hold(x, done);
                else send(x, 200, pods);
            });
            api.start();
            try {
                Path kubeconfig = Files.writeString(
                        dir.resolve("config"), """
                        apiVersion: v1
                        kind: Config
                        current-context: fake
                        contexts: [{name: fake, context: {cluster: fake, user: me, namespace: llm}}]
                        clusters: [{name: fake, cluster: {server: "http://127.0.0.1:%d"}}]
                        users: [{name: me, user: {token: t0ken}}]
                        """.formatted(api.getAddress().getPort()));
                Cli.Result r = Cli.runWith(
                        Map.of("HOME", dir.toString()),
                        "top",
                        "--k8s",
                        "pods",
                        "-l",
                        "app=sim",
                        "--kubeconfig",
                        kubeconfig.toString(),
                        "--once",
                        "--json",
                        "--window",
                        "300ms");
                assertThat(r.code()).as(r.err() + r.out()).isZero();
                JsonNode j = JsonMapper.builder().build().readTree(r.out());
                assertThat(j.get("targets").get(0).get("name").asString()).isEqualTo("sim-0");
                assertThat(j.get("targets").get(0).get("url").asString())
                        .isEqualTo("http://127.0.0.1:" + sim.port() + "/metrics");
                assertThat(j.get("replicas")).as(r.out()).isNotEmpty(); // a row per model the page names
                for (JsonNode row : j.get("replicas")) {
                    assertThat(row.get("replica").asString()).isEqualTo("sim-0");
                    assertThat(row.get("kind").asString()).isEqualTo("llmlab");
                }
                assertThat(j.has("source_error")).isFalse();
                assertThat(asked.getFirst())
                        .startsWith("/api/v1/namespaces/llm/pods?limit=500&labelSelector=app%3Dsim");
            } finally {
                done.countDown();
                api.stop(0);
            }
        }
    }

    private static void send(HttpExchange x, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, b.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(b);
        }
    }

    /** A watch with nothing to say, open until the test ends. */
    private static void hold(HttpExchange x, CountDownLatch done) throws IOException {
        x.sendResponseHeaders(200, 0);
        try {
            done.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        x.close();
    }

    @Test
    void mistakes_areNamed_withExit2() {
        Cli.Result none = Cli.run("top", "--once");
        assertThat(none.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(none.err()).contains("top: give the metrics URLs to watch, --k8s KIND or --prometheus URL");
        Cli.Result both = Cli.run("top", "http://127.0.0.1:1", "--k8s", "pods", "--once");
        assertThat(both.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(both.err()).contains("top: give one of: metrics URLs, --k8s KIND, --prometheus URL");
        Cli.Result stray = Cli.run("top", "http://127.0.0.1:1", "-l", "app=vllm", "--once");
        assertThat(stray.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(stray.err()).contains("go with --k8s KIND");
        Cli.Result kind = Cli.run("top", "--k8s", "deployments", "--k8s-api", "http://127.0.0.1:1", "--once");
        assertThat(kind.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(kind.err())
                .contains("top: 'deployments' is not a kind top follows")
                .doesNotContain("Exception");
        Cli.Result config = Cli.runWith(
                Map.of(),
                "top",
                "--k8s",
                "pods",
                "--kubeconfig",
                dir.resolve("absent").toString(),
                "--once");
        assertThat(config.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(config.err()).contains("top: kubeconfig " + dir.resolve("absent") + ": no such file");
    }

    @Test
    void anUnreachableApiServer_isSaid_andExits4() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Cli.Result r = Cli.runWith(
                Map.of(),
                "top",
                "--k8s",
                "pods",
                "--k8s-api",
                "http://127.0.0.1:" + port,
                "--once",
                "--json",
                "--timeout",
                "1s");
        assertThat(r.code()).isEqualTo(Main.EXIT_TARGET);
        JsonNode j = JsonMapper.builder().build().readTree(r.out());
        assertThat(j.get("targets")).isEmpty();
        assertThat(j.get("source_error").asString())
                .startsWith("Kubernetes: cannot list pods in namespace default: ")
                .contains("refused");
    }
}
