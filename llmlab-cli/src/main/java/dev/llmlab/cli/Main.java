package dev.llmlab.cli;

import dev.llmlab.bench.session.BenchException;
import dev.llmlab.bench.session.Checks;
import dev.llmlab.sim.Simulator;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code llmlab} command. Exit codes (the README's table): 0 success, 1 runtime failure (for
 * example the port is taken), 2 usage error (unknown flag, bad value), 3 configuration error, 4 the
 * target failed bench's check request (nothing was measured); a measured run that failed checks
 * exits 16 plus a bit per failed check ({@link #exitCode(Checks)}).
 */
@Command(
        name = "llmlab",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description =
                "LLM serving performance toolkit: an LLM API simulator, a load generator, a gateway and a live monitor.",
        subcommands = {
            SimCommand.class,
            BenchCommand.class,
            GatewayCommand.class,
            TopCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    static final int EXIT_RUNTIME = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_CONFIG = 3;
    static final int EXIT_TARGET = 4;
    /** Interrupted by Ctrl-C (128 + SIGINT), after writing what was measured. */
    static final int EXIT_INTERRUPTED = 130;
    /** A measured run that failed checks: this plus each failed check's bit. */
    static final int EXIT_CHECKS = 16;

    static final int CHECK_INVALID = 1;
    static final int CHECK_ERRORS = 2;
    static final int CHECK_SLO = 4;
    static final int CHECK_REGRESSED = 8;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // Netty samples buffers for leak reports by default, recording a stack trace per sample: a
        // measurable cost per streamed token. Tests run with it on; the shipped server turns it off
        // unless the user asks for it.
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            System.setProperty("io.netty.leakDetection.level", "disabled");
        }
        // Netty's buffer allocator registers JFR event types on its first chunk, which starts JFR's
        // metadata repository: a sixth of the CPU of a cold start, for events nobody is recording.
        // -Dio.netty.jfr.enabled=true brings them back for a JFR session.
        if (System.getProperty("io.netty.jfr.enabled") == null) {
            System.setProperty("io.netty.jfr.enabled", "false");
        }
        if (args.length > 0 && args[0].equals("sim")) {
            Simulator.preloadAsync(); // overlaps catalog parsing and Netty set-up with argument parsing
        }
        System.exit(run(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args));
    }

    static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        return run(out, err, System.getenv(), args);
    }

    /** The environment the running command sees: the process's, or a test's (see {@link #run(java.io.PrintWriter, java.io.PrintWriter, java.util.Map, String...)}). */
    private static final ThreadLocal<java.util.Map<String, String>> ENVIRONMENT =
            ThreadLocal.withInitial(System::getenv);

    static java.util.Map<String, String> environment() {
        return ENVIRONMENT.get();
    }

    /** Where the running command's warnings go: its error writer (a test's, in tests). */
    private static final ThreadLocal<java.io.PrintWriter> ERR =
            ThreadLocal.withInitial(() -> new java.io.PrintWriter(System.err, true));

    static java.io.PrintWriter err() {
        return ERR.get();
    }

    /** Runs with {@code env} in place of the process's environment (proxy variables, API keys): for tests. */
    static int run(
            java.io.PrintWriter out, java.io.PrintWriter err, java.util.Map<String, String> env, String... args) {
        ENVIRONMENT.set(env);
        ERR.set(err);
        try {
            return execute(out, err, args);
        } finally {
            ENVIRONMENT.remove();
            ERR.remove();
        }
    }

    private static int execute(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExitCodeExceptionMapper(e -> e instanceof CliException ce
                ? ce.exitCode
                : e instanceof BenchException be
                        ? exitCode(be)
                        : e instanceof CommandLine.ParameterException ? EXIT_USAGE : EXIT_RUNTIME);
        cli.setParameterExceptionHandler((e, a) -> {
            CommandLine cmd = e.getCommandLine();
            cmd.getErr().println(cmd.getColorScheme().errorText("llmlab: " + describe(e)));
            cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for the options.");
            return EXIT_USAGE;
        });
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof CliException ce) {
                cmd.getErr().println(cmd.getColorScheme().errorText("llmlab: " + ce.getMessage()));
                return ce.exitCode;
            }
            if (e instanceof BenchException be) {
                cmd.getErr().println(cmd.getColorScheme().errorText("llmlab: " + be.getMessage()));
                return exitCode(be);
            }
            throw e;
        });
        cli.setExecutionStrategy(parsed -> {
            // `llmlab bench --url X sweep` would give --url to bench, which does not run, and sweep would
            // measure its embedded simulator: refuse rather than ignore a flag.
            for (CommandLine.ParseResult p = parsed; p.subcommand() != null; p = p.subcommand()) {
                if (!p.matchedOptions().isEmpty()) {
                    String sub = p.subcommand().commandSpec().name();
                    throw new CommandLine.ParameterException(
                            p.subcommand().commandSpec().commandLine(),
                            "give "
                                    + p.matchedOptions().getFirst().longestName() + " after '" + sub + "': `"
                                    + p.subcommand().commandSpec().qualifiedName() + " "
                                    + p.matchedOptions().getFirst().longestName()
                                    + " ...`; flags before it belong to '"
                                    + p.commandSpec().name() + "', which does not run");
                }
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * A parse error in the user's words: an unknown flag with the nearest known one ("did you
     * mean"), as the config loader suggests the nearest key; a value a converter refused with the
     * converter's own message and without picocli's Java exception text.
     */
    static String describe(CommandLine.ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException u && u.isUnknownOption()) {
            String typed = u.getUnmatched().stream()
                    .filter(a -> a.startsWith("-"))
                    .findFirst()
                    .orElse(u.getUnmatched().getFirst());
            int eq = typed.indexOf('=');
            String flag = eq > 0 ? typed.substring(0, eq) : typed;
            java.util.List<String> names = new java.util.ArrayList<>();
            for (var option : e.getCommandLine().getCommandSpec().options()) {
                if (!option.hidden()) names.addAll(java.util.List.of(option.names()));
            }
            String near = dev.llmlab.core.config.Suggestions.nearest(flag, names);
            return "unknown option '" + flag + "'" + (near != null ? " (did you mean " + near + "?)" : "");
        }
        return e.getMessage();
    }

    /**
     * A measured run's exit code: 0 when every check passed, else 16 plus 1 (invalid), 2 (errors
     * over --max-errors), 4 (an SLO target missed) and 8 (worse than --baseline) for each that
     * failed, so that 25 says invalid and regressed.
     */
    static int exitCode(Checks checks) {
        if (checks.passed()) return 0;
        int code = EXIT_CHECKS;
        for (String f : checks.failed()) {
            code |= switch (f) {
                case Checks.INVALID -> CHECK_INVALID;
                case Checks.ERRORS -> CHECK_ERRORS;
                case Checks.SLO -> CHECK_SLO;
                case Checks.REGRESSED -> CHECK_REGRESSED;
                default -> throw new IllegalStateException("unknown check " + f);
            };
        }
        return code;
    }

    /** Bench's errors as the README's exit codes. */
    static int exitCode(BenchException e) {
        return switch (e.kind()) {
            case USAGE -> EXIT_USAGE;
            case CONFIG -> EXIT_CONFIG;
            case RUNTIME -> EXIT_RUNTIME;
            case TARGET -> EXIT_TARGET;
        };
    }

    /** An error already explained to the user, with the exit code it maps to. */
    static final class CliException extends RuntimeException {
        final int exitCode;

        CliException(int exitCode, String message) {
            super(message, null, false, false);
            this.exitCode = exitCode;
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "llmlab " + Simulator.version(),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")",
                "OS " + System.getProperty("os.name") + " " + System.getProperty("os.arch")
            };
        }
    }
}
