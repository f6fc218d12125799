package dev.llmlab.sim.catalog;

import dev.llmlab.sim.engine.Deployment;
import dev.llmlab.sim.engine.EngineClock;
import dev.llmlab.sim.engine.EngineObserver;
import dev.llmlab.sim.engine.EngineSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiFunction;

/**
 * A model's batching-engine deployment: its resolved settings from the catalog, and the live
 * {@link Deployment} once the server's event loops exist to run it. Shared by a model's aliases,
 * and kept across run-time configuration changes that leave its settings alone, so requests in
 * flight and the KV cache survive them. Thread-safe.
 */
public final class EngineBinding {
    private final String model;
    private final EngineSpec spec;
    private volatile Deployment deployment;

    EngineBinding(String model, EngineSpec spec) {
        this.model = model;
        this.spec = spec;
    }

    /** The configured model id (not an alias) the deployment reports its metrics under. */
    public String model() {
        return model;
    }

    public EngineSpec spec() {
        return spec;
    }

    /** The running deployment; null until {@link #start}. */
    public Deployment deployment() {
        return deployment;
    }

    /**
     * Starts the deployment once: replica {@code i} runs on {@code loops[(first + i) % n]}, in real
     * time scaled by {@code timeScale}.
     *
     * @param observers the metrics observer for this model
     */
    public synchronized void start(
            List<? extends ScheduledExecutorService> loops,
            int first,
            double timeScale,
            BiFunction<String, EngineSpec, EngineObserver> observers,
            long seed) {
        if (deployment != null) return;
        EngineObserver observer = observers.apply(model, spec);
        List<EngineClock> clocks = new ArrayList<>(spec.replicas());
        for (int i = 0; i < spec.replicas(); i++) {
            int replica = i;
            clocks.add(EngineClock.live(
                    loops.get(Math.floorMod(first + i, loops.size())),
                    timeScale,
                    late -> observer.stepLateness(replica, late)));
        }
        deployment = new Deployment(spec, clocks, observer, seed);
    }
}
