package dev.llmlab.cli;

import dev.llmlab.http.client.TlsOptions;
import dev.llmlab.top.Snapshot;
import dev.llmlab.top.SnapshotJson;
import dev.llmlab.top.SnapshotText;
import dev.llmlab.top.Target;
import dev.llmlab.top.Top;
import dev.llmlab.top.tui.TerminalView;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code llmlab top URL...}: parses, wires {@link Top} and prints its snapshots. */
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
            "Live on a terminal, a full-screen view refreshed every --interval: ? help, / filter, s S 1-9 0 sort,"
                    + " arrows select, Enter drill down (Esc back), e export the view as JSON to"
                    + " llmlab-top-YYYYMMDD-HHMMSS.json, p pause, q quit. Piped or redirected, it prints the table"
                    + " every --interval until Ctrl-C."
        })
final class TopCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(
            paramLabel = "URL",
            arity = "1..*",
            description = "Metrics URLs to watch; http://HOST:PORT means http://HOST:PORT/metrics.")
    List<String> urls;

    @Option(names = "--once", description = "Read every target twice, --window apart, print that window and exit.")
    boolean once;

    @Option(
            names = "--json",
            description = "Print JSON (with --once: one snapshot; live: one snapshot a line, JSON Lines).")
    boolean json;

    @Option(
            names = "--window",
            paramLabel = "DURATION",
            defaultValue = "10s",
            converter = SimCommand.DurationConverter.class,
            description = "The window rates and percentiles are over, at most 1m (default: ${DEFAULT-VALUE}).")
    Duration window;

    @Option(
            names = "--interval",
            paramLabel = "DURATION",
            defaultValue = "1s",
            converter = SimCommand.DurationConverter.class,
            description = "How often each target is read and the view refreshed (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "2s",
            converter = SimCommand.DurationConverter.class,
            description = "How long one read of a target may take (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--ca-cert", paramLabel = "FILE", description = "Trust this CA (PEM) for https targets.")
    Path caCert;

    @Option(names = "--insecure", description = "Do not verify https targets' certificates.")
    boolean insecure;

    @Override
    public Integer call() throws InterruptedException {
        List<Target> targets = new ArrayList<>();
        try {
            for (String u : urls) targets.add(Target.of(u));
        } catch (IllegalArgumentException e) {
            throw new Main.CliException(Main.EXIT_USAGE, "top: " + e.getMessage());
        }
        if (window.isNegative() || window.isZero() || window.compareTo(Top.LONGEST_WINDOW) > 0)
            throw new Main.CliException(Main.EXIT_USAGE, "top: --window must be more than 0 and at most 1m");
        if (interval.isNegative() || interval.isZero() || timeout.isNegative() || timeout.isZero())
            throw new Main.CliException(Main.EXIT_USAGE, "top: --interval and --timeout must be more than 0");
        TlsOptions tls = new TlsOptions(caCert, insecure, null);
        PrintWriter out = spec.commandLine().getOut();
        try {
            if (once) {
                Snapshot s = Top.once(targets, window, timeout, tls);
                out.print(json ? json(s, true) : SnapshotText.render(s));
                out.flush();
                return s.targets().stream().allMatch(t -> t.error() == null) ? 0 : Main.EXIT_TARGET;
            }
            try (Top top = Top.start(targets, interval, timeout, tls)) {
                if (!json && terminal()) {
                    try {
                        TerminalView.run(top, interval, window);
                        return 0;
                    } catch (java.io.IOException e) {
                        spec.commandLine().getErr().println("top: " + e.getMessage() + "; printing the table instead");
                    }
                }
                boolean terminal = System.console() != null && !json;
                while (true) {
                    Thread.sleep(interval.toMillis());
                    Snapshot s = top.snapshot(window);
                    if (json) out.print(json(s, false));
                    else out.print((terminal ? "\033[H\033[2J" : System.lineSeparator()) + SnapshotText.render(s));
                    out.flush();
                }
            }
        } catch (IllegalArgumentException e) { // a CA file that cannot be read
            throw new Main.CliException(Main.EXIT_USAGE, "top: " + e.getMessage());
        }
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
