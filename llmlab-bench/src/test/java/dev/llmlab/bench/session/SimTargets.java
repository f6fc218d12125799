package dev.llmlab.bench.session;

import dev.llmlab.core.config.ConfigLoader;
import dev.llmlab.core.dist.Distributions;
import dev.llmlab.sim.Simulator;
import dev.llmlab.sim.catalog.Catalog.LatencyOverride;
import dev.llmlab.sim.config.SimConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Local targets for tests: the simulator (a test dependency of bench, as the CLI wires it in for
 * real) with 5 ms to the first token and 1 ms a token after, and a stand-in that serves nothing; both
 * count their starts and closes.
 */
final class SimTargets implements LocalTarget.Factory {
    final List<String> started = new ArrayList<>();
    int closed;
    private final boolean serve;

    private SimTargets(boolean serve) {
        this.serve = serve;
    }

    static SimTargets simulator() {
        return new SimTargets(true);
    }

    /** Targets at a closed port: for sessions that never send. */
    static SimTargets nothing() {
        return new SimTargets(false);
    }

    BenchSession.Wiring wiring() {
        return new BenchSession.Wiring(this, "0.0.0-test", java.util.Map.of(), warning -> {});
    }

    @Override
    public LocalTarget start(String args) {
        started.add(args);
        if (!serve) return target("http://127.0.0.1:1/v1", () -> {});
        SimConfig c = ConfigLoader.parse(
                "server: {host: 127.0.0.1, port: 0, io_threads: 1}\nseed: 1\n", "t.yaml", SimConfig.class);
        Simulator sim = Simulator.start(c, new LatencyOverride(Distributions.fixed(0.005), Distributions.fixed(0.001)));
        return target("http://127.0.0.1:" + sim.port() + "/v1", sim::close);
    }

    private LocalTarget target(String base, Runnable stop) {
        return new LocalTarget() {
            @Override
            public String baseUrl() {
                return base;
            }

            @Override
            public void close() {
                closed++;
                stop.run();
            }
        };
    }
}
