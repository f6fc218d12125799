package dev.llmlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    @TempDir
    Path dir;

    private static Cli.Result run(String... args) {
        return Cli.run(args);
    }

    @Test
    void version_printsVersionAndJava() {
        Cli.Result r = run("--version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("llmlab ").contains("Java ");
    }

    @Test
    void help_listsSim() {
        Cli.Result r = run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("sim");
    }

    @Test
    void gatewayHelp_namesTheEnvironmentSyntax_notAnInterpolatedNull() {
        Cli.Result r = run("gateway", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("${NAME} in a value reads").doesNotContain("null");
    }

    @Test
    void gatewayPrintConfig_redactsKeys_andShowsTheRoutes() throws IOException {
        Path f = dir.resolve("gateway.yaml");
        Files.writeString(
                f,
                "routes:\n  - name: gpt-4o\n    deployments:\n      - provider: openai\n"
                        + "        keys: [{key: plain-secret-value}]\n");
        Cli.Result r = run("gateway", "--config", f.toString(), "--port", "4100", "--print-config");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("port: 4100")
                .contains("name: \"gpt-4o\"")
                .contains("<redacted>")
                .doesNotContain("plain-secret-value");
    }

    @Test
    void printConfig_showsBuiltinsWithFileAndFlagsLaidOver() throws IOException {
        Path f = dir.resolve("sim.yaml");
        Files.writeString(f, "seed: 5\nmodels:\n  - id: my-model\n    profile: fast\n");
        Cli.Result r = run("sim", "--config", f.toString(), "--port", "9999", "--print-config");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("seed: 5")
                .contains("port: 9999")
                .contains("id: \"my-model\"")
                .contains("id: \"gpt-4o\"")
                .contains("ttft: \"lognormal(p50=450ms,p99=1.6s)\"");
    }

    @Test
    void printConfig_neverShowsKeys() throws IOException {
        Path f = dir.resolve("keys.yaml");
        Files.writeString(f, "auth: {keys: [sk-secret-one, sk-secret-two], admin_key: adm-secret}\n");
        Cli.Result r = run("sim", "--config", f.toString(), "--print-config");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).doesNotContain("secret").contains("<redacted>");
    }

    @Test
    void configError_namesFileLineAndField_exit3() throws IOException {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "seed: 5\nprofiles:\n  p:\n    ttft: \"lognorml(p50=1ms)\"\n    itl: 1ms\n");
        Cli.Result r = run("sim", "--config", f.toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("bad.yaml:4").contains("profiles.p.ttft").contains("lognorml");
    }

    @Test
    void configError_unknownKey_exit3() throws IOException {
        Path f = dir.resolve("typo.yaml");
        Files.writeString(f, "server:\n  prot: 8000\n");
        Cli.Result r = run("sim", "--config", f.toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("typo.yaml:2").contains("prot");
    }

    @Test
    void configError_unknownProfileReference_exit3() throws IOException {
        Path f = dir.resolve("ref.yaml");
        Files.writeString(f, "models:\n  - id: m\n    profile: nope\n");
        Cli.Result r = run("sim", "--config", f.toString(), "--port", "0", "--host", "127.0.0.1");
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("profile").contains("nope");
    }

    @Test
    void engineErrors_nameWhatIsWrong() throws IOException {
        Cli.Result unknown = run("sim", "--preset", "nope", "--port", "0", "--host", "127.0.0.1");
        assertThat(unknown.code()).as("a flag's bad value is a usage error").isEqualTo(2);
        assertThat(unknown.err()).contains("unknown engine preset 'nope'").contains("llama-3.1-8b-h100");
        Cli.Result mode = run("sim", "--engine", "gpu", "--print-config");
        assertThat(mode.code()).isEqualTo(2);
        assertThat(mode.err()).contains("engine must be profile or batching");
        Path f = dir.resolve("engine.yaml");
        Files.writeString(f, "models:\n  - id: m\n    engine:\n      routing: random\n");
        Cli.Result routing = run("sim", "--config", f.toString(), "--print-config");
        assertThat(routing.code()).isEqualTo(3);
        assertThat(routing.err()).contains("engine.yaml:4").contains("routing");
    }

    @Test
    void servedModelName_servesAModelUnderThatIdAndItsAliases() throws Exception {
        Cli.Result printed = run("sim", "--served-model-name", "my-org/my-model", "served-alias", "--print-config");
        assertThat(printed.code()).as(printed.err()).isZero();
        assertThat(printed.out()).contains("id: \"my-org/my-model\"").contains("- \"served-alias\"");
        SimCommand c = new SimCommand();
        new picocli.CommandLine(c)
                .parseArgs("--served-model-name", "my-org/my-model", "--served-model-name", "second", "--port", "0");
        try (var sim = dev.llmlab.sim.Simulator.start(c.userConfig(), c.latencyOverride())) {
            var http = java.net.http.HttpClient.newHttpClient();
            for (String id : List.of("my-org/my-model", "second")) {
                var reply = http.send(
                        java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create("http://127.0.0.1:" + sim.port() + "/v1/chat/completions"))
                                .header("content-type", "application/json")
                                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"model\":\"" + id
                                        + "\",\"max_tokens\":3,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
                assertThat(reply.body()).contains("\"model\":\"" + id + "\"");
            }
        }
    }

    @Test
    void bench_extraBody_ignoreEos_fixesTheOutputLength() throws IOException {
        Path lines = dir.resolve("requests.jsonl");
        Cli.Result r = run(
                "bench",
                "--sim-args",
                "--profile instant",
                "--requests",
                "20",
                "--max-tokens",
                "128",
                "--extra-body",
                "{\"ignore_eos\": true}",
                "--requests-jsonl",
                lines.toString(),
                "--quiet");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.readAllLines(lines))
                .hasSize(20)
                .allSatisfy(l -> assertThat(l).contains("\"usage_output_tokens\":128,"));
        Cli.Result bad = run("bench", "--sim-args", "--profile instant", "--extra-body", "[1]");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--extra-body must be a JSON object");
        Cli.Result broken = run("bench", "--sim-args", "--profile instant", "--extra-body", "{ignore_eos}");
        assertThat(broken.code()).isEqualTo(2);
        assertThat(broken.err()).contains("--extra-body: not JSON at line 1");
    }

    /**
     * A Hugging Face tokenizer.json of the smallest kind: a word-level model over whitespace and
     * punctuation (the format of https://huggingface.co/docs/tokenizers/api/tokenizer, as the
     * tokenizers library saves it).
     */
    static final String WORD_LEVEL_TOKENIZER_JSON = """
            {"version": "1.0", "truncation": null, "padding": null, "added_tokens": [],
             "normalizer": {"type": "Lowercase"}, "pre_tokenizer": {"type": "Whitespace"},
             "post_processor": null, "decoder": null,
             "model": {"type": "WordLevel", "unk_token": "[UNK]",
                       "vocab": {"[UNK]": 0, "the": 1, "of": 2, "and": 3, "to": 4, "a": 5, ":": 6}}}
            """;

    @Test
    void bench_tokenizer_countsWithTheNamedOne_andTheResultSaysWhich() throws IOException {
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, WORD_LEVEL_TOKENIZER_JSON);
        var json = tools.jackson.databind.json.JsonMapper.builder().build();
        for (var c : List.of(
                List.of("", "o200k_base"),
                List.of("cl100k_base", "cl100k_base"),
                List.of(file.toString(), "file:tokenizer.json"))) {
            Path out = dir.resolve("run-" + c.get(1).replace(':', '-') + ".json");
            List<String> args = new java.util.ArrayList<>(
                    List.of("bench", "--sim-args", "--profile instant", "--requests", "5", "--json", out.toString()));
            if (!c.get(0).isEmpty()) args.addAll(List.of("--tokenizer", c.get(0)));
            Cli.Result r = run(args.toArray(String[]::new));
            assertThat(r.code()).as(r.err()).isZero();
            var result = json.readTree(out.toFile());
            assertThat(result.at("/config/tokenizer").asString()).isEqualTo(c.get(1));
            assertThat(result.at("/summary/requests_completed").asInt()).isEqualTo(5);
        }
    }

    @Test
    void printConfig_showsTheEngineChoiceAndPresets() {
        Cli.Result r = run("sim", "--preset", "llama-3.1-70b-h100-tp4", "--replicas", "3", "--print-config");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("engine: \"batching\"")
                .contains("preset: \"llama-3.1-70b-h100-tp4\"")
                .contains("replicas: 3")
                .contains("engine_presets:")
                .contains("step_time: \"15ms\"");
    }

    @Test
    void calibrate_fitsASweepAndPrintsAPreset() throws IOException {
        // Measurements made by the engine itself with the 8B preset's costs: the fit must reproduce them.
        var spec = new dev.llmlab.sim.engine.EngineSpec(
                1,
                dev.llmlab.sim.engine.EngineSpec.Routing.ROUND_ROBIN,
                1024,
                8192,
                100_000,
                27_500,
                16,
                false,
                true,
                new dev.llmlab.sim.engine.CostModel(6e6, 27e3, 50e3, 50, 0));
        Path f = handWrittenSweep(spec, 1000, new double[] {2, 8, 14}, 3);
        Cli.Result r = run("sim", "calibrate", f.toString(), "--name", "mine");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("engine_presets:\n  mine:")
                .contains("step_time: ")
                .contains("fit error");
        double error = Double.parseDouble(r.out().replaceAll("(?s).*fit error[^:]*: ([0-9.]+)%.*", "$1"));
        assertThat(error).isLessThan(10);
        assertThat(r.out())
                .as("3 levels: warned")
                .contains("# warning: 3 levels for four costs")
                .contains("decode_per_seq and attention_per_kv_token trade against each other")
                .contains("decode_per_seq: ")
                .contains("# trades against attention_per_kv_token with one request shape")
                .contains("decode_per_seq + 1100 x attention_per_kv_token = ")
                .as("hand-written levels say no send times")
                .contains("3 of 3 points replayed on Poisson arrivals");
        // a second request shape in a second file: the two per-sequence costs come apart, each with its interval
        Path g = handWrittenSweep(spec, 4000, new double[] {0.6, 2, 3.4}, 4);
        Cli.Result two = run("sim", "calibrate", f.toString(), g.toString());
        assertThat(two.code()).as(two.err()).isZero();
        assertThat(two.out())
                .contains("# 6 points of 2 request shapes")
                .contains("#   4000/200")
                .doesNotContain("trade against each other")
                .containsPattern("decode_per_seq: [0-9.]+us  # [0-9.]+us to [0-9.]+us");
        // a bad second file is named
        Cli.Result bad =
                run("sim", "calibrate", f.toString(), dir.resolve("nope.json").toString());
        assertThat(bad.code()).isEqualTo(3);
        assertThat(bad.err()).contains("nope.json");
    }

    /**
     * A sweep file as a person writes one: levels of {@code prompt}/200-token requests measured on
     * the engine itself for 20 s each, with their completion rates and mean TTFT and TPOT only.
     */
    private Path handWrittenSweep(dev.llmlab.sim.engine.EngineSpec spec, int prompt, double[] rates, long seed)
            throws IOException {
        StringBuilder points = new StringBuilder();
        for (double rate : rates) {
            var p = dev.llmlab.sim.engine.VirtualLoad.run(spec, prompt, 200, rate, 20, 0, seed);
            points.append(points.isEmpty() ? "" : ",")
                    .append("{\"rate_achieved\":")
                    .append(p.achievedRate())
                    .append(",\"metrics\":{\"ttft\":{\"mean\":")
                    .append(p.meanTtftNanos() / 1e6)
                    .append("},\"tpot\":{\"mean\":")
                    .append(p.meanTpotNanos() / 1e6)
                    .append("}}}");
        }
        Path f = dir.resolve("sweep-" + prompt + ".json");
        Files.writeString(
                f,
                "{\"config\":{\"input_tokens\":" + prompt + ",\"output_tokens\":200,\"seconds_per_point\":20},"
                        + "\"sweep\":{\"points\":[" + points + "]}}");
        return f;
    }

    @Test
    void calibrate_badInput_exit3() throws IOException {
        assertThat(run("sim", "calibrate", dir.resolve("none.json").toString()).err())
                .contains("cannot read");
        Path f = dir.resolve("empty.json");
        Files.writeString(f, "{\"config\":{\"input_tokens\":100,\"output_tokens\":10}}");
        Cli.Result r = run("sim", "calibrate", f.toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("no sweep.points");
        Files.writeString(f, "not json");
        assertThat(run("sim", "calibrate", f.toString()).err()).contains("is not JSON");
        assertThat(run("sim", "calibrate").code()).isEqualTo(2);
    }

    @Test
    void bench_againstTheEmbeddedSimulator_printsAndWritesItsResult() throws IOException {
        Path out = dir.resolve("bench.json");
        Path csv = dir.resolve("bench.csv");
        Path lines = dir.resolve("requests.jsonl");
        Cli.Result r = run(
                "bench",
                "--sim-args",
                "--ttft 30ms --itl 2ms",
                "--requests",
                "12",
                "--concurrency",
                "3",
                "--max-tokens",
                "8",
                // every answer 8 tokens: a drawn length can be shorter (once: 83 gaps, not 84)
                "--extra-body",
                "{\"ignore_eos\": true}",
                "--json",
                out.toString(),
                "--csv",
                csv.toString(),
                "--requests-jsonl",
                lines.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("ttft").contains("run: valid");
        var json = tools.jackson.databind.json.JsonMapper.builder().build().readTree(Files.readString(out));
        assertThat(json.path("schema_version").asInt()).isEqualTo(2);
        assertThat(json.at("/summary/requests_completed").asInt()).isEqualTo(12);
        assertThat(json.at("/summary/valid").asBoolean()).isTrue();
        assertThat(json.at("/metrics/ttft/p50").asDouble()).isBetween(29.0, 40.0);
        assertThat(json.at("/metrics/itl/count").asInt()).isEqualTo(12 * 7);
        assertThat(json.at("/metrics/ttft/histogram").asString()).isNotEmpty();
        assertThat(json.at("/environment/cores").asInt()).isPositive();
        assertThat(json.at("/environment/target_models/data").isArray()).isTrue();
        assertThat(json.at("/config/requests").asInt()).isEqualTo(12);
        long perSecond = 0;
        for (var sec : json.path("timeseries"))
            perSecond += sec.path("requests").asLong();
        assertThat(perSecond).isEqualTo(12);
        assertThat(Files.readAllLines(csv))
                .hasSize(1 + 7)
                .first()
                .asString()
                .startsWith("metric,unit,count"); // a closed loop: no queue_wait
        assertThat(Files.readAllLines(lines))
                .hasSize(12)
                .allSatisfy(l -> assertThat(l).contains("\"outcome\":\"ok\"").contains("\"token_events\":8"));
        assertThat(json.at("/summary/usage_checked").asInt()).isEqualTo(12); // all among the first checked
        assertThat(json.at("/summary/usage_mismatches").asInt()).isZero();
        assertThat(json.at("/summary/connections_opened").asInt()).isEqualTo(3); // one per user, kept alive
        // a single run is one level: two figures cannot fit four costs, and calibrate says so
        Cli.Result cal = run("sim", "calibrate", out.toString());
        assertThat(cal.code()).as(cal.out()).isEqualTo(3);
        assertThat(cal.err()).contains("give a sweep of at least 2 levels").contains("not 1 (one run is one level)");
    }

    @Test
    void bench_baselineGate_exit5OnlyWhenAFigureGotWorse_andCompare() throws IOException {
        // Latencies long enough that a noisy machine's scheduling is small beside them.
        Path fast = dir.resolve("fast.json");
        Cli.Result base = run(
                "bench",
                "--sim-args",
                "--ttft 50ms --itl 20ms",
                "--requests",
                "8",
                "--concurrency",
                "2",
                "--max-tokens",
                "4",
                "--json",
                fast.toString(),
                "--quiet");
        assertThat(base.code()).as(base.err()).isZero();
        // the same server within a generous bound passes...
        Cli.Result same = run(
                "bench",
                "--sim-args",
                "--ttft 50ms --itl 20ms",
                "--requests",
                "8",
                "--concurrency",
                "2",
                "--max-tokens",
                "4",
                "--baseline",
                fast.toString(),
                "--max-regression",
                "300%");
        assertThat(same.code()).as(same.err()).isZero();
        assertThat(same.out()).contains("no figure worse");
        // ...a server ten times slower to its first token does not
        Path slow = dir.resolve("slow.json");
        Path html = dir.resolve("slow.html");
        Cli.Result worse = run(
                "bench",
                "--sim-args",
                "--ttft 500ms --itl 20ms",
                "--requests",
                "8",
                "--concurrency",
                "2",
                "--max-tokens",
                "4",
                "--baseline",
                fast.toString(),
                "--max-regression",
                "10%",
                "--json",
                slow.toString(),
                "--html",
                html.toString(),
                "--quiet");
        assertThat(worse.code()).as("16 + 8: regressed").isEqualTo(24);
        assertThat(worse.err()).contains("worse than baseline").contains("ttft p50");
        // the result and its report carry the same comparison the gate made
        var slowJson = tools.jackson.databind.json.JsonMapper.builder().build().readTree(Files.readString(slow));
        assertThat(slowJson.at("/baseline/regressed").asInt()).isPositive();
        assertThat(slowJson.at("/baseline/figures").toString())
                .contains("\"name\":\"ttft p50\"")
                .contains("\"worse\":true");
        assertThat(Files.readString(html)).contains("Against the baseline").contains("regressed");
        Cli.Result compare = run("bench", "compare", fast.toString(), slow.toString());
        assertThat(compare.code()).as(compare.err()).isZero();
        assertThat(compare.out())
                .contains("fast.json")
                .contains("slow.json")
                .contains("ttft p50")
                .contains("%");
        assertThat(run(
                                "bench",
                                "compare",
                                fast.toString(),
                                dir.resolve("none.json").toString())
                        .code())
                .isEqualTo(2);
        assertThat(run("bench", "--baseline", dir.resolve("none.json").toString())
                        .err())
                .contains("cannot read");
        assertThat(run("bench", "--baseline", fast.toString(), "--max-regression", "lots")
                        .code())
                .isEqualTo(2);
    }

    @Test
    void bench_shardsOfOneRun_mergeIntoTheWhole() throws IOException {
        List<String> merged = new java.util.ArrayList<>(List.of("bench", "merge"));
        for (int s = 0; s < 2; s++) {
            Path out = dir.resolve("shard" + s + ".json");
            Cli.Result r = run(
                    "bench",
                    "--sim-args",
                    "--profile instant",
                    "--rate",
                    "100",
                    "--requests",
                    "21",
                    "--max-tokens",
                    "2",
                    "--shard",
                    s + "/2",
                    "--json",
                    out.toString(),
                    "--quiet");
            assertThat(r.code()).as(r.err()).isZero();
            merged.add(out.toString());
        }
        Path all = dir.resolve("merged.json");
        merged.addAll(List.of("--json", all.toString()));
        assertThat(run(merged.toArray(String[]::new)).code()).isZero();
        var json = tools.jackson.databind.json.JsonMapper.builder().build().readTree(Files.readString(all));
        assertThat(json.at("/summary/requests_completed").asInt()).isEqualTo(21); // 11 + 10: every request once
        assertThat(json.at("/metrics/ttft/count").asInt()).isEqualTo(21);
        assertThat(json.at("/config/merged_from").asInt()).isEqualTo(2);
        assertThat(run("bench", "--shard", "2/2").err()).contains("--shard must be I/N");
        assertThat(run("bench", "--shard", "x").code()).isEqualTo(2);
        assertThat(run("bench", "--concurrency", "1", "--shard", "0/2").err()).contains("cannot be split");
    }

    @Test
    void bench_aClientThatCannotKeepItsSchedule_isAnInvalidRun_exit17() {
        Cli.Result r = run(
                "bench",
                "--sim-args",
                "--profile instant",
                "--rate",
                "200000",
                "--requests",
                "3000",
                "--max-tokens",
                "1",
                "--no-stream",
                "--quiet");
        assertThat(r.code()).as("16 + 1: invalid\n" + r.err()).isEqualTo(17);
        assertThat(r.err()).contains("llmlab: invalid run: client saturated");
    }

    @Test
    void bench_replaysATrace() throws IOException {
        Path trace = dir.resolve("trace.jsonl");
        Files.writeString(trace, """
        {"timestamp": 0, "input_length": 40, "output_length": 4, "hash_ids": []}
        {"timestamp": 100, "input_length": 40, "output_length": 4, "hash_ids": []}
        {"timestamp": 200, "input_length": 40, "output_length": 4, "hash_ids": []}
        """);
        Path out = dir.resolve("trace.json");
        Cli.Result r = run(
                "bench",
                "--sim-args",
                "--profile instant",
                "--dataset",
                trace.toString(),
                "--dataset-format",
                "trace",
                "--json",
                out.toString(),
                "--quiet");
        assertThat(r.code()).as(r.err()).isZero();
        var json = tools.jackson.databind.json.JsonMapper.builder().build().readTree(Files.readString(out));
        assertThat(json.at("/summary/requests_completed").asInt()).isEqualTo(3);
        assertThat(json.at("/metrics/e2e_intended/count").asInt()).isEqualTo(3);
        assertThat(run("bench", "--dataset", dir.resolve("none").toString()).err())
                .contains("cannot read");
    }

    @Test
    void bench_badFlags_exit2() {
        assertThat(run("bench", "--api", "grpc").err()).contains("--api must be");
        assertThat(run("bench", "--rate", "5", "--concurrency", "2").code()).isEqualTo(2);
        assertThat(run("bench", "--url", "ftp://x").err()).contains("http[s]://HOST");
        assertThat(run("bench", "--slo", "ttfb<=1s").err()).contains("unknown metric");
        assertThat(run("bench", "--header", "nocolon").code()).isEqualTo(2);
    }

    @Test
    void missingConfigFile_exit3() {
        Cli.Result r = run("sim", "--config", dir.resolve("absent.yaml").toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("absent.yaml");
    }

    @Test
    void badFlagValues_exit2() {
        assertThat(run("sim", "--ttft", "fast").code()).isEqualTo(2);
        assertThat(run("sim", "--port", "x").code()).isEqualTo(2);
        assertThat(run("sim", "--no-such-flag").code()).isEqualTo(2);
        Cli.Result r = run("sim", "--time-scale", "-1", "--print-config");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("time_scale");
    }

    @Test
    void timeoutFlags_reachTheServerConfig_andBadValuesExit2() {
        Cli.Result r = run("sim", "--header-timeout", "10s", "--body-timeout", "2m", "--print-config");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("header_timeout: \"10s\"").contains("body_timeout: \"2m\"");
        Cli.Result defaults = run("sim", "--print-config");
        assertThat(defaults.out()).contains("header_timeout: \"30s\"").contains("body_timeout: \"1m\"");

        Cli.Result bad = run("sim", "--header-timeout", "soon");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--header-timeout").contains("soon");
        Cli.Result negative = run("sim", "--body-timeout", "-1s");
        assertThat(negative.code()).isEqualTo(2);
        assertThat(negative.err()).contains("--body-timeout").contains("negative");
    }

    @Test
    void portInUse_exit1() throws IOException {
        try (var socket = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Cli.Result r = run("sim", "--port", Integer.toString(socket.getLocalPort()), "--host", "127.0.0.1");
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).contains(Integer.toString(socket.getLocalPort()));
        }
    }

    @Test
    void selfTest_servesEveryEndpointAndExits0() {
        Cli.Result r = run("sim", "--self-test", "--port", "0", "--host", "127.0.0.1");
        assertThat(r.code()).as(r.err()).isZero();
    }

    @Test
    void printConfig_outputLoadsBackToTheSameConfiguration() throws IOException {
        Path f = dir.resolve("sim.yaml");
        Files.writeString(
                f,
                "seed: 5\ntime_scale: 0.5\nserver: {idle_timeout: 90s}\nmodels:\n  - id: m\n"
                        + "    output_tokens: \"uniform(min=10,max=20)\"\n");
        Cli.Result r = run("sim", "--config", f.toString(), "--print-config");
        assertThat(r.code()).as(r.err()).isZero();
        Path printed = dir.resolve("printed.yaml");
        Files.writeString(printed, r.out());
        // Printing the printed configuration again changes nothing: it is a complete, loadable config.
        Cli.Result again = run("sim", "--config", printed.toString(), "--print-config");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).isEqualTo(r.out());
        assertThat(r.out()).contains("idle_timeout: \"1.5m\"").contains("output_tokens: \"uniform(min=10,max=20)\"");
    }
}
