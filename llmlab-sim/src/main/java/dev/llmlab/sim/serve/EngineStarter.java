package dev.llmlab.sim.serve;

import dev.llmlab.core.random.Seeds;
import dev.llmlab.sim.catalog.Catalog;
import dev.llmlab.sim.catalog.EngineBinding;
import dev.llmlab.sim.metrics.SimMetrics;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Starts the engine deployments of a catalog on the server's event loops: replicas are spread
 * over the loops in turn, across deployments, so that eight replicas on two loops put four on
 * each. Deployments kept from an earlier catalog are already running and stay as they are.
 * Thread-safe.
 */
public final class EngineStarter {
  private final SimMetrics metrics;
  private final double timeScale;
  private final Long seed;
  private List<? extends ScheduledExecutorService> loops;
  private int next;

  public EngineStarter(SimMetrics metrics, double timeScale, Long seed) {
    this.metrics = metrics;
    this.timeScale = timeScale;
    this.seed = seed;
  }

  public synchronized void bind(List<? extends ScheduledExecutorService> loops) {
    this.loops = loops;
  }

  public synchronized void start(Catalog catalog) {
    if (loops == null) throw new IllegalStateException("no event loops bound yet");
    for (EngineBinding b : catalog.engines()) {
      if (b.deployment() != null) continue;
      long s = seed != null ? Seeds.mix(seed, Seeds.hash64(b.model())) : Seeds.randomSeed();
      b.start(loops, next, timeScale, (model, spec) -> new EngineMetrics(metrics, model, spec), s);
      next += b.spec().replicas();
    }
  }
}
