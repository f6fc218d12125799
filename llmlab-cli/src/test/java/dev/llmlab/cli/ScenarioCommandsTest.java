package dev.llmlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The scenario commands end to end against the embedded simulator, kept short: points of a second. */
class ScenarioCommandsTest {
    static final String SIM = "--ttft 10ms --itl 1ms";

    @TempDir
    Path dir;

    private static Cli.Result run(String... args) {
        return Cli.run(args);
    }

    private static JsonNode read(Path p) throws IOException {
        return JsonMapper.builder().build().readTree(Files.readString(p));
    }

    @Test
    void sweep_writesItsPoints_whichCalibrateReads() throws IOException {
        Path out = dir.resolve("sweep.json");
        Cli.Result r = run(
                "bench",
                "sweep",
                "--sim-args",
                SIM,
                "--points",
                "2",
                "--duration",
                "1s",
                "--throughput-concurrency",
                "4",
                "--max-tokens",
                "4",
                "--slo",
                "ttft_p95<=2s",
                "--json",
                out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("synchronous").contains("throughput").contains("rate ");
        JsonNode json = read(out);
        JsonNode points = json.at("/sweep/points");
        assertThat(points).hasSize(4);
        assertThat(json.at("/sweep/kind").asString()).isEqualTo("sweep");
        assertThat(json.at("/sweep/slos/0/name").asString()).isEqualTo("ttft_p95");
        assertThat(points.path(2).path("rate").asDouble()).isPositive();
        assertThat(points.path(2).path("rate_achieved").asDouble()).isPositive();
        assertThat(points.path(2).path("metrics").path("ttft").path("p50").asDouble())
                .isGreaterThanOrEqualTo(10);
        assertThat(points.path(0)
                        .path("slo")
                        .path("targets")
                        .path(0)
                        .path("met")
                        .asBoolean())
                .isTrue();
        assertThat(json.at("/config/input_tokens").isInt()).isTrue();
        assertThat(json.at("/config/seconds_per_point").asDouble()).isEqualTo(1.0);
        assertThat(json.at("/energy/available").isBoolean()).isTrue();
        Cli.Result cal = run("sim", "calibrate", out.toString());
        assertThat(cal.code()).as(cal.err()).isZero();
        // every level replayed as it ran: the closed loops as closed loops, the open ones on the send times
        // their settings draw again (had a count not matched, those would be Poisson draws, and said so)
        assertThat(cal.out())
                .doesNotContain("left out")
                .contains("# 4 points of 1 request shape")
                .doesNotContain("Poisson");
    }

    @Test
    void sweep_ofGivenRates_runsThoseOpenLoops_only() throws IOException {
        Path out = dir.resolve("rates.json");
        Cli.Result r = run(
                "bench",
                "sweep",
                "--sim-args",
                SIM,
                "--rates",
                "8,4",
                "--duration",
                "1s",
                "--arrival",
                "constant",
                "--max-tokens",
                "4",
                "--json",
                out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("rate 8").contains("rate 4").doesNotContain("synchronous");
        JsonNode points = read(out).at("/sweep/points");
        assertThat(points).hasSize(2);
        assertThat(points.path(0).path("rate").asDouble()).isEqualTo(8.0);
        assertThat(points.path(1).path("rate").asDouble()).isEqualTo(4.0);
        // a constant 8 req/s for a second: 8 requests, each a stream with a TTFT of at least the server's 10 ms
        assertThat(points.path(0).at("/summary/requests_completed").asInt()).isEqualTo(8);
        assertThat(points.path(1).at("/summary/requests_completed").asInt()).isEqualTo(4);
        assertThat(points.path(1).at("/metrics/ttft_intended/p50").asDouble()).isGreaterThanOrEqualTo(10);
    }

    @Test
    void sloSearch_onConcurrency_stopsAtItsLimit_andSaysSo() throws IOException {
        Path out = dir.resolve("search.json");
        Cli.Result r = run(
                "bench",
                "slo-search",
                "--sim-args",
                SIM,
                "--axis",
                "concurrency",
                "--max",
                "4",
                "--max-probes",
                "4",
                "--requests",
                "8",
                "--max-tokens",
                "4",
                "--slo",
                "ttft_p95<=5s,error_rate<=1%",
                "--json",
                out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("answer: 4 users sustained (no level failed up to the limit)");
        JsonNode answer = read(out).at("/sweep/answer");
        assertThat(answer.path("max_passing").asInt()).isEqualTo(4);
        assertThat(answer.path("first_failing").isNull()).isTrue();
        assertThat(read(out).at("/sweep/points")).hasSize(3); // 1, 2, 4 users
    }

    @Test
    void breakingPoint_reportsTheFirstFailingLevel() throws IOException {
        Path out = dir.resolve("bp.json");
        // a TTFT of 10 ms can never meet 1 ms: the first level fails, and there is no sustained level
        Cli.Result r = run(
                "bench",
                "breaking-point",
                "--sim-args",
                SIM,
                "--axis",
                "concurrency",
                "--requests",
                "4",
                "--max-tokens",
                "4",
                "--slo",
                "ttft_p50<=1ms",
                "--json",
                out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("no load sustained").contains("ttft_p50");
        assertThat(read(out).at("/sweep/answer/max_passing").isNull()).isTrue();
    }

    @Test
    void singleRun_judgesItsTargets_andGrades() throws IOException {
        Path out = dir.resolve("run.json");
        Cli.Result r = run(
                "bench",
                "--sim-args",
                SIM,
                "--requests",
                "10",
                "--concurrency",
                "2",
                "--max-tokens",
                "4",
                "--slo",
                "ttft_p95<=2s,ttft_p50<=1ms,error_rate<=1%",
                "--json",
                out.toString());
        assertThat(r.code()).as("16 + 4: a target missed\n" + r.err()).isEqualTo(20);
        assertThat(r.err()).contains("llmlab: slo: missed ttft_p50");
        assertThat(r.out())
                .contains("slo ttft_p95")
                .contains("MISSED")
                .contains("grade Acceptable (2 of 3 targets met)");
        JsonNode slo = read(out).path("slo");
        assertThat(slo.path("passed").asBoolean()).isFalse();
        assertThat(slo.path("targets").path(0).path("goodput").asDouble()).isPositive();
    }

    @Test
    void stress_spike_reportsEachBurst() throws IOException {
        Path out = dir.resolve("stress.json");
        Path html = dir.resolve("stress.html");
        Cli.Result r = run(
                "bench",
                "stress",
                "--sim-args",
                SIM,
                "--pattern",
                "spike",
                "--base-rate",
                "10",
                "--peak-rate",
                "40",
                "--period",
                "3s",
                "--width",
                "1s",
                "--duration",
                "7s",
                "--arrival",
                "constant",
                "--max-tokens",
                "4",
                "--json",
                out.toString(),
                "--html",
                html.toString());
        // a cold client in a test JVM beside its server may miss its schedule by a millisecond: then exit 17
        assertThat(r.code()).as(r.err() + r.out()).isIn(0, Main.EXIT_CHECKS + Main.CHECK_INVALID);
        assertThat(r.out()).contains("spike").contains("recovered s");
        JsonNode json = read(out);
        assertThat(json.at("/stress/pattern").asString()).isEqualTo("spike");
        assertThat(json.at("/stress/params/peak_rate").asInt()).isEqualTo(40);
        JsonNode bursts = json.at("/stress/bursts");
        assertThat(bursts).hasSize(2); // at 3 s and 6 s
        assertThat(bursts.path(0).path("start_s").asDouble()).isEqualTo(3.0);
        // 10 req/s for 3 s, 40 for 1, 10 for 2, 40 for 1: 130 requests, each second's offer in the series
        assertThat(json.at("/summary/requests_completed").asInt()).isEqualTo(130);
        long offered = 0;
        for (JsonNode sec : json.path("timeseries"))
            offered += sec.path("target_rate").asLong();
        assertThat(offered).isEqualTo(130);
        assertThat(Files.readString(html)).contains("uPlot");
    }

    @Test
    void badFlags_exit2() {
        // a flag before the subcommand would be bench's, and ignored: refused instead
        Cli.Result early = run("bench", "--url", "http://127.0.0.1:1/v1", "slo-search", "--slo", "ttft_p95<=1s");
        assertThat(early.code()).isEqualTo(2);
        assertThat(early.err()).contains("give --url after 'slo-search'");
        assertThat(run("bench", "stress", "--pattern", "spike", "--base-rate", "5")
                        .err())
                .contains("needs --peak-rate");
        assertThat(run("bench", "stress", "--pattern", "wave").err()).contains("steady, ramp, spike or step");
        assertThat(run("bench", "stress", "--pattern", "steady", "--rate", "5", "--concurrency", "2")
                        .code())
                .isEqualTo(2);
        assertThat(run("bench", "sweep", "--rate", "5").err()).contains("sets the load itself");
        assertThat(run("bench", "slo-search").err()).contains("needs --slo");
        assertThat(run("bench", "slo-search", "--slo", "ttft_p95<=1s", "--axis", "users")
                        .err())
                .contains("--axis must be");
        assertThat(run("bench", "breaking-point", "--factor", "1").code()).isEqualTo(2);
        assertThat(run("bench", "breaking-point", "--max-errors", "lots").err())
                .contains("--max-errors: 'lots' is not a percentage");
        assertThat(run("bench", "slo-search", "--slo", "ttft_p95<=1s", "--tolerance", "x")
                        .err())
                .contains("--tolerance: 'x' is not a percentage");
        assertThat(run("bench", "sweep", "--points", "0").code()).isEqualTo(2);
        Cli.Result both = run("bench", "sweep", "--rates", "1,2", "--points", "3");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("--rates").contains("--points");
        assertThat(run("bench", "sweep", "--rates", "1", "--throughput-concurrency", "8")
                        .err())
                .contains("drop --throughput-concurrency");
        assertThat(run("bench", "sweep", "--rates", "1,0").err()).contains("positive");
        assertThat(run("bench", "sweep", "--rates", "1,fast").code()).isEqualTo(2);
        assertThat(run("bench", "--scrape", "ftp://x").err()).contains("--scrape");
        assertThat(run("bench", "--targets", "gold").err()).contains("unknown preset");
        assertThat(run("bench", "--ramp", "sideways").err()).contains("--ramp must be none, linear or exponential");
        assertThat(run("bench", "stress", "--pattern", "steady", "--rate", "5", "--requests", "9")
                        .err())
                .contains("drop --requests");
        assertThat(run("bench", "slo-search", "--slo", "ttft_p95<=1s", "--axis", "concurrency", "--start", "2.5")
                        .err())
                .contains("whole numbers");
    }
}
