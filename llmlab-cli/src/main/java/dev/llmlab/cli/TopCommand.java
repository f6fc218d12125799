package dev.llmlab.cli;

import dev.llmlab.core.config.ConfigException;
import dev.llmlab.core.config.ConfigLoader;
import dev.llmlab.http.client.TlsOptions;
import dev.llmlab.top.PrometheusRules;
import dev.llmlab.top.Recording;
import dev.llmlab.top.RecordingStatus;
import dev.llmlab.top.Snapshot;
import dev.llmlab.top.SnapshotJson;
import dev.llmlab.top.SnapshotText;
import dev.llmlab.top.Source;
import dev.llmlab.top.Top;
import dev.llmlab.top.TopConfig;
import dev.llmlab.top.WebView;
import dev.llmlab.top.tui.TerminalView;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code llmlab top URL...} or {@code llmlab top --k8s KIND}: parses, wires {@link Top} to its
 * targets (the URLs, or a Kubernetes discovery) and prints its snapshots.
 */
@Command(
        name = "top",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Watch LLM servers live from their Prometheus metrics: a row per model and per replica, with requests/s,"
                    + " running and waiting, KV cache, TTFT, ITL and e2e percentiles from bucket deltas, token rates,"
                    + " errors, preemptions and prefix-cache hits.",
            "Reads vLLM, SGLang, TGI, llama.cpp, TensorRT-LLM, Triton, Dynamo, LiteLLM and llmlab's simulator"
                    + " (docs/top.md).",
            "Targets are the URLs given, or with --k8s the pods of a Kubernetes fleet, followed as they come and go,"
                    + " or with --prometheus the fleet a Prometheus server scrapes. SLOs, alerts and a GPU price go in"
                    + " --config.",
            "Live on a terminal, a full-screen view refreshed every --interval: ? help, / filter, s S 1-9 0 sort,"
                    + " arrows select, Enter drill down (Esc back), e export the view as JSON to"
                    + " llmlab-top-YYYYMMDD-HHMMSS.json, p pause, q quit. Piped or redirected, it prints the table"
                    + " every --interval until Ctrl-C. With --web, a browser shows it instead.",
            "--record FILE saves the session as it is watched; --replay FILE plays it back later, through the same"
                    + " views, as it was seen."
        })
final class TopCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @picocli.CommandLine.Mixin
    TopSources sources;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "A YAML file: targets or prometheus, window, interval, timeout, slos, alerts (windows,"
                    + " webhook) and cost (gpu_hour). Flags win over it (docs/top.md).")
    Path config;

    @Option(
            names = "--rules",
            description = "Print the config's SLOs as Prometheus recording and alerting rules (with --rules-kind's"
                    + " metric names) and exit.")
    boolean rules;

    @Option(
            names = "--rules-kind",
            paramLabel = "KIND",
            defaultValue = "vllm",
            description = "With --rules: the server kind whose metric names the rules use (default: ${DEFAULT-VALUE}).")
    String rulesKind;

    @Option(names = "--once", description = "Read every target twice, --window apart, print that window and exit.")
    boolean once;

    @Option(
            names = "--json",
            description = "Print JSON (with --once: one snapshot; live: one snapshot a line, JSON Lines).")
    boolean json;

    @Option(
            names = "--window",
            paramLabel = "DURATION",
            converter = SimCommand.DurationConverter.class,
            description = "The window rates and percentiles are over, at most 1m (default: 10s).")
    Duration window;

    @Option(
            names = "--interval",
            paramLabel = "DURATION",
            converter = SimCommand.DurationConverter.class,
            description = "How often each target is read and the view refreshed (default: 1s).")
    Duration interval;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            converter = SimCommand.DurationConverter.class,
            description = "How long one read of a target may take (default: 2s).")
    Duration timeout;

    @Option(
            names = "--web",
            paramLabel = "[HOST]:PORT",
            description = "Serve the view to a browser instead, updated live, until Ctrl-C. :PORT listens on"
                    + " 127.0.0.1 only (this machine); 0.0.0.0:PORT on every interface, where anyone who reaches it"
                    + " sees the targets and their figures. Port 0 picks a free one.")
    String web;

    @Option(
            names = "--record",
            paramLabel = "FILE",
            description = "Also write every scrape to FILE (gzip'd JSON Lines, replaced if it exists), for --replay:"
                    + " about 1 MB per busy target per hour (docs/top.md).")
    Path record;

    @Option(
            names = "--replay",
            paramLabel = "FILE",
            description = "Play back a --record'ed FILE instead of reading servers, on its own clock: every view"
                    + " shows what was seen then. Ends with the file (--json exits; the table stays).")
    Path replay;

    @Option(
            names = "--speed",
            paramLabel = "X",
            description = "With --replay: recorded seconds played per second (default: 1; 10 is ten times as fast).")
    Double speed;

    @Option(
            names = "--at",
            paramLabel = "TIME",
            description = "With --replay: start at this moment, or with --once show it: an offset from the"
                    + " recording's start (90s, 5m) or an instant (2026-12-07T21:45:55Z). Default: the start;"
                    + " with --once, the end.")
    String at;

    @Option(names = "--ca-cert", paramLabel = "FILE", description = "Trust this CA (PEM) for https targets.")
    Path caCert;

    @Option(names = "--insecure", description = "Do not verify https targets' certificates.")
    boolean insecure;

    @Override
    public Integer call() throws InterruptedException {
        TopConfig file = loadConfig();
        PrintWriter out = spec.commandLine().getOut();
        if (rules) {
            try {
                out.print(PrometheusRules.write(file.objectives(), rulesKind));
            } catch (IllegalArgumentException e) {
                throw new Main.CliException(Main.EXIT_USAGE, "top: --rules: " + e.getMessage());
            }
            out.flush();
            return 0;
        }
        Recording.Header recorded = replay == null ? null : replayHeader();
        Duration window = pick(
                this.window,
                file.window(),
                recorded != null && recorded.window().compareTo(Top.LONGEST_WINDOW) <= 0
                        ? recorded.window()
                        : Duration.ofSeconds(10));
        Duration interval = pick(
                this.interval,
                file.interval(),
                recorded != null && recorded.interval() != null ? recorded.interval() : Duration.ofSeconds(1));
        Duration timeout = pick(this.timeout, file.timeout(), Duration.ofSeconds(2));
        if (window.isNegative() || window.isZero() || window.compareTo(Top.LONGEST_WINDOW) > 0)
            throw new Main.CliException(Main.EXIT_USAGE, "top: --window must be more than 0 and at most 1m");
        if (interval.isNegative() || interval.isZero() || timeout.isNegative() || timeout.isZero())
            throw new Main.CliException(Main.EXIT_USAGE, "top: --interval and --timeout must be more than 0");
        InetSocketAddress bind = web == null ? null : webAddress();
        TlsOptions tls = new TlsOptions(caCert, insecure, null);
        PrintWriter err = spec.commandLine().getErr();
        try {
            Source source = recorded != null ? replaySource(recorded) : sources.source(file);
            if (recorded == null && (speed != null || at != null))
                throw new IllegalArgumentException("--speed and --at go with --replay FILE");
            Top.Record rec = record == null ? null : new Top.Record(record, sources.describe(file), window);
            Top.Settings settings = new Top.Settings(interval, timeout, tls, file.objectives(), file.cost(), rec);
            if (bind != null) return serve(source, settings, window, bind, out, err);
            if (once) {
                Snapshot s = Top.once(source, window, settings);
                out.print(json ? json(s, true) : SnapshotText.render(s));
                out.flush();
                report(s.recording(), err);
                return recorded != null // a replay read its file; what its targets said then is in the snapshot
                                || s.sourceError() == null
                                        && s.targets().stream().allMatch(t -> t.error() == null)
                        ? 0
                        : Main.EXIT_TARGET;
            }
            return live(source, settings, window, interval, out, err);
        } catch (IllegalArgumentException e) { // a URL, a Kubernetes option or kubeconfig, a CA file, a recording
            throw new Main.CliException(Main.EXIT_USAGE, "top: " + e.getMessage());
        }
    }

    /**
     * The table or JSON Lines every interval, until Ctrl-C; a replay's end is shown once more and then
     * kept (the table), or ends the command (JSON). A recording is closed on the way out, Ctrl-C
     * included, and what it holds is said on stderr.
     */
    private int live(
            Source source, Top.Settings settings, Duration window, Duration interval, PrintWriter out, PrintWriter err)
            throws InterruptedException {
        boolean terminal = System.console() != null && !json;
        Top top = Top.start(source, settings);
        Thread closer = new Thread(
                () -> {
                    top.close();
                    report(top.recording(), err);
                },
                "llmlab-top-shutdown");
        if (settings.record() != null) Runtime.getRuntime().addShutdownHook(closer);
        try {
            if (!json && terminal()) {
                try {
                    TerminalView.run(top, interval, window, settings.objectives());
                    return 0;
                } catch (java.io.IOException e) {
                    err.println("top: " + e.getMessage() + "; printing the table instead");
                }
            }
            boolean shownEnd = false;
            while (true) {
                Thread.sleep(interval.toMillis());
                Snapshot s = top.snapshot(window);
                boolean ended = s.recording() != null && s.recording().ended();
                if (ended && shownEnd) continue; // the replay's last view stays up until Ctrl-C
                if (json) out.print(json(s, false));
                else out.print((terminal ? "\033[H\033[2J" : System.lineSeparator()) + SnapshotText.render(s));
                out.flush();
                // the reader went away (`llmlab top URL | head`): PrintWriter keeps that to itself, so ask
                if (out.checkError()) return 0;
                shownEnd = ended;
                if (ended && json) return 0;
            }
        } finally {
            if (settings.record() != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(closer);
                    closer.run();
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running already
                }
            } else top.close();
        }
    }

    /** What a recording holds, or lost, on stderr: a recording that lost data must say so. */
    private static void report(RecordingStatus r, PrintWriter err) {
        if (r == null || r.replay()) return;
        err.println("top: recorded " + r.scrapes() + " scrapes to " + r.file());
        if (r.lost() > 0) err.println("top: the recording lost " + r.lost() + " scrapes: the disk did not keep up");
        if (r.note() != null) err.println("top: the recording " + r.file() + ": " + r.note());
        err.flush();
    }

    /** The recording's header, for its window and interval; a file that is not one is a usage error. */
    private Recording.Header replayHeader() {
        if (sources.any())
            throw new Main.CliException(
                    Main.EXIT_USAGE,
                    "top: --replay plays a recording instead of reading servers: drop the URLs, --k8s and"
                            + " --prometheus");
        if (record != null)
            throw new Main.CliException(
                    Main.EXIT_USAGE, "top: --replay and --record: a replay records nothing new, drop --record");
        try {
            return Recording.header(replay);
        } catch (IllegalArgumentException e) {
            throw new Main.CliException(Main.EXIT_USAGE, "top: --replay: " + e.getMessage());
        }
    }

    private Source.Replay replaySource(Recording.Header h) {
        Duration from = null;
        if (at != null) {
            try {
                Instant when = Instant.parse(at);
                from = Duration.between(h.started(), when);
                if (from.isNegative())
                    throw new IllegalArgumentException(
                            "--at " + at + " is before the recording's start, " + h.started());
            } catch (DateTimeParseException notAnInstant) {
                try {
                    from = dev.llmlab.core.time.Durations.parse(at);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--at wants an offset (90s, 5m) or an instant"
                            + " (2026-12-07T21:45:55Z), got '" + at + "'");
                }
            }
        }
        return new Source.Replay(replay, speed == null ? 1 : speed, from);
    }

    /** What the recording's header says was watched: the source's flags as given. */
    private TopConfig loadConfig() {
        if (config == null) return new TopConfig(null, null, null, null, null, null, null, null);
        try {
            return ConfigLoader.load(config, TopConfig.class);
        } catch (ConfigException e) {
            throw new Main.CliException(Main.EXIT_USAGE, "top: " + e.getMessage());
        }
    }

    private InetSocketAddress webAddress() {
        if (once)
            throw new Main.CliException(
                    Main.EXIT_USAGE, "top: --web runs until Ctrl-C, --once reads one window: choose one");
        if (json)
            throw new Main.CliException(
                    Main.EXIT_USAGE,
                    "top: --web serves JSON itself (/snapshot.json, and /events for each refresh): drop --json");
        try {
            return WebView.bindAddress(web);
        } catch (IllegalArgumentException e) {
            throw new Main.CliException(Main.EXIT_USAGE, "top: " + e.getMessage());
        }
    }

    private static Duration pick(Duration flag, Duration file, Duration otherwise) {
        return flag != null ? flag : file != null ? file : otherwise;
    }

    /** The web view until the process is stopped (Ctrl-C, SIGTERM), which ends its streams and stops top. */
    private int serve(
            Source source,
            Top.Settings settings,
            Duration window,
            InetSocketAddress bind,
            PrintWriter out,
            PrintWriter err)
            throws InterruptedException {
        Top top = Top.start(source, settings);
        WebView view;
        try {
            view = WebView.start(top, bind, settings.interval(), window);
        } catch (IllegalStateException e) { // the port is taken, or the address is not this machine's
            top.close();
            throw new Main.CliException(Main.EXIT_RUNTIME, "top: --web: " + e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            view.close();
                            top.close();
                            report(top.recording(), err);
                            stopped.countDown();
                        },
                        "llmlab-top-shutdown"));
        out.println("llmlab top: web view on " + view.url());
        out.flush();
        stopped.await();
        return 0;
    }

    /**
     * Whether standard input and output are a terminal. From JDK 22 a console may stand for
     * redirected streams too, and says so by isTerminal(), which this JDK 21 build calls by name.
     */
    private static boolean terminal() {
        java.io.Console c = System.console();
        if (c == null) return false;
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: a console is a terminal
        }
    }

    private static String json(Snapshot s, boolean pretty) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        SnapshotJson.write(s, b, pretty);
        return b.toString(StandardCharsets.UTF_8) + System.lineSeparator();
    }
}
