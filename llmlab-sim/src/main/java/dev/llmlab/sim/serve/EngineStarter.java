package dev.llmlab.sim.serve;

import dev.llmlab.core.random.Seeds;
import dev.llmlab.sim.catalog.Catalog;
import dev.llmlab.sim.catalog.EngineBinding;
import dev.llmlab.sim.metrics.SimMetrics;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Starts the engine deployments of a catalog on the engine's own event loop, one thread for every
 * replica of every deployment. Not on the server's I/O loops: there, a step's timer would wait
 * behind the socket writes of every stream the loop serves, and under heavy streaming load the
 * modelled GPU would slow down with the server's CPU. On its own loop a step costs microseconds
 * (docs/performance.md), so the engine keeps the model's time, and the tokens of each step go to
 * the I/O loops in one hand-off per loop ({@link Outbox}). Deployments kept from an earlier
 * catalog are already running and stay as they are. Thread-safe.
 */
public final class EngineStarter {
    private final SimMetrics metrics;
    private final double timeScale;
    private final Long seed;
    private DefaultEventLoopGroup group;
    private List<? extends ScheduledExecutorService> loops;
    private int next;

    public EngineStarter(SimMetrics metrics, double timeScale, Long seed) {
        this.metrics = metrics;
        this.timeScale = timeScale;
        this.seed = seed;
    }

    /** Starts the engine thread (once) and the deployments of {@code catalog} not yet running. */
    public synchronized void start(Catalog catalog) {
        if (catalog.engines().isEmpty() && group == null) return;
        if (group == null) {
            group = new DefaultEventLoopGroup(1, new DefaultThreadFactory("llmlab-engine", true));
            List<ScheduledExecutorService> l = new ArrayList<>();
            group.forEach(e -> l.add(e));
            loops = l;
        }
        for (EngineBinding b : catalog.engines()) {
            if (b.deployment() != null) continue;
            long s = seed != null ? Seeds.mix(seed, Seeds.hash64(b.model())) : Seeds.randomSeed();
            b.start(loops, next, timeScale, (model, spec) -> new EngineMetrics(metrics, model, spec), s);
            next += b.spec().replicas();
        }
    }

    /** Stops the engine thread; streams still open then get no more tokens. */
    public synchronized void shutdown() {
        if (group != null) group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }
}
