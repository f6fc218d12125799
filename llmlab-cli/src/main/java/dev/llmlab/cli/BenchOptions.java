package dev.llmlab.cli;

import dev.llmlab.bench.session.Outputs;
import dev.llmlab.bench.session.SessionOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The flags every {@code llmlab bench} command shares: the target, the prompts, the load, the
 * targets and the outputs. A picocli mixin, so that {@code bench sweep --url ...} takes them after
 * its own name.
 */
final class BenchOptions {
    @Option(
            names = "--url",
            paramLabel = "BASE",
            description =
                    "Base URL, e.g. http://host:8000/v1 or https://api.openai.com/v1 (default: an embedded simulator).")
    String url;

    @Option(
            names = "--ca-cert",
            paramLabel = "FILE",
            description = "Also trust the CA certificates of this PEM file for an https --url (besides the JDK's).")
    Path caCert;

    @Option(
            names = "--insecure",
            description = "Accept any TLS certificate for any host (no verification; warned on every run).")
    boolean insecure;

    @Option(names = "--sim", description = "Benchmark an embedded simulator (the default without --url).")
    boolean sim;

    @Option(
            names = "--sim-args",
            paramLabel = "ARGS",
            description = "Flags for the embedded simulator, e.g. \"--profile fast\".")
    String simArgs = "";

    @Option(
            names = "--api",
            paramLabel = "API",
            defaultValue = "openai-chat",
            description = "openai-chat, openai-completions, openai-embeddings, openai-responses, anthropic-messages "
                    + "or gemini (default: ${DEFAULT-VALUE}). --url ends in /v1, or /v1beta for gemini.")
    String api;

    @Option(
            names = "--model",
            paramLabel = "ID",
            description = "Model id (default per API: gpt-4o-mini; gpt-3.5-turbo-instruct for openai-completions, "
                    + "text-embedding-3-small for openai-embeddings, claude-haiku-4-5, gemini-2.5-flash).")
    String model;

    @Option(
            names = "--api-key",
            paramLabel = "KEY",
            description = "API key (default: $LLMLAB_API_KEY, else the API's own: $OPENAI_API_KEY, $ANTHROPIC_API_KEY, "
                    + "$GEMINI_API_KEY or $GOOGLE_API_KEY).")
    String apiKey;

    @Option(names = "--header", paramLabel = "NAME: VALUE", description = "Extra request header (repeatable).")
    List<String> headers = new ArrayList<>();

    @Option(
            names = "--stream",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "Stream the answers (default); --no-stream for whole answers.")
    boolean stream;

    @Option(
            names = "--max-tokens",
            paramLabel = "N",
            defaultValue = "128",
            description = "max_tokens per request (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(
            names = "--extra-body",
            paramLabel = "JSON",
            description = "A JSON object whose fields are laid over every request body, e.g. '{\"ignore_eos\": true}' "
                    + "(vLLM's way to fix output lengths).")
    String extraBody;

    @Option(
            names = "--tokenizer",
            paramLabel = "NAME|FILE",
            defaultValue = "o200k_base",
            description =
                    "What counts tokens (prompt lengths, the check of the server's usage): o200k_base, cl100k_base, "
                            + "or a Hugging Face tokenizer.json file, e.g. the model's own (default: ${DEFAULT-VALUE}).")
    String tokenizer;

    @Option(
            names = "--input-tokens",
            paramLabel = "DIST",
            defaultValue = "128",
            description =
                    "Prompt length in tokens: a number or a distribution, e.g. \"uniform(min=100,max=500)\" (default: ${DEFAULT-VALUE}).")
    String inputTokens;

    @Option(
            names = "--output-tokens",
            paramLabel = "DIST",
            description = "max_tokens drawn per request from this distribution instead of --max-tokens.")
    String outputTokens;

    @Option(
            names = "--dataset",
            paramLabel = "FILE",
            description = "Prompts from a file instead of synthetic ones (see --dataset-format).")
    Path dataset;

    @Option(
            names = "--dataset-format",
            paramLabel = "FORMAT",
            defaultValue = "jsonl",
            description =
                    "jsonl (OpenAI messages or prompts, a request a line), sharegpt, or trace (Mooncake-style JSONL "
                            + "replayed at its timestamps) (default: ${DEFAULT-VALUE}).")
    String datasetFormat;

    @Option(
            names = "--concurrency",
            paramLabel = "N",
            description = "Closed loop: N requests in flight (default: 8 without --rate).")
    Integer concurrency;

    @Option(
            names = "--rate",
            paramLabel = "R",
            description = "Open loop: R requests per second, whatever the answers do.")
    Double rate;

    @Option(
            names = "--arrival",
            paramLabel = "KIND",
            defaultValue = "poisson",
            description = "Open-loop arrivals: constant, poisson or gamma (default: ${DEFAULT-VALUE}).")
    String arrival;

    @Option(
            names = "--burstiness",
            paramLabel = "K",
            defaultValue = "1",
            description = "Gamma arrivals' shape: < 1 burstier, > 1 more regular.")
    double burstiness;

    @Option(
            names = "--max-concurrency",
            paramLabel = "N",
            description = "Open loop: at most N in flight; the rest wait (queue_wait).")
    Integer maxConcurrency;

    @Option(
            names = "--duration",
            paramLabel = "DURATION",
            converter = SimCommand.DurationConverter.class,
            description = "Run for this long, e.g. 60s.")
    Duration duration;

    @Option(
            names = "--requests",
            paramLabel = "N",
            description = "Send this many requests (default: 64 without --duration).")
    Long requests;

    @Option(
            names = "--warmup",
            paramLabel = "DURATION",
            converter = SimCommand.DurationConverter.class,
            description = "Leave out requests sent in the first DURATION.")
    Duration warmup = Duration.ZERO;

    @Option(
            names = "--cooldown",
            paramLabel = "DURATION",
            converter = SimCommand.DurationConverter.class,
            description = "Leave out requests sent in the last DURATION of --duration.")
    Duration cooldown = Duration.ZERO;

    @Option(
            names = "--ramp",
            paramLabel = "KIND",
            defaultValue = "none",
            description = "Ramp the rate (open loop) or the concurrency (closed loop) up: none, linear, exponential.")
    String ramp;

    @Option(
            names = "--ramp-time",
            paramLabel = "DURATION",
            converter = SimCommand.DurationConverter.class,
            description = "Length of the ramp.")
    Duration rampTime = Duration.ZERO;

    @Option(
            names = "--seed",
            paramLabel = "N",
            defaultValue = "1",
            description = "Seeds prompts and the schedule (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--reuse-prompts",
            description = "Send the seed's exact prompts, as an earlier run of this seed did (a warm prefix cache); by "
                    + "default each run opens its prompts with a fresh nonce, so that it shares no prefix with an "
                    + "earlier run.")
    boolean reusePrompts;

    @Option(
            names = "--max-errors",
            paramLabel = "FRACTION",
            defaultValue = "1%",
            description = "Share of requests that may fail without an error_rate target: a run above it fails "
                    + "(exit 18), a sweep's or search's level fails (default: ${DEFAULT-VALUE}).")
    String maxErrors;

    @Option(
            names = "--check",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "Send one request before the run and stop (exit 4) with the server's answer if it fails "
                    + "(default); --no-check measures a failing target as it is.")
    boolean check;

    @Option(
            names = "--slo",
            paramLabel = "SPEC",
            description =
                    "Targets judged on the run, e.g. ttft_p95<=500ms,tpot_p95<=50ms,error_rate<=0.1%%; latency bounds "
                            + "also count goodput (docs/bench.md).")
    String slo;

    @Option(
            names = "--targets",
            paramLabel = "PRESET",
            description =
                    "Add a preset of targets: seed (stream >= 30 tok/s, TTFT p50 <= 5 ms, ITL spike rate 5-15%%).")
    String targets;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            converter = SimCommand.DurationConverter.class,
            description = "Per-request timeout (default: 600s).")
    Duration timeout = Duration.ofSeconds(600);

    @Option(
            names = "--drain",
            paramLabel = "DURATION",
            converter = SimCommand.DurationConverter.class,
            description = "After --duration, how long requests still in flight may take; the rest are abandoned and "
                    + "counted (default: 30s).")
    Duration drain = Duration.ofSeconds(30);

    @Option(
            names = "--io-threads",
            paramLabel = "N",
            description = "Client event loops; each owns its connections (default: one per core).")
    Integer ioThreads;

    @Option(
            names = "--saturation-stop",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description =
                    "Stop an open loop early when its queue grows without bound (default; --no-saturation-stop to run "
                            + "out the clock).")
    boolean saturationStop;

    @Option(
            names = "--scrape",
            paramLabel = "URL",
            description =
                    "Sample this Prometheus endpoint each second during the run (repeatable): queue, running, KV use.")
    List<String> scrape = new ArrayList<>();

    @Option(names = "--html", paramLabel = "FILE", description = "Write a self-contained HTML report (docs/report.md).")
    Path html;

    @Option(
            names = "--json",
            paramLabel = "FILE",
            description = "Write the result as JSON (schema in docs/bench.md); - writes it to standard output in place "
                    + "of the table.")
    Path json;

    @Option(names = "--quiet", description = "Print nothing but errors.")
    boolean quiet;

    /** Writes the result where the flags ask: the session's files, and standard output for {@code --json -}. */
    void write(
            picocli.CommandLine.Model.CommandSpec spec,
            dev.llmlab.bench.session.BenchSession session,
            dev.llmlab.bench.result.BenchResult result) {
        session.write(result);
        if (Outputs.stdout(json)) {
            spec.commandLine().getOut().print(dev.llmlab.bench.result.ResultJson.write(result));
            spec.commandLine().getOut().flush();
        }
    }

    /** Whether the table stays off standard output: {@code --quiet}, or the JSON goes there. */
    boolean quiet() {
        return quiet || Outputs.stdout(json);
    }

    /** {@code --max-errors} as a fraction. */
    double maxErrors() {
        try {
            return dev.llmlab.bench.measure.Fraction.parse(maxErrors, "--max-errors", true);
        } catch (IllegalArgumentException e) {
            throw new Main.CliException(Main.EXIT_USAGE, e.getMessage());
        }
    }

    /** The flags as the session's typed settings. */
    SessionOptions options() {
        return SessionOptions.builder()
                .url(url)
                .caCert(caCert)
                .insecure(insecure)
                .sim(sim)
                .simArgs(simArgs)
                .api(api)
                .model(model)
                .apiKey(apiKey)
                .headers(headers)
                .stream(stream)
                .maxTokens(maxTokens)
                .inputTokens(inputTokens)
                .outputTokens(outputTokens)
                .dataset(dataset)
                .datasetFormat(datasetFormat)
                .concurrency(concurrency)
                .rate(rate)
                .arrival(arrival)
                .burstiness(burstiness)
                .maxConcurrency(maxConcurrency)
                .duration(duration)
                .requests(requests)
                .warmup(warmup)
                .cooldown(cooldown)
                .ramp(ramp)
                .rampTime(rampTime)
                .seed(seed)
                .reusePrompts(reusePrompts)
                .check(check)
                .extraBody(extraBody)
                .tokenizer(tokenizer)
                .slo(slo)
                .targets(targets)
                .timeout(timeout)
                .drain(drain)
                .ioThreads(ioThreads)
                .saturationStop(saturationStop)
                .scrape(scrape)
                .html(html)
                .json(Outputs.stdout(json) ? null : json)
                .quiet(quiet || Outputs.stdout(json))
                .build();
    }
}
