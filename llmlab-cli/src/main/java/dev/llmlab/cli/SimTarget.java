package dev.llmlab.cli;

import dev.llmlab.bench.session.BenchException;
import dev.llmlab.bench.session.BenchSession;
import dev.llmlab.bench.session.LocalTarget;
import dev.llmlab.sim.Simulator;
import dev.llmlab.sim.config.ServerConfig;
import dev.llmlab.sim.config.SimConfig;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine;

/**
 * The simulator as bench's local target: {@code --sim-args} parsed as {@code llmlab sim}'s flags,
 * served on a free loopback port. Where the two features meet, so that neither imports the other.
 */
final class SimTarget implements LocalTarget {
    /**
     * What every bench command hands its session: this simulator, the running command's environment
     * (the process's, or a test's) and its error stream for warnings.
     */
    static BenchSession.Wiring wiring() {
        return new BenchSession.Wiring(SimTarget::start, Simulator.version(), Main.environment(), warning -> {
            Main.err().println(warning);
            Main.err().flush();
        });
    }

    private final Simulator sim;

    private SimTarget(Simulator sim) {
        this.sim = sim;
    }

    @Override
    public String baseUrl() {
        return sim.scheme() + "://127.0.0.1:" + sim.port() + "/v1";
    }

    @Override
    public void close() {
        sim.close();
    }

    static SimTarget start(String simArgs) {
        // The embedded server's own start and stop lines would interleave with the benchmark's output.
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logback) {
            logback.getLogger("dev.llmlab.http").setLevel(ch.qos.logback.classic.Level.WARN);
        }
        SimCommand simCommand = new SimCommand();
        try {
            new CommandLine(simCommand)
                    .parseArgs(
                            simArgs.isBlank() ? new String[0] : simArgs.strip().split("\\s+"));
        } catch (CommandLine.ParameterException e) {
            throw new BenchException(BenchException.Kind.USAGE, "--sim-args: " + e.getMessage());
        }
        // a bad config file or flag is the CLI's own error, with its exit code
        SimConfig user = simCommand
                .userConfig()
                .overlay(SimConfig.builder()
                        .server(ServerConfig.builder().host("127.0.0.1").port(0).build())
                        .build());
        Simulator s;
        try {
            s = Simulator.start(user, simCommand.latencyOverride());
        } catch (IllegalArgumentException e) {
            throw new BenchException(BenchException.Kind.CONFIG, "--sim-args: " + e.getMessage());
        }
        // Its tokenizer tables load in the background; a run that overlapped that would measure the load.
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!s.isWarm() && System.nanoTime() < deadline) LockSupport.parkNanos(5_000_000);
        return new SimTarget(s);
    }
}
