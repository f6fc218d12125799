package dev.llmlab.top;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.llmlab.http.client.TlsOptions;
import dev.llmlab.metrics.Histograms.Estimate;
import dev.llmlab.sim.Simulator;
import dev.llmlab.testkit.LocalProcess;
import dev.llmlab.testkit.PrometheusServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * top reading through a real Prometheus server (Debian's package) that scrapes the real simulator:
 * the same figures as scraping it directly, one target per job and instance, and a target
 * Prometheus cannot scrape listed as down.
 */
class PrometheusFeedTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void aPrometheusScrapingTheSimulator_readsEachInstanceAsAReplica() throws Exception {
        int closed = LocalProcess.freePort(); // nothing listens there
        try (Simulator sim = SimFixture.start();
                HttpClient http = HttpClient.newHttpClient()) {
            String simAt = "127.0.0.1:" + sim.port();
            // one simulator as two replicas: Prometheus keeps targets apart by their labels
            try (PrometheusServer prometheus = PrometheusServer.start("""
                      - job_name: llm
                        static_configs:
                          - {targets: ['%s'], labels: {instance: replica-1}}
                          - {targets: ['%s'], labels: {instance: replica-2}}
                          - {targets: ['127.0.0.1:%d'], labels: {instance: replica-down}}
                      - job_name: other
                        static_configs:
                          - {targets: ['127.0.0.1:%d'], labels: {instance: not-an-llm}}
                    """.formatted(simAt, simAt, closed, closed));
                    Top top = new Top(
                            List.of(),
                            sink -> new PrometheusFeed(
                                    URI.create(prometheus.url()),
                                    "",
                                    Duration.ZERO,
                                    TIMEOUT,
                                    TlsOptions.DEFAULT,
                                    System::nanoTime,
                                    System::currentTimeMillis,
                                    sink),
                            null)) {
                // both replicas read once before any request
                Snapshot before = until(
                        top,
                        s -> s.targets().size() == 3 && s.targets().stream().allMatch(t -> t.agoMillis() >= 0));
                assertThat(before.sourceError()).isNull();

                SimFixture.chat(http, sim.port(), 20);
                // each instance counts the simulator's 20 requests once Prometheus scraped it again
                Snapshot s = until(
                        top,
                        x -> llama(x.replicas()).size() == 2
                                && llama(x.replicas()).stream()
                                        .allMatch(r -> r.figures().requestsPerSecond()
                                                        * r.figures().seconds()
                                                > 19.5));

                assertThat(s.targets())
                        .extracting(TargetState::name)
                        .containsExactlyInAnyOrder("replica-1", "replica-2", "replica-down");
                TargetState down = s.targets().stream()
                        .filter(t -> t.name().equals("replica-down"))
                        .findFirst()
                        .orElseThrow();
                assertThat(down.error()).contains("up is 0");
                assertThat(llama(s.replicas()))
                        .extracting(Row::replica)
                        .containsExactlyInAnyOrder("replica-1", "replica-2");
                for (Row r : llama(s.replicas())) {
                    assertThat(r.kind()).isEqualTo("llmlab");
                    assertThat(r.figures().requestsPerSecond() * r.figures().seconds())
                            .isCloseTo(20, within(1e-6));
                    assertThat(r.figures().outputTokensPerSecond() * r.figures().seconds())
                            .isCloseTo(400, within(1e-6));
                }
                Row llama = s.models().stream()
                        .filter(r -> r.model().equals("llama"))
                        .findFirst()
                        .orElseThrow();
                assertThat(llama.replicas()).isEqualTo(2);
                Estimate p50 = llama.figures().ttftP50();
                assertThat(p50.status()).isEqualTo(Estimate.Status.OK);
                assertThat(p50.observations()).as("merged by buckets over both").isEqualTo(40);
                assertThat(p50.value()).as("30 ms, within its bucket").isBetween(0.02, 0.05);
            }
        }
    }

    @Test
    void notAPrometheus_saysSo() throws Exception {
        int closed = LocalProcess.freePort();
        try (Top top = new Top(
                List.of(),
                sink -> new PrometheusFeed(
                        URI.create("http://127.0.0.1:" + closed),
                        "",
                        Duration.ZERO,
                        TIMEOUT,
                        TlsOptions.DEFAULT,
                        System::nanoTime,
                        System::currentTimeMillis,
                        sink),
                null)) {
            top.pollAndWait(TIMEOUT);
            Snapshot s = top.snapshot(Duration.ofSeconds(10));
            assertThat(s.sourceError()).startsWith("cannot read Prometheus at http://127.0.0.1:" + closed);
            assertThat(s.targets()).isEmpty();
        }
    }

    @Test
    void theQuery_asksForTheShownSeriesOnly_andTheSelectorNarrowsBoth() {
        String q = java.net.URLDecoder.decode(
                PrometheusFeed.query("namespace=\"prod\""), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(q).contains("vllm:time_to_first_token_seconds", "sglang:", "llmlab_active_streams");
        assertThat(q).contains(",namespace=\"prod\"}").endsWith("match[]=up{namespace=\"prod\"}");
        assertThat(PrometheusFeed.query("")).endsWith("match[]=up");
    }

    private static List<Row> llama(List<Row> rows) {
        return rows.stream().filter(r -> r.model().equals("llama")).toList();
    }

    /** Reads every 200 ms until {@code done}, for at most 30 s (Prometheus scrapes every second). */
    private static Snapshot until(Top top, Predicate<Snapshot> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Snapshot s;
        do {
            top.pollAndWait(TIMEOUT);
            s = top.snapshot(Top.LONGEST_WINDOW);
            if (done.test(s)) return s;
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        StringBuilder rows = new StringBuilder();
        for (Row r : s.replicas())
            rows.append(r.model())
                    .append(' ')
                    .append(r.replica())
                    .append(": requests ")
                    .append(r.figures().requestsPerSecond() * r.figures().seconds())
                    .append(" in ")
                    .append(r.figures().seconds())
                    .append(" s\n");
        throw new AssertionError("not reached in 30 s; last snapshot: " + SnapshotText.render(s) + rows);
    }
}
