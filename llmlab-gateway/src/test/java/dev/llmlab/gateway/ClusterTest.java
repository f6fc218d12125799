package dev.llmlab.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.sim.Simulator;
import dev.llmlab.testkit.PostgresServer;
import dev.llmlab.testkit.RedisServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Three gateways sharing one real Redis and one real PostgreSQL, loaded from many threads at once:
 * a team's tokens per minute and a team's budget hold across them, and after Redis restarts or
 * PostgreSQL stops under load, the spend ledger holds exactly the usage the clients received.
 * (benchmarks/gateway-cluster.sh does the same at scale, behind nginx, with kill -9.)
 */
class ClusterTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int TPM = 3_000;
    private static final int BUDGET = 2_000;

    @TempDir
    Path dir;

    private PostgresServer pg;
    private RedisServer redis;
    private SimHarness h;
    private final List<Gateway> gateways = new ArrayList<>();
    private String db;

    @BeforeEach
    void start() throws Exception {
        pg = PostgresServer.start();
        redis = RedisServer.start();
        h = new SimHarness(dir);
        Simulator sim = h.simulator("", 0);
        db = pg.newDatabase();
        for (int i = 0; i < 3; i++) {
            gateways.add(
                    h.gateway("""
                    state:
                      store: postgres
                      path: %s
                      postgres: {url: "%s", user: llmlab}
                      redis: {url: "%s", timeout: 500ms}
                    client_keys:
                      - {name: load, key: "sk-load", team: per-minute}
                      - {name: spender, key: "sk-spend", team: per-day}
                      - {name: steady, key: "sk-steady", team: steady}
                    teams:
                      - {name: per-minute, limits: {tpm: %d}}
                      - {name: per-day, limits: {tokens_per_day: %d}}
                      - {name: steady, limits: {tokens_per_day: 100000000}}
                    routes:
                      - name: "*"
                        deployments:
                          - {provider: openai-compatible, base_url: "http://127.0.0.1:%d/v1", model: "*"}
                    """.formatted(dir.resolve("g" + i), db, redis.uri(), TPM, BUDGET, sim.port()), Map.of()));
        }
    }

    @AfterEach
    void stop() throws Exception {
        h.close();
        redis.close();
        pg.close();
    }

    /** What clients received: the usage of each answer they got, summed; and the statuses. */
    private record Load(long tokens, Map<Integer, Integer> statuses) {}

    /** {@code requests} chat requests with {@code key}, spread over the three gateways, from 6 threads. */
    private Load load(String key, int requests, Runnable midway) throws Exception {
        AtomicLong tokens = new AtomicLong();
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        String body = SimHarness.chat("gpt-4o-mini", false, 10);
        try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
            List<Future<?>> all = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                all.add(pool.submit(() -> {
                    for (int i; (i = next.getAndIncrement()) < requests; ) {
                        if (i == requests / 3 && midway != null) midway.run();
                        Gateway g = gateways.get(i % 3);
                        HttpResponse<String> r =
                                h.post(g.port(), "/v1/chat/completions", body, "authorization", "Bearer " + key);
                        statuses.merge(r.statusCode(), 1, Integer::sum);
                        if (r.statusCode() == 200) {
                            JsonNode usage = JSON.readTree(r.body()).get("usage");
                            tokens.addAndGet(usage.get("total_tokens").asLong());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) f.get();
        }
        return new Load(tokens.get(), statuses);
    }

    /** The ledger's tokens for {@code key}, once every gateway has written what it holds (polled, at most 30 s). */
    private long ledger(String key) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            double waiting = 0;
            for (Gateway g : gateways)
                waiting += SimHarness.sum(h.metrics(g.port()), "llmlab_gateway_spend_rows_waiting");
            if (waiting == 0) break;
            LockSupport.parkNanos(50_000_000);
        }
        try (Connection c = DriverManager.getConnection(db, "llmlab", "");
                ResultSet r = c.createStatement()
                        .executeQuery(
                                "select coalesce(sum(input_tokens + output_tokens), 0) from spend where key_name = '"
                                        + key + "'")) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void aTeamsTokensPerMinute_holdAcrossThreeGateways() throws Exception {
        Load l = load("sk-load", 600, null); // about 4x what fits in a minute
        assertThat(l.statuses()).containsKeys(200, 429);
        // every request is in one minute's window: what was admitted fits the limit, and little is left unused
        assertThat(l.tokens()).isLessThanOrEqualTo(TPM).isGreaterThan(TPM * 8 / 10);
        assertThat(ledger("load")).isEqualTo(l.tokens());
    }

    @Test
    void aTeamsBudget_isNeverOverspentAcrossThreeGateways() throws Exception {
        Load l = load("sk-spend", 400, null);
        assertThat(l.statuses()).containsKeys(200, 429);
        assertThat(l.tokens()).isLessThanOrEqualTo(BUDGET).isGreaterThan(BUDGET * 8 / 10);
        assertThat(ledger("spender")).isEqualTo(l.tokens());
    }

    @Test
    void redisRestartedUnderLoad_theLedgerHoldsWhatClientsReceived() throws Exception {
        Load l = load("sk-steady", 600, () -> {
            try {
                redis.restart();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(l.statuses().getOrDefault(200, 0)).isPositive();
        assertThat(l.statuses().keySet()).isSubsetOf(200, 503); // budgets fail closed while it is down
        assertThat(ledger("steady")).isEqualTo(l.tokens());
    }

    @Test
    void postgresStoppedUnderLoad_spendWaitsAndIsWrittenOnceItIsBack() throws Exception {
        Load l = load("sk-steady", 600, () -> {
            try {
                pg.stop();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(l.statuses()).containsOnlyKeys(200);
        pg.startAgain();
        assertThat(ledger("steady")).isEqualTo(l.tokens());
    }
}
