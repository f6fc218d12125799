package dev.llmlab.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.sim.Simulator;
import dev.llmlab.testkit.PostgresServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * PostgreSQL down under load: spend waits in the buffer; when the buffer is full, budgets fail
 * closed (503) while rates go on; when the database is back, every row is written and budgets
 * serve again, without a restart.
 */
class LedgerDownTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @Test
    void fullBuffer_budgetsRefuse_ratesGoOn_andAllIsWrittenWhenTheDatabaseIsBack() throws Exception {
        try (PostgresServer pg = PostgresServer.start();
                SimHarness h = new SimHarness(dir)) {
            Simulator sim = h.simulator("", 0);
            Gateway g = h.gateway("""
                    state:
                      store: postgres
                      path: %s
                      postgres: {url: "%s", user: llmlab}
                      spend_buffer: 100
                    client_keys:
                      - {name: budgeted, key: "key-b", limits: {tokens_per_day: 100000000}}
                      - {name: rated, key: "key-r", limits: {rpm: 100000}}
                    routes:
                      - name: "*"
                        deployments:
                          - {provider: openai-compatible, base_url: "http://127.0.0.1:%d/v1", model: "*"}
                    """.formatted(dir.resolve("state"), pg.newDatabase(), sim.port()), Map.of());
            String chat = SimHarness.chat("gpt-4o-mini", false, 5);
            assertThat(h.post(g.port(), "/v1/chat/completions", chat, "authorization", "Bearer key-b")
                            .statusCode())
                    .isEqualTo(200);

            pg.stop();
            int served = 0;
            HttpResponse<String> refused = null;
            for (int i = 0; i < 1000 && refused == null; i++) {
                HttpResponse<String> r =
                        h.post(g.port(), "/v1/chat/completions", chat, "authorization", "Bearer key-b");
                if (r.statusCode() == 503) refused = r;
                else {
                    assertThat(r.statusCode()).isEqualTo(200);
                    served++;
                }
            }
            // about the buffer's 100 rows, and the batch in the writer's hands, then refusals
            assertThat(served).isBetween(99, 100 + 500);
            assertThat(refused).isNotNull();
            assertThat(JSON.readTree(refused.body()).get("error").get("message").asString())
                    .contains("the spend ledger cannot record more")
                    .contains("the key budgeted");
            assertThat(refused.headers().firstValue("retry-after")).hasValue("5");
            // A key with rates only goes on; its spend is counted as dropped.
            assertThat(h.post(g.port(), "/v1/chat/completions", chat, "authorization", "Bearer key-r")
                            .statusCode())
                    .isEqualTo(200);
            assertThat(SimHarness.sum(h.metrics(g.port()), "llmlab_gateway_spend_rows_dropped_total"))
                    .isPositive();
            assertThat(SimHarness.sum(h.metrics(g.port()), "llmlab_gateway_spend_database_up"))
                    .isZero();

            pg.startAgain();
            int status = 0;
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (status != 200 && System.nanoTime() < deadline) {
                status = h.post(g.port(), "/v1/chat/completions", chat, "authorization", "Bearer key-b")
                        .statusCode();
                if (status != 200) LockSupport.parkNanos(50_000_000);
            }
            assertThat(status).isEqualTo(200);
            assertThat(SimHarness.sum(h.metrics(g.port()), "llmlab_gateway_spend_database_up"))
                    .isEqualTo(1);
        }
    }
}
