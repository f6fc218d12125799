package dev.llmlab.bench.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.api.client.ClientApi;
import dev.llmlab.bench.client.BenchClient;
import dev.llmlab.bench.client.Target;
import dev.llmlab.bench.load.Arrivals;
import dev.llmlab.bench.load.Schedule;
import dev.llmlab.bench.load.Workload;
import dev.llmlab.bench.measure.Recorder;
import dev.llmlab.core.config.ConfigLoader;
import dev.llmlab.core.dist.Distributions;
import dev.llmlab.core.token.Tokenizer;
import dev.llmlab.core.token.Tokenizers;
import dev.llmlab.sim.Simulator;
import dev.llmlab.sim.catalog.Catalog.LatencyOverride;
import dev.llmlab.sim.config.SimConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** End to end against the embedded simulator, whose latencies are known: they must come back. */
class RunnerTest {
    static Simulator sim;
    static Tokenizer tok;

    @BeforeAll
    static void start() {
        SimConfig c = ConfigLoader.parse(
                "server: {host: 127.0.0.1, port: 0, io_threads: 1}\nseed: 1\n"
                        + "models: [{id: gpt-4o-mini, output_tokens: \"200\"}]",
                "t.yaml",
                SimConfig.class);
        // 100 ms to the first token, then 20 ms a token: the known answer
        sim = Simulator.start(c, new LatencyOverride(Distributions.fixed(0.1), Distributions.fixed(0.02)));
        tok = Tokenizers.forEncoding("o200k_base");
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    static BenchClient client(ClientApi api, boolean stream, String model) {
        return new BenchClient(
                Target.of("http://127.0.0.1:" + sim.port() + "/v1", api, model, stream, null, Map.of()),
                1,
                Duration.ofSeconds(10),
                tok);
    }

    static Workload workload(ClientApi api, String model, boolean stream, int maxTokens) {
        return Workload.synthetic(api, model, stream, 16, Distributions.fixed(50), null, maxTokens, tok, 1);
    }

    @Test
    void closedLoop_measuresTheSimulatorsKnownLatencies() {
        Recorder rec = new Recorder(false, List.of());
        try (BenchClient c = client(ClientApi.OPENAI_CHAT, true, "gpt-4o-mini")) {
            LoadPlan plan = new LoadPlan(4, 0, null, 0, 0, 16, 0, 0, Schedule.Ramp.NONE, 0, 1);
            Delivery o = Runner.run(c, workload(ClientApi.OPENAI_CHAT, "gpt-4o-mini", true, 10), plan, rec::record);
            assertThat(o.valid()).isTrue();
            // each user keeps its connection: a closed loop of 4 opens 4, not one per request
            assertThat(o.connections()).isEqualTo(4);
        }
        Recorder.Summary s = rec.summary(1);
        assertThat(s.requestsCompleted()).isEqualTo(16);
        assertThat(s.requestsFailed()).isZero();
        // Never earlier than the server's timing; later by the loopback and a noisy machine's scheduling
        // (the load generator's precision is measured in docs/performance.md, not asserted here).
        assertThat(s.metrics().get("ttft").p50()).isBetween(100.0, 125.0);
        assertThat(s.metrics().get("itl").p50()).isBetween(19.0, 25.0);
        assertThat(s.metrics().get("tpot").p50()).isBetween(19.0, 25.0);
        assertThat(s.metrics().get("e2e").p50()).isBetween(100.0 + 9 * 20, 100.0 + 9 * 20 + 40);
        assertThat(s.outputTokenThroughput()).isEqualTo(160); // 16 requests x 10 tokens over "1 s"
        assertThat(s.usageMismatches()).isZero();
    }

    @Test
    void openLoop_keepsToItsScheduleAndReportsBothOrigins() {
        Recorder rec = new Recorder(true, List.of());
        Delivery o;
        try (BenchClient c = client(ClientApi.ANTHROPIC_MESSAGES, true, "claude-haiku-4-5")) {
            LoadPlan plan = new LoadPlan(0, 20, Arrivals.poisson(), 0, 2, 0, 0, 0, Schedule.Ramp.NONE, 0, 3);
            o = Runner.run(c, workload(ClientApi.ANTHROPIC_MESSAGES, "claude-haiku-4-5", true, 5), plan, rec::record);
        }
        // On time as a rule (the p99 validity bound is the benchmark's business, measured in
        // docs/performance.md; with 40 sends on a cold JVM it is one late send).
        assertThat(o.scheduleLag().getValueAtPercentile(50) / 1e6).isLessThan(1.0);
        Recorder.Summary s = rec.summary(o.windowSeconds());
        assertThat(s.requestsCompleted()).isEqualTo(o.sent()).isGreaterThan(20);
        assertThat(o.scheduleLag().getTotalCount()).isEqualTo(o.sent()); // every send's lag, at its actual send
        assertThat(s.metrics().get("ttft").p50()).isBetween(100.0, 125.0);
        assertThat(s.metrics().get("ttft_intended").p50())
                .isGreaterThanOrEqualTo(s.metrics().get("ttft").p50());
    }

    @Test
    void openLoop_ofAClientTooBusyToSendOnTime_isInvalid() {
        Recorder rec = new Recorder(true, List.of());
        Delivery o;
        try (BenchClient c = client(ClientApi.OPENAI_CHAT, true, "gpt-4o-mini")) {
            // The client's one event loop does 300 ms of other work a quarter of a second into the
            // run, as a saturated client would: every send due meanwhile goes late.
            c.loop(0)
                    .schedule(
                            () -> {
                                long end = System.nanoTime() + 300_000_000L;
                                while (System.nanoTime() < end) Thread.onSpinWait();
                            },
                            250,
                            java.util.concurrent.TimeUnit.MILLISECONDS);
            LoadPlan plan = new LoadPlan(0, 400, Arrivals.constant(), 0, 1, 0, 0, 0, Schedule.Ramp.NONE, 0, 3);
            o = Runner.run(c, workload(ClientApi.OPENAI_CHAT, "gpt-4o-mini", true, 2), plan, rec::record);
        }
        Recorder.Summary s = rec.summary(o.windowSeconds());
        Delivery judged = o.judgeLag(s.metrics().get("ttft").p50(), "ttft");
        // 100 ms to the first token allows 2 ms of lag at p99; a quarter of the sends were up to 300 ms late
        assertThat(judged.valid()).isFalse();
        assertThat(judged.invalidReason()).startsWith("client saturated: schedule lag p99");
        assertThat(o.scheduleLag().getValueAtPercentile(99) / 1e6).isGreaterThan(100.0);
    }

    @Test
    void openLoop_withAConcurrencyCap_onTwoLoops_queuesAndFinishesEveryRequest() {
        Recorder rec = new Recorder(true, List.of());
        Delivery o;
        // 40 req/s against a cap of 2 requests of about 100 ms each: half the arrivals wait for a slot.
        try (BenchClient c = new BenchClient(
                Target.of(
                        "http://127.0.0.1:" + sim.port() + "/v1",
                        ClientApi.OPENAI_CHAT,
                        "gpt-4o-mini",
                        false,
                        null,
                        Map.of()),
                2,
                Duration.ofSeconds(10),
                tok)) {
            LoadPlan plan = new LoadPlan(0, 40, Arrivals.constant(), 2, 1, 0, 0, 0, Schedule.Ramp.NONE, 0, 5);
            o = Runner.run(c, workload(ClientApi.OPENAI_CHAT, "gpt-4o-mini", false, 1), plan, rec::record);
        }
        Recorder.Summary s = rec.summary(o.windowSeconds());
        assertThat(s.requestsCompleted()).isEqualTo(o.sent()).isEqualTo(40);
        assertThat(s.metrics().get("queue_wait").max()).isGreaterThan(100.0);
        assertThat(o.valid()).isTrue(); // waiting for a slot is the server's slowness, not the client's lag
    }

    @Test
    void closedLoop_stoppedFromOutside_endsAfterTheGrace_withWhatEndedBeforeTheStop() {
        Recorder rec = new Recorder(false, List.of());
        Runner.Stop stop = new Runner.Stop();
        Delivery o;
        long began = System.nanoTime();
        try (BenchClient c = client(ClientApi.OPENAI_CHAT, true, "gpt-4o-mini")) {
            // 2 users, each request 0.1 + 9 x 0.02 = 0.28 s, for 60 s: stopped from another thread at 1 s
            LoadPlan plan = new LoadPlan(2, 0, null, 0, 60, 0, 0, 0, Schedule.Ramp.NONE, 0, 1);
            Thread.ofVirtual().start(() -> {
                LockSupport.parkNanos(1_000_000_000L);
                stop.stop("interrupted");
            });
            o = Runner.run(c, workload(ClientApi.OPENAI_CHAT, "gpt-4o-mini", true, 10), plan, rec::record, null, stop);
        }
        double took = (System.nanoTime() - began) / 1e9;
        assertThat(o.stoppedEarly()).isEqualTo("interrupted");
        assertThat(took).isLessThan(5); // not the 60 s it was given
        long done = rec.summary(1).requestsCompleted();
        assertThat(done)
                .as("what ended in the first second: about 2 users x 3 requests")
                .isBetween(2L, 10L);
    }

    @Test
    void openLoop_stoppedFromOutside_endsEarly() {
        Recorder rec = new Recorder(true, List.of());
        Runner.Stop stop = new Runner.Stop();
        stop.stop("interrupted");
        Delivery o;
        long began = System.nanoTime();
        try (BenchClient c = client(ClientApi.OPENAI_CHAT, true, "gpt-4o-mini")) {
            LoadPlan plan = new LoadPlan(0, 20, Arrivals.constant(), 0, 30, 0, 0, 0, Schedule.Ramp.NONE, 0, 1);
            o = Runner.run(c, workload(ClientApi.OPENAI_CHAT, "gpt-4o-mini", true, 10), plan, rec::record, null, stop);
        }
        assertThat(o.stoppedEarly()).isEqualTo("interrupted");
        assertThat((System.nanoTime() - began) / 1e9).isLessThan(6);
    }

    @Test
    void aDurationBoundsTheWallTime_theDrainAbandonsWhatIsLeft_andCountsIt() {
        // requests of 0.1 + 199 x 0.02 = 4.08 s; 2 s of sending, then 1 s of drain
        Recorder open = new Recorder(true, List.of());
        Recorder closed = new Recorder(false, List.of());
        Delivery o;
        Delivery c;
        long began = System.nanoTime();
        try (BenchClient client = client(ClientApi.OPENAI_CHAT, true, "gpt-4o-mini")) {
            o = Runner.run(
                    client,
                    workload(ClientApi.OPENAI_CHAT, "gpt-4o-mini", true, 200),
                    new LoadPlan(0, 10, Arrivals.constant(), 0, 2, 0, 0, 0, Schedule.Ramp.NONE, 0, 1, 1),
                    open::record);
        }
        double tookOpen = (System.nanoTime() - began) / 1e9;
        began = System.nanoTime();
        try (BenchClient client = client(ClientApi.OPENAI_CHAT, true, "gpt-4o-mini")) {
            c = Runner.run(
                    client,
                    workload(ClientApi.OPENAI_CHAT, "gpt-4o-mini", true, 200),
                    new LoadPlan(3, 0, null, 0, 1, 0, 0, 0, Schedule.Ramp.NONE, 0, 1, 0.5),
                    closed::record);
        }
        double tookClosed = (System.nanoTime() - began) / 1e9;
        assertThat(tookOpen)
                .as("2 s + 1 s drain + the cancel, not the 6 s the last request needs")
                .isLessThan(5.5);
        assertThat(o.abandoned()).as("every request: none ended within 3 s").isEqualTo(20);
        assertThat(open.summary(1).requestsCompleted() + open.summary(1).requestsFailed())
                .isZero();
        assertThat(o.stoppedEarly()).isNull();
        assertThat(tookClosed).isLessThan(3.5);
        assertThat(c.abandoned()).as("each user's one request").isEqualTo(3);
    }

    @Test
    void failures_areCountedByClass() {
        Recorder rec = new Recorder(false, List.of());
        try (BenchClient c = client(ClientApi.OPENAI_CHAT, false, "no-such-model")) {
            Runner.run(
                    c,
                    workload(ClientApi.OPENAI_CHAT, "no-such-model", false, 5),
                    new LoadPlan(2, 0, null, 0, 0, 4, 0, 0, Schedule.Ramp.NONE, 0, 1),
                    rec::record);
        }
        assertThat(rec.summary(1).errors()).containsEntry("http_404", 4L);
        Recorder refused = new Recorder(false, List.of());
        int closedPort;
        try (var s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try (BenchClient c = new BenchClient(
                Target.of("http://127.0.0.1:" + closedPort + "/v1", ClientApi.OPENAI_CHAT, "m", false, null, Map.of()),
                1,
                Duration.ofSeconds(2),
                tok)) {
            Runner.run(
                    c,
                    workload(ClientApi.OPENAI_CHAT, "m", false, 5),
                    new LoadPlan(1, 0, null, 0, 0, 3, 0, 0, Schedule.Ramp.NONE, 0, 1),
                    refused::record);
        }
        assertThat(refused.summary(1).errors()).containsEntry("connection", 3L);
    }

    @Test
    void openLoop_lateSendsThatFailedToConnect_countInTheScheduleLag() {
        int closedPort;
        try (var s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Recorder rec = new Recorder(true, List.of());
        Delivery o;
        try (BenchClient c = new BenchClient(
                Target.of("http://127.0.0.1:" + closedPort + "/v1", ClientApi.OPENAI_CHAT, "m", false, null, Map.of()),
                1,
                Duration.ofSeconds(2),
                tok)) {
            // The one event loop busy for 300 ms a quarter of a second in: the sends due meanwhile go late,
            // then every one of them is refused.
            c.loop(0)
                    .schedule(
                            () -> {
                                long end = System.nanoTime() + 300_000_000L;
                                while (System.nanoTime() < end) Thread.onSpinWait();
                            },
                            250,
                            java.util.concurrent.TimeUnit.MILLISECONDS);
            LoadPlan plan = new LoadPlan(0, 100, Arrivals.constant(), 0, 1, 0, 0, 0, Schedule.Ramp.NONE, 0, 3);
            o = Runner.run(c, workload(ClientApi.OPENAI_CHAT, "m", false, 2), plan, rec::record);
        }
        assertThat(rec.summary(o.windowSeconds()).errors()).containsEntry("connection", o.sent());
        assertThat(o.scheduleLag().getTotalCount()).isEqualTo(o.sent());
        assertThat(o.scheduleLag().getMaxValue() / 1e6).isGreaterThan(100.0);
    }

    @Test
    void aWatchStopsAnOpenLoop_sendingAndRecordingNothingMore() {
        Recorder rec = new Recorder(true, List.of());
        List<long[]> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        Delivery o;
        long began = System.nanoTime();
        try (BenchClient c = client(ClientApi.OPENAI_CHAT, true, "gpt-4o-mini")) {
            // 20 req/s for 30 s of requests that take 4.1 s each: stopped after its second second
            LoadPlan plan = new LoadPlan(0, 20, Arrivals.constant(), 0, 30, 0, 0, 0, Schedule.Ramp.NONE, 0, 1);
            o = Runner.run(
                    c,
                    workload(ClientApi.OPENAI_CHAT, "gpt-4o-mini", true, 200),
                    plan,
                    rec::record,
                    (second, offered, completed, inFlight, ttft, e2e) -> {
                        seen.add(new long[] {second, offered, completed, inFlight});
                        return second == 1 ? "stopped by the test" : null;
                    },
                    new Runner.Stop());
        }
        double took = (System.nanoTime() - began) / 1e9;
        assertThat(o.stoppedEarly()).isEqualTo("stopped by the test");
        assertThat(took).isLessThan(10); // not the 34 s the schedule would run
        assertThat(took).isGreaterThan(3.5); // the stop after 2 s, then 2 s of grace for what was in flight
        assertThat(seen).hasSize(2);
        assertThat(seen.get(0)[1]).isBetween(18L, 22L); // 20 offered in the first second
        assertThat(seen.get(1)[3]).isBetween(36L, 44L); // all in flight after two
        assertThat(o.sent()).isLessThan(100);
        assertThat(rec.summary(1).requestsCompleted() + rec.summary(1).requestsFailed())
                .isZero(); // none ended before the stop
    }
}
