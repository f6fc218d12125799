package dev.llmlab.bench.scenario;

import dev.llmlab.bench.result.BenchResult;

/**
 * Runs one load level and returns its result (its {@code summary}, {@code metrics}, and {@code slo}
 * when targets were given). The CLI's runs a real client against the target; tests run the
 * simulator's engine on a virtual clock.
 */
@FunctionalInterface
public interface Prober {
    BenchResult probe(Load load);
}
