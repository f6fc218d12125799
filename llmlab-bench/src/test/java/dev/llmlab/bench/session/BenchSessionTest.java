package dev.llmlab.bench.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmlab.bench.result.BenchResult;
import dev.llmlab.bench.result.ResultJson;
import dev.llmlab.bench.result.RunConfig;
import dev.llmlab.bench.run.LoadPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchSessionTest {
    @TempDir
    Path dir;

    static SessionOptions.Builder small() {
        return SessionOptions.builder().requests(8L).concurrency(2).maxTokens(4);
    }

    @Test
    void badSettings_areUsageErrors_namingTheFlag_beforeATargetStarts() {
        SimTargets targets = SimTargets.nothing();
        List<UnaryOperator<SessionOptions.Builder>> bad = List.of(
                b -> b.headers(List.of("no colon")),
                b -> b.ramp("sideways"),
                b -> b.scrape(List.of("ftp://x")),
                b -> b.dataset(Path.of("x.txt")).datasetFormat("xml"),
                b -> b.ioThreads(0),
                b -> b.rate(5.0),
                b -> b.maxTokens(0),
                b -> b.slo("ttfb_p95<=1s"),
                b -> b.targets("gold"),
                b -> b.api("grpc"),
                b -> b.inputTokens("lots"));
        List<String> flags = List.of(
                "--header",
                "--ramp",
                "--scrape",
                "--dataset-format",
                "--io-threads",
                "--concurrency or --rate",
                "--max-tokens",
                "unknown metric 'ttfb'",
                "unknown preset 'gold'",
                "--api",
                "lots");
        for (int i = 0; i < bad.size(); i++) {
            SessionOptions o = bad.get(i).apply(small()).build();
            assertThatThrownBy(() -> new BenchSession(o, targets.wiring()))
                    .as(flags.get(i))
                    .isInstanceOf(BenchException.class)
                    .hasMessageContaining(flags.get(i))
                    .extracting(e -> ((BenchException) e).kind())
                    .isEqualTo(BenchException.Kind.USAGE);
        }
        assertThat(targets.started).isEmpty();
    }

    @Test
    void aLocalTarget_isClosedWithTheSession_andWhenSetUpFailsAfterItStarted() throws IOException {
        SimTargets targets = SimTargets.nothing();
        try (BenchSession s =
                new BenchSession(small().simArgs("--profile instant").build(), targets.wiring())) {
            assertThat(s.base()).isEqualTo("http://127.0.0.1:1/v1");
        }
        assertThat(targets.started).containsExactly("--profile instant");
        assertThat(targets.closed).isEqualTo(1);
        // a dataset with no request is found bad only once its file is read, after the target started
        Path empty = Files.writeString(dir.resolve("empty.jsonl"), "");
        assertThatThrownBy(() -> new BenchSession(small().dataset(empty).build(), targets.wiring()))
                .isInstanceOf(BenchException.class)
                .hasMessageContaining("no requests");
        assertThat(targets.closed).isEqualTo(2);
        // with a URL, none is started
        try (BenchSession s =
                new BenchSession(small().url("http://127.0.0.1:2/v1").build(), targets.wiring())) {
            assertThat(s.base()).isEqualTo("http://127.0.0.1:2/v1");
        }
        assertThat(targets.started).hasSize(2);
    }

    @Test
    void plan_isTheSettingsLoad_orAScenarioLevels() {
        try (BenchSession s = new BenchSession(
                SessionOptions.builder().build(), SimTargets.nothing().wiring())) {
            LoadPlan plain = s.plan(null, null, 0);
            assertThat(plain.openLoop()).isFalse();
            assertThat(plain.concurrency()).isEqualTo(8);
            assertThat(plain.maxRequests()).isEqualTo(64);
            LoadPlan level = s.plan(null, 5.0, 30);
            assertThat(level.openLoop()).isTrue();
            assertThat(level.rate()).isEqualTo(5.0);
            assertThat(level.seconds()).isEqualTo(30.0);
            assertThat(s.plan(3, null, 30).concurrency()).isEqualTo(3);
        }
    }

    @Test
    void runOnce_measuresTheLocalTarget_judgesTheTargets_andWritesTheResult() {
        SimTargets targets = SimTargets.simulator();
        Path json = dir.resolve("r.json");
        Path html = dir.resolve("r.html");
        Path lines = dir.resolve("requests.jsonl");
        SessionOptions o = small().slo("ttft_p95<=5s,error_rate<=1%")
                .timeout(Duration.ofSeconds(30))
                .json(json)
                .html(html)
                .quiet(true)
                .build();
        try (BenchSession s = new BenchSession(o, targets.wiring())) {
            BenchSession.Run run = s.runOnce(Shard.WHOLE, lines);
            BenchResult r = run.result();
            assertThat(r.summary().requestsCompleted()).isEqualTo(8);
            assertThat(r.metric("ttft").p50()).isGreaterThanOrEqualTo(5.0);
            assertThat(r.slo().passed()).isTrue();
            assertThat(r.energy()).isNotNull();
            assertThat(r.environment().llmlabVersion()).isEqualTo("0.0.0-test");
            assertThat(r.environment().targetModels().isObject()).isTrue(); // the simulator's /models
            RunConfig c = r.config();
            assertThat(c.embeddedSim()).isTrue();
            assertThat(c.url()).isEqualTo(s.base());
            assertThat(c.mode()).isEqualTo(RunConfig.Mode.CLOSED);
            assertThat(c.concurrency()).isEqualTo(2);
            assertThat(c.requests()).isEqualTo(8);
            assertThat(c.shard()).isNull();
            s.write(r);
            assertThat(ResultJson.read(json)).isEqualTo(ResultJson.parse(ResultJson.write(r)));
            assertThat(html).content().startsWith("<!DOCTYPE html>");
            assertThat(lines).content().hasLineCount(8);
        }
        assertThat(targets.closed).isEqualTo(1);
    }

    @Test
    void runOnce_ofAShard_sendsItsShareAndSaysWhichItIs() {
        SessionOptions o = small().requests(9L).concurrency(3).quiet(true).build();
        try (BenchSession s = new BenchSession(o, SimTargets.simulator().wiring())) {
            BenchResult r = s.runOnce(new Shard(0, 2), null).result();
            assertThat(r.summary().requestsCompleted()).isEqualTo(5); // requests 0, 2, 4, 6, 8
            assertThat(r.config().concurrency()).isEqualTo(2);
            assertThat(r.config().shard()).isEqualTo("0/2");
        }
    }

    @Test
    void anOutputThatCannotBeWritten_isRefusedBeforeTheRun() {
        SessionOptions o = small().json(dir.resolve("no/such/dir/r.json")).build();
        assertThatThrownBy(() -> new BenchSession(o, SimTargets.nothing().wiring()))
                .isInstanceOf(BenchException.class)
                .hasMessage("--json " + dir.resolve("no/such/dir/r.json") + ": no such directory "
                        + dir.resolve("no/such/dir"))
                .extracting(e -> ((BenchException) e).kind())
                .isEqualTo(BenchException.Kind.USAGE);
    }
}
