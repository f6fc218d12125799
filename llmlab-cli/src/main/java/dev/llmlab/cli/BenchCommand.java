package dev.llmlab.cli;

import dev.llmlab.bench.client.Api;
import dev.llmlab.bench.client.BenchClient;
import dev.llmlab.bench.report.Comparison;
import tools.jackson.databind.JsonNode;
import dev.llmlab.bench.client.Target;
import dev.llmlab.bench.load.Arrivals;
import dev.llmlab.bench.load.Datasets;
import dev.llmlab.bench.load.Schedule;
import dev.llmlab.bench.load.Workload;
import dev.llmlab.bench.measure.Recorder;
import dev.llmlab.bench.measure.Slo;
import dev.llmlab.bench.measure.TimeSeries;
import dev.llmlab.bench.report.Reports;
import dev.llmlab.bench.report.RequestLog;
import dev.llmlab.bench.run.LoadPlan;
import dev.llmlab.bench.run.Runner;
import dev.llmlab.core.dist.Distribution;
import dev.llmlab.core.dist.Distributions;
import dev.llmlab.core.time.Durations;
import dev.llmlab.core.token.Tokenizer;
import dev.llmlab.core.token.Tokenizers;
import dev.llmlab.sim.Simulator;
import dev.llmlab.sim.config.ServerConfig;
import dev.llmlab.sim.config.SimConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code llmlab bench}: load-test an LLM endpoint (by default an embedded simulator) and report
 * TTFT, inter-token latencies and throughput, with their definitions in docs/metrics.md.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
    subcommands = {CompareCommand.class, MergeCommand.class, ReportCommand.class},
    description = {"Load-test an OpenAI- or Anthropic-compatible endpoint: TTFT, ITL, TPOT, e2e, throughput.",
        "Without --url it starts an embedded `llmlab sim` on a free loopback port and measures that."})
final class BenchCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--url", paramLabel = "BASE", description = "Base URL, e.g. http://host:8000/v1 (default: an embedded simulator).")
  String url;

  @Option(names = "--sim", description = "Benchmark an embedded simulator (the default without --url).")
  boolean sim;

  @Option(names = "--sim-args", paramLabel = "ARGS", description = "Flags for the embedded simulator, e.g. \"--profile fast\".")
  String simArgs = "";

  @Option(names = "--api", paramLabel = "API", defaultValue = "openai-chat",
      description = "openai-chat, openai-completions, openai-embeddings or anthropic-messages (default: ${DEFAULT-VALUE}).")
  String api;

  @Option(names = "--model", paramLabel = "ID", description = "Model id (default: gpt-4o-mini, or claude-haiku-4-5 for anthropic-messages).")
  String model;

  @Option(names = "--api-key", paramLabel = "KEY",
      description = "API key (default: $LLMLAB_API_KEY, else $OPENAI_API_KEY or $ANTHROPIC_API_KEY for the API).")
  String apiKey;

  @Option(names = "--header", paramLabel = "NAME: VALUE", description = "Extra request header (repeatable).")
  List<String> headers = new ArrayList<>();

  @Option(names = "--stream", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Stream the answers (default); --no-stream for whole answers.")
  boolean stream;

  @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "128", description = "max_tokens per request (default: ${DEFAULT-VALUE}).")
  int maxTokens;

  @Option(names = "--input-tokens", paramLabel = "DIST", defaultValue = "128",
      description = "Prompt length in tokens: a number or a distribution, e.g. \"uniform(min=100,max=500)\" (default: ${DEFAULT-VALUE}).")
  String inputTokens;

  @Option(names = "--output-tokens", paramLabel = "DIST",
      description = "max_tokens drawn per request from this distribution instead of --max-tokens.")
  String outputTokens;

  @Option(names = "--dataset", paramLabel = "FILE", description = "Prompts from a file instead of synthetic ones (see --dataset-format).")
  Path dataset;

  @Option(names = "--dataset-format", paramLabel = "FORMAT", defaultValue = "jsonl",
      description = "jsonl (OpenAI messages or prompts, a request a line), sharegpt, or trace (Mooncake-style JSONL "
          + "replayed at its timestamps) (default: ${DEFAULT-VALUE}).")
  String datasetFormat;

  @Option(names = "--concurrency", paramLabel = "N", description = "Closed loop: N requests in flight (default: 8 without --rate).")
  Integer concurrency;

  @Option(names = "--rate", paramLabel = "R", description = "Open loop: R requests per second, whatever the answers do.")
  Double rate;

  @Option(names = "--arrival", paramLabel = "KIND", defaultValue = "poisson",
      description = "Open-loop arrivals: constant, poisson or gamma (default: ${DEFAULT-VALUE}).")
  String arrival;

  @Option(names = "--burstiness", paramLabel = "K", defaultValue = "1", description = "Gamma arrivals' shape: < 1 burstier, > 1 more regular.")
  double burstiness;

  @Option(names = "--max-concurrency", paramLabel = "N", description = "Open loop: at most N in flight; the rest wait (queue_wait).")
  Integer maxConcurrency;

  @Option(names = "--duration", paramLabel = "DURATION", converter = SimCommand.DurationConverter.class,
      description = "Run for this long, e.g. 60s.")
  Duration duration;

  @Option(names = "--requests", paramLabel = "N", description = "Send this many requests (default: 64 without --duration).")
  Long requests;

  @Option(names = "--warmup", paramLabel = "DURATION", converter = SimCommand.DurationConverter.class,
      description = "Leave out requests sent in the first DURATION.")
  Duration warmup = Duration.ZERO;

  @Option(names = "--cooldown", paramLabel = "DURATION", converter = SimCommand.DurationConverter.class,
      description = "Leave out requests sent in the last DURATION of --duration.")
  Duration cooldown = Duration.ZERO;

  @Option(names = "--ramp", paramLabel = "KIND", defaultValue = "none",
      description = "Ramp the rate (open loop) or the concurrency (closed loop) up: none, linear, exponential.")
  String ramp;

  @Option(names = "--ramp-time", paramLabel = "DURATION", converter = SimCommand.DurationConverter.class,
      description = "Length of the ramp.")
  Duration rampTime = Duration.ZERO;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seeds prompts and the schedule (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--slo", paramLabel = "SPEC", description = "Per-request SLOs for goodput, e.g. ttft<=500ms,tpot<=50ms.")
  String slo;

  @Option(names = "--timeout", paramLabel = "DURATION", converter = SimCommand.DurationConverter.class,
      description = "Per-request timeout (default: 600s).")
  Duration timeout = Duration.ofSeconds(600);

  @Option(names = "--io-threads", paramLabel = "N",
      description = "Client event loops; each owns its connections (default: one per core).")
  Integer ioThreads;

  @Option(names = "--shard", paramLabel = "I/N",
      description = "Run shard I (0-based) of N: every N-th request of the same seed's schedule, at 1/N of the load; "
          + "merge the shards' results with `llmlab bench merge`.")
  String shard;

  @Option(names = "--baseline", paramLabel = "OLD.json",
      description = "Compare with this earlier result; with --max-regression, exit 5 when a figure got worse.")
  Path baseline;

  @Option(names = "--max-regression", paramLabel = "FRACTION", defaultValue = "10%",
      description = "How much worse than --baseline a throughput or latency percentile may be (default: ${DEFAULT-VALUE}).")
  String maxRegression;

  @Option(names = "--json", paramLabel = "FILE", description = "Write the result as JSON (schema in docs/bench.md).")
  Path json;

  @Option(names = "--csv", paramLabel = "FILE", description = "Write one row per metric as CSV.")
  Path csv;

  @Option(names = "--requests-jsonl", paramLabel = "FILE", description = "Write one JSON line per request with its timestamps.")
  Path requestsJsonl;

  @Option(names = "--quiet", description = "Print nothing but errors.")
  boolean quiet;

  private int shardIndex;
  private int shardCount = 1;
  private JsonNode baselineResult;
  private double allowedRegression;

  /** A shard's part of a cap: ceil(cap / N), 0 (none) staying 0. */
  private int share(int cap) {
    return cap <= 0 ? 0 : (cap + shardCount - 1) / shardCount;
  }

  @Override
  public Integer call() {
    Api theApi;
    LoadPlan plan;
    List<Slo> slos;
    Distribution input;
    Distribution output;
    Map<String, String> extra = new LinkedHashMap<>();
    try {
      theApi = Api.parse(api);
      for (String h : headers) {
        int colon = h.indexOf(':');
        if (colon <= 0) throw new IllegalArgumentException("--header must be 'Name: value', got '" + h + "'");
        extra.put(h.substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT), h.substring(colon + 1).strip());
      }
      slos = Slo.parseAll(slo);
      input = Distributions.parse(inputTokens, Distributions.Unit.COUNT);
      output = outputTokens == null ? null : Distributions.parse(outputTokens, Distributions.Unit.COUNT);
      boolean open = rate != null;
      if (open && concurrency != null) throw new IllegalArgumentException("give --concurrency or --rate, not both");
      long n = requests != null ? requests : duration == null ? 64 : 0;
      plan = new LoadPlan(open ? 0 : concurrency != null ? concurrency : 8, open ? rate : 0,
          Arrivals.parse(arrival, burstiness), maxConcurrency != null ? maxConcurrency : 0,
          duration != null ? Durations.toSeconds(duration) : 0, n, Durations.toSeconds(warmup),
          Durations.toSeconds(cooldown), Schedule.Ramp.valueOf(ramp.toUpperCase(java.util.Locale.ROOT)),
          Durations.toSeconds(rampTime), seed);
      if (maxTokens < 1) throw new IllegalArgumentException("--max-tokens must be >= 1");
      if (shard != null) {
        String[] parts = shard.strip().split("/");
        try {
          shardIndex = Integer.parseInt(parts[0].strip());
          shardCount = parts.length == 2 ? Integer.parseInt(parts[1].strip()) : -1;
        } catch (NumberFormatException e) {
          shardCount = -1;
        }
        if (shardCount < 1 || shardIndex < 0 || shardIndex >= shardCount) {
          throw new IllegalArgumentException("--shard must be I/N with 0 <= I < N, got '" + shard + "'");
        }
      }
      if (baseline != null) {
        baselineResult = Comparison.read(baseline); // before the run: a bad baseline should not cost one
        allowedRegression = Comparison.parseFraction(maxRegression);
      }
      if (ioThreads != null && (ioThreads < 1 || ioThreads > 256)) {
        throw new IllegalArgumentException("--io-threads must be between 1 and 256, got " + ioThreads);
      }
    } catch (IllegalArgumentException e) {
      throw new Main.CliException(Main.EXIT_USAGE, e.getMessage());
    }
    String theModel = model != null ? model : theApi == Api.ANTHROPIC_MESSAGES ? "claude-haiku-4-5" : "gpt-4o-mini";
    Simulator embedded = url == null || sim ? startSim() : null;
    try {
      String base = embedded != null ? "http://127.0.0.1:" + embedded.port() + "/v1" : url;
      Target target;
      try {
        target = Target.of(base, theApi, theModel, stream, apiKey != null ? apiKey : envKey(theApi), extra);
      } catch (IllegalArgumentException e) {
        throw new Main.CliException(Main.EXIT_USAGE, e.getMessage());
      }
      Tokenizer tok = Tokenizers.forEncoding("o200k_base");
      int distinct = (int) Math.min(plan.maxRequests() > 0 ? plan.maxRequests() : 4096, 4096);
      Workload workload;
      Schedule replay = null;
      try {
        if (dataset == null) {
          workload = Workload.synthetic(theApi, theModel, target.stream(), distinct, input, output, maxTokens, tok, seed);
        } else {
          switch (datasetFormat) {
            case "jsonl" -> workload = Datasets.jsonl(dataset, theApi, theModel, target.stream(), maxTokens, tok);
            case "sharegpt" -> workload = Datasets.shareGpt(dataset, theApi, theModel, target.stream(), tok, 100_000);
            case "trace" -> {
              Datasets.Trace t = Datasets.trace(dataset, theApi, theModel, target.stream(), tok, seed);
              workload = t.workload();
              replay = Schedule.of(t.offsetsNanos());
            }
            default -> throw new IllegalArgumentException("--dataset-format must be jsonl, sharegpt or trace, got '"
                + datasetFormat + "'");
          }
        }
      } catch (IllegalArgumentException e) {
        throw new Main.CliException(Main.EXIT_USAGE, e.getMessage());
      }
      if (shardCount > 1) {
        // Every N-th request of the same schedule and prompts: N shards together send the whole run.
        workload = workload.shard(shardIndex, shardCount);
        if (replay != null) {
          replay = replay.shard(shardIndex, shardCount);
        } else if (plan.openLoop()) {
          replay = Schedule.open(plan.rate(), plan.arrivals(), plan.seconds(), plan.maxRequests(), plan.ramp(),
              plan.rampSeconds(), plan.seed()).shard(shardIndex, shardCount);
          plan = new LoadPlan(0, plan.rate() / shardCount, plan.arrivals(), share(plan.maxConcurrency()), plan.seconds(),
              replay.size(), plan.warmupSeconds(), plan.cooldownSeconds(), plan.ramp(), plan.rampSeconds(), plan.seed());
        } else {
          if (plan.concurrency() < shardCount) {
            throw new Main.CliException(Main.EXIT_USAGE, "--concurrency " + plan.concurrency() + " cannot be split into "
                + shardCount + " shards");
          }
          long requests = plan.maxRequests() > 0
              ? Math.max(0, (plan.maxRequests() - shardIndex + shardCount - 1) / shardCount) : 0;
          int users = (plan.concurrency() - shardIndex + shardCount - 1) / shardCount;
          plan = new LoadPlan(users, 0, plan.arrivals(), 0, plan.seconds(), requests, plan.warmupSeconds(),
              plan.cooldownSeconds(), plan.ramp(), plan.rampSeconds(), plan.seed());
        }
      }
      if (replay != null && (dataset != null && datasetFormat.equals("trace"))) {
        // a trace sets its own open-loop schedule: every line, at its time
        double span = Math.max(1e-3, replay.offsetNanos(replay.size() - 1) / 1e9);
        plan = new LoadPlan(0, Math.max(1e-6, (replay.size() - 1) / span), Arrivals.constant(), plan.maxConcurrency(),
            0, replay.size(), 0, 0, Schedule.Ramp.NONE, 0, seed);
      }
      Recorder recorder = new Recorder(plan.openLoop() || replay != null, slos);
      long origin = System.nanoTime();
      TimeSeries series = new TimeSeries(origin);
      Runner.Outcome outcome;
      try (BenchClient client = new BenchClient(target,
          ioThreads != null ? ioThreads : Runtime.getRuntime().availableProcessors(), timeout, tok);
           RequestLog log = requestsJsonl == null ? null : new RequestLog(requestsJsonl, origin)) {
        java.util.function.Consumer<dev.llmlab.bench.measure.RequestRecord> sink = rec -> {
          recorder.record(rec);
          series.record(rec);
          if (log != null) log.record(rec);
        };
        Thread progress = quiet || System.console() == null ? null
            : Thread.ofPlatform().daemon().name("llmlab-bench-progress").start(progressLine(recorder, plan, origin));
        try {
          outcome = replay != null ? Runner.replay(client, workload, plan, replay, sink)
              : Runner.run(client, workload, plan, sink);
        } finally {
          if (progress != null) {
            progress.interrupt();
            System.err.print("\r\033[K");
          }
        }
      } catch (IOException e) {
        throw new Main.CliException(Main.EXIT_RUNTIME, "cannot write " + requestsJsonl + ": " + e.getMessage());
      }
      Recorder.Summary summary = recorder.summary(outcome.windowSeconds());
      if (!quiet) {
        java.io.PrintWriter out = spec.commandLine().getOut();
        out.printf("llmlab bench: %s %s, model %s, %s%n", theApi.flag(), base, theModel,
            plan.openLoop() ? "open loop at " + rate + " req/s (" + arrival + ")" : "closed loop of " + plan.concurrency());
        Reports.console(out, summary, outcome);
        out.flush();
      }
      String result = json == null && baselineResult == null ? null
          : Reports.json(config(theApi, theModel, base, plan), environment(base), summary, outcome, series.seconds());
      Path writing = null;
      try {
        if (json != null) {
          writing = json;
          Files.writeString(json, result);
        }
        if (csv != null) {
          writing = csv;
          Files.writeString(csv, Reports.csv(summary));
        }
      } catch (IOException e) {
        throw new Main.CliException(Main.EXIT_RUNTIME, "cannot write " + writing + ": " + e.getMessage());
      }
      if (!outcome.valid()) return Main.EXIT_INVALID;
      return baselineResult == null ? 0 : gate(result);
    } finally {
      if (embedded != null) embedded.close();
    }
  }

  /** Compares the run with --baseline: prints every figure worse than allowed; exit 5 if any. */
  private int gate(String result) {
    JsonNode current = tools.jackson.databind.json.JsonMapper.builder().build().readTree(result);
    List<Comparison.Row> worse = Comparison.regressions(baselineResult, current, allowedRegression);
    java.io.PrintWriter out = spec.commandLine().getOut();
    if (worse.isEmpty()) {
      if (!quiet) out.printf(java.util.Locale.ROOT, "baseline %s: no figure worse by more than %.1f%%%n", baseline,
          100 * allowedRegression);
      out.flush();
      return 0;
    }
    java.io.PrintWriter err = spec.commandLine().getErr();
    err.printf(java.util.Locale.ROOT, "llmlab: %d figure(s) worse than baseline %s by more than %.1f%%:%n", worse.size(),
        baseline, 100 * allowedRegression);
    err.print(Comparison.table(List.of("baseline", "this run"), worse));
    err.flush();
    return Main.EXIT_REGRESSION;
  }

  private static String envKey(Api api) {
    String k = System.getenv("LLMLAB_API_KEY");
    if (k != null) return k;
    return System.getenv(api == Api.ANTHROPIC_MESSAGES ? "ANTHROPIC_API_KEY" : "OPENAI_API_KEY");
  }

  /** Once a second on a terminal: done/total, rate, errors, TTFT p50, elapsed and what is left. */
  private static Runnable progressLine(Recorder recorder, LoadPlan plan, long origin) {
    return () -> {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          Thread.sleep(1000);
        } catch (InterruptedException e) {
          return;
        }
        double[] p = recorder.progress();
        double elapsed = (System.nanoTime() - origin) / 1e9;
        long done = (long) (p[0] + p[1]);
        String total = plan.maxRequests() > 0 ? "/" + plan.maxRequests() : "";
        double left = plan.seconds() > 0 ? Math.max(0, plan.seconds() - elapsed)
            : plan.maxRequests() > 0 && done > 0 ? elapsed * (plan.maxRequests() - done) / done : Double.NaN;
        System.err.printf(java.util.Locale.ROOT, "\r\033[K%d%s done, %.1f req/s, %d errors, TTFT p50 %s, %.0f s elapsed%s",
            done, total, done / elapsed, (long) p[1], Double.isNaN(p[2]) ? "-" : String.format(java.util.Locale.ROOT, "%.1f ms", p[2]),
            elapsed, Double.isNaN(left) ? "" : String.format(java.util.Locale.ROOT, ", about %.0f s left", left));
        System.err.flush();
      }
    };
  }

  private Simulator startSim() {
    // The embedded server's own start and stop lines would interleave with the benchmark's output.
    if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logback) {
      logback.getLogger("dev.llmlab.http").setLevel(ch.qos.logback.classic.Level.WARN);
    }
    SimCommand simCommand = new SimCommand();
    try {
      new CommandLine(simCommand).parseArgs(simArgs.isBlank() ? new String[0] : simArgs.strip().split("\\s+"));
    } catch (CommandLine.ParameterException e) {
      throw new Main.CliException(Main.EXIT_USAGE, "--sim-args: " + e.getMessage());
    }
    SimConfig user = simCommand.userConfig().overlay(new SimConfig(new ServerConfig("127.0.0.1", 0, null, null, null,
        null, null, null), null, null, null, null, null, null, null, null, null, null, null, null, null));
    Simulator s;
    try {
      s = Simulator.start(user, simCommand.latencyOverride());
    } catch (IllegalArgumentException e) {
      throw new Main.CliException(Main.EXIT_CONFIG, "--sim-args: " + e.getMessage());
    }
    // Its tokenizer tables load in the background; a run that overlapped that would measure the load.
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!s.isWarm() && System.nanoTime() < deadline) java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
    return s;
  }

  private ObjectNode config(Api theApi, String theModel, String base, LoadPlan plan) {
    ObjectNode c = JsonMapper.builder().build().createObjectNode();
    c.put("url", base).put("embedded_sim", url == null || sim).put("sim_args", simArgs).put("api", theApi.flag())
        .put("model", theModel).put("stream", stream).put("max_tokens", maxTokens).put("input_tokens", inputTokens)
        .put("output_tokens", outputTokens).put("mode", plan.openLoop() ? "open" : "closed")
        .put("concurrency", plan.concurrency()).put("rate", plan.rate()).put("arrival", arrival)
        .put("burstiness", burstiness).put("max_concurrency", plan.maxConcurrency())
        .put("duration_s", plan.seconds()).put("requests", plan.maxRequests()).put("warmup_s", plan.warmupSeconds())
        .put("cooldown_s", plan.cooldownSeconds()).put("ramp", ramp).put("ramp_s", plan.rampSeconds())
        .put("seed", seed).put("slo", slo).put("timeout_s", Durations.toSeconds(timeout))
        .put("io_threads", ioThreads != null ? ioThreads : Runtime.getRuntime().availableProcessors())
        .put("shard", shardCount > 1 ? shardIndex + "/" + shardCount : null)
        .put("dataset", dataset == null ? null : dataset.toString()).put("dataset_format", dataset == null ? null : datasetFormat);
    return c;
  }

  private static ObjectNode environment(String base) {
    ObjectNode e = JsonMapper.builder().build().createObjectNode();
    e.put("llmlab_version", Simulator.version())
        .put("jdk", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.version"))
        .put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"))
        .put("cores", Runtime.getRuntime().availableProcessors())
        .put("cpu", cpuModel())
        .put("memory_bytes", ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize());
    try {
      var client = java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
      var r = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/models"))
          .timeout(Duration.ofSeconds(5)).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      e.set("target_models", JsonMapper.builder().build().readTree(r.body()));
    } catch (Exception ex) {
      e.put("target_models", "unavailable: " + ex.getClass().getSimpleName());
    }
    return e;
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).strip();
      }
    } catch (IOException | RuntimeException ignored) {
      // not Linux
    }
    return "unknown";
  }
}
