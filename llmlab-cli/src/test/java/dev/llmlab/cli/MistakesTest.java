package dev.llmlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mistakes people make on the command line, each with the plain answer and the exit code it
 * gets (the README's table): 2 for a bad flag or flag value, 3 for a bad configuration file. No
 * answer shows Java internals: no exception class, no Jackson feature, no stack trace.
 */
class MistakesTest {
    @TempDir
    Path dir;

    /** A mistake: the command line, the exit code and what the message must say. */
    record Mistake(List<String> args, int code, List<String> says) {
        static Mistake of(int code, String says, String... args) {
            return new Mistake(List.of(args), code, List.of(says.split("\\|")));
        }
    }

    @Test
    void everyMistake_getsItsMessageAndExitCode_andNoJavaInternals() throws IOException {
        Path typoProfile = dir.resolve("typo.yaml");
        Files.writeString(
                typoProfile,
                "profiles:\n  my-gpu: {ttft: 100ms, itl: 20ms}\nmodels:\n  - id: m\n    profile: my-gpuu\n");
        Path typoPreset = dir.resolve("preset.yaml");
        Files.writeString(typoPreset, "models:\n  - id: m\n    engine: {preset: llama-3.1-8b-h10}\n");
        Path lines = dir.resolve("prompts.jsonl");
        Files.writeString(lines, "{\"prompt\":\"hi\"}\n{\"prompt\":\"yo\"}\n");
        String noFile = dir.resolve("nope.jsonl").toString();
        String offline = "http://127.0.0.1:9/v1";
        Path gatewayTypo = dir.resolve("gateway.yaml");
        Files.writeString(
                gatewayTypo,
                "routes:\n  - name: gpt-4o\n    deployments:\n      - provider: openia\n        model: gpt-4o\n");
        Path gatewayEnv = dir.resolve("gateway-env.yaml");
        Files.writeString(
                gatewayEnv,
                "routes:\n  - name: gpt-4o\n    deployments:\n      - provider: openai\n        keys:\n"
                        + "          - key: ${LLMLAB_SURELY_UNSET_KEY}\n");
        Path vocab = dir.resolve("vocab.txt");
        Files.writeString(vocab, "hello 1\nworld 2\n");
        Path modelConfig = dir.resolve("config.json");
        Files.writeString(modelConfig, "{\"architectures\": [\"LlamaForCausalLM\"], \"vocab_size\": 128256}");
        Path badModel = dir.resolve("bad-model.json");
        Files.writeString(badModel, "{\"model\": {\"type\": \"WordPiece\", \"vocab\": \"none\"}}");

        List<Mistake> mistakes = List.of(
                // configuration references: --print-config refuses what start-up refuses
                Mistake.of(
                        3,
                        "typo.yaml:5:14: models[0].profile: unknown profile 'my-gpuu' (did you mean 'my-gpu'?",
                        "sim",
                        "--config",
                        typoProfile.toString(),
                        "--print-config"),
                Mistake.of(
                        3,
                        "preset.yaml:3:22: models[0].engine.preset|did you mean 'llama-3.1-8b-h100'?",
                        "sim",
                        "--config",
                        typoPreset.toString(),
                        "--print-config"),
                Mistake.of(
                        2,
                        "--preset: unknown engine preset 'llama-3.1-8b-h10' (did you mean 'llama-3.1-8b-h100'?",
                        "sim",
                        "--preset",
                        "llama-3.1-8b-h10",
                        "--print-config"),
                Mistake.of(2, "--profile: unknown profile 'fsat' (did you mean 'fast'?", "sim", "--profile", "fsat"),
                Mistake.of(2, "time_scale must be a finite number >= 0, got -1.0", "sim", "--time-scale", "-1"),
                // flags
                Mistake.of(2, "unknown option '--durration' (did you mean --duration?)", "bench", "--durration", "5s"),
                Mistake.of(2, "unknown option '--rat' (did you mean --rate?)", "bench", "--rat=5"),
                Mistake.of(
                        2,
                        "Invalid value for option '--duration': invalid duration \"abc\"",
                        "bench",
                        "--duration",
                        "abc"),
                Mistake.of(
                        2,
                        "--rate must be a positive number of requests per second, got -5.0",
                        "bench",
                        "--url",
                        offline,
                        "--rate",
                        "-5"),
                Mistake.of(
                        2,
                        "--rate must be a positive number of requests per second, got 0.0",
                        "bench",
                        "--url",
                        offline,
                        "--rate",
                        "0"),
                Mistake.of(
                        2,
                        "--concurrency must be at least 1 request in flight, got 0",
                        "bench",
                        "--url",
                        offline,
                        "--concurrency",
                        "0"),
                Mistake.of(2, "--requests must be at least 1, got 0", "bench", "--url", offline, "--requests", "0"),
                Mistake.of(
                        2,
                        "give --concurrency or --rate, not both",
                        "bench",
                        "--url",
                        offline,
                        "--rate",
                        "5",
                        "--concurrency",
                        "2"),
                // files
                Mistake.of(
                        2, "cannot read " + noFile + ": no such file", "bench", "--url", offline, "--dataset", noFile),
                // --tokenizer: a built-in's name, else a tokenizer.json
                Mistake.of(
                        2,
                        "--tokenizer o200k: neither a built-in tokenizer (o200k_base, cl100k_base|nor a file: no such file",
                        "bench",
                        "--url",
                        offline,
                        "--tokenizer",
                        "o200k"),
                Mistake.of(
                        2,
                        "--tokenizer " + noFile + ": neither a built-in tokenizer",
                        "bench",
                        "--url",
                        offline,
                        "--tokenizer",
                        noFile),
                Mistake.of(
                        2,
                        "--tokenizer " + dir + ": is a directory, not a tokenizer.json file",
                        "bench",
                        "--url",
                        offline,
                        "--tokenizer",
                        dir.toString()),
                Mistake.of(
                        2,
                        "--tokenizer " + vocab + ": not JSON at line 1",
                        "bench",
                        "--url",
                        offline,
                        "--tokenizer",
                        vocab.toString()),
                Mistake.of(
                        2,
                        "--tokenizer " + modelConfig + ": not a Hugging Face tokenizer.json (no \"model\" object)",
                        "bench",
                        "--url",
                        offline,
                        "--tokenizer",
                        modelConfig.toString()),
                Mistake.of(
                        2,
                        "--tokenizer " + badModel + ": not a Hugging Face tokenizer.json: invalid type",
                        "bench",
                        "--url",
                        offline,
                        "--tokenizer",
                        badModel.toString()),
                // outputs are checked before the run, not after it
                Mistake.of(
                        2,
                        "--json " + dir.resolve("no/such/dir/run.json") + ": no such directory",
                        "bench",
                        "--url",
                        offline,
                        "--json",
                        dir.resolve("no/such/dir/run.json").toString()),
                Mistake.of(
                        2, "--html " + dir + ": is a directory", "bench", "--url", offline, "--html", dir.toString()),
                Mistake.of(
                        2,
                        "--csv " + dir.resolve("none/x.csv") + ": no such directory",
                        "bench",
                        "--url",
                        offline,
                        "--csv",
                        dir.resolve("none/x.csv").toString()),
                Mistake.of(
                        2,
                        "more than one JSON value",
                        "bench",
                        "--url",
                        offline,
                        "--dataset",
                        lines.toString(),
                        "--dataset-format",
                        "sharegpt"),
                // the gateway's flags
                Mistake.of(
                        2,
                        "--upstream: 'ftp://host/v1' is not an http or https URL",
                        "gateway",
                        "--upstream",
                        "ftp://host/v1"),
                Mistake.of(
                        2,
                        "--upstream: 'localhost:8000' is not an http or https URL",
                        "gateway",
                        "--upstream",
                        "localhost:8000"),
                Mistake.of(
                        2,
                        "--upstream-key-env LLMLAB_SURELY_UNSET_KEY: that variable is not set",
                        "gateway",
                        "--upstream",
                        offline,
                        "--upstream-key-env",
                        "LLMLAB_SURELY_UNSET_KEY"),
                Mistake.of(2, "--tls-cert and --tls-key go together", "gateway", "--tls-cert", "cert.pem"),
                Mistake.of(
                        2,
                        "--strategy: unknown strategy 'fastest' (known: weighted, round-robin, random,"
                                + " least-outstanding, latency, cost, priority)",
                        "gateway",
                        "--upstream",
                        offline,
                        "--strategy",
                        "fastest"),
                Mistake.of(
                        2, "--strategy and --upstream-key-env go with --upstream", "gateway", "--strategy", "random"),
                Mistake.of(
                        2,
                        "--config and --upstream, --strategy, --upstream-key-env do not go together",
                        "gateway",
                        "--config",
                        gatewayTypo.toString(),
                        "--upstream",
                        offline),
                Mistake.of(
                        3,
                        "gateway.yaml:4:", // the line of the provider, and what the kinds are
                        "gateway",
                        "--config",
                        gatewayTypo.toString()),
                Mistake.of(
                        3,
                        "provider 'openia' is not one of openai, azure-openai, anthropic, gemini, openai-compatible",
                        "gateway",
                        "--config",
                        gatewayTypo.toString()),
                Mistake.of(
                        3,
                        "the environment variable LLMLAB_SURELY_UNSET_KEY is not set",
                        "gateway",
                        "--config",
                        gatewayEnv.toString()),
                Mistake.of(
                        3,
                        "no-such.yaml",
                        "gateway",
                        "--config",
                        dir.resolve("no-such.yaml").toString()),
                Mistake.of(2, "--port must be in 0..65535, got 70000", "gateway", "--port", "70000"),
                Mistake.of(
                        2, "unknown option '--upstrem' (did you mean --upstream?)", "gateway", "--upstrem", offline));

        SoftAssertions soft = new SoftAssertions();
        for (Mistake m : mistakes) {
            Cli.Result r = Cli.run(m.args().toArray(String[]::new));
            String what = String.join(" ", m.args());
            soft.assertThat(r.code()).as(what + "\n" + r.err()).isEqualTo(m.code());
            for (String s : m.says()) soft.assertThat(r.err()).as(what).contains(s);
            soft.assertThat(r.err())
                    .as(what)
                    .doesNotContain("Exception")
                    .doesNotContain("java.")
                    .doesNotContain("jackson")
                    .doesNotContain("FAIL_ON")
                    .doesNotContain("\tat ");
        }
        soft.assertAll();
    }

    @Test
    void jsonDash_writesTheResultToStandardOutput_inPlaceOfTheTable() {
        Cli.Result r = Cli.run("bench", "--sim-args", "--profile instant", "--requests", "5", "--json", "-");
        assertThat(r.code()).as(r.err()).isZero();
        var json = tools.jackson.databind.json.JsonMapper.builder().build().readTree(r.out());
        assertThat(json.at("/summary/requests_completed").asInt()).isEqualTo(5);
    }

    @Test
    void printConfig_acceptsWhatStartUpAccepts() throws IOException {
        Path good = dir.resolve("good.yaml");
        Files.writeString(
                good, "profiles:\n  my-gpu: {ttft: 100ms, itl: 20ms}\nmodels:\n  - id: m\n    profile: my-gpu\n");
        Cli.Result r = Cli.run("sim", "--config", good.toString(), "--print-config");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("my-gpu");
    }
}
