package dev.llmlab.sim.serve;

import dev.llmlab.sim.engine.EngineObserver;
import dev.llmlab.sim.engine.EngineSpec;
import dev.llmlab.sim.metrics.SimMetrics;
import dev.llmlab.sim.metrics.SimMetrics.ReplicaMetrics;

/**
 * Feeds a deployment's engine events into vLLM's metrics, per replica, and at the end of each
 * step sends the tokens it produced to their connections ({@link Outbox}).
 */
final class EngineMetrics implements EngineObserver {
    private final ReplicaMetrics[] replicas;

    EngineMetrics(SimMetrics metrics, String model, EngineSpec spec) {
        replicas = new ReplicaMetrics[spec.replicas()];
        for (int i = 0; i < replicas.length; i++) {
            replicas[i] = metrics.replica(model, i);
            replicas[i].state(0, 0, 0);
        }
    }

    @Override
    public void stepEnded(int replica, int running, int waiting, double kvUsage) {
        replicas[replica].state(running, waiting, kvUsage);
        Outbox.flush();
    }

    @Override
    public void preempted(int replica) {
        replicas[replica].preempted();
    }

    @Override
    public void prefixLookup(int replica, long queried, long hits) {
        replicas[replica].prefixLookup(queried, hits);
    }

    @Override
    public void requestFinished(int replica, long queueNanos, long prefillNanos, long decodeNanos) {
        replicas[replica].requestPhases(queueNanos, prefillNanos, decodeNanos);
    }

    @Override
    public void stepLateness(int replica, long nanos) {
        replicas[replica].stepLateness(nanos);
    }
}
