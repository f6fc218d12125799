package dev.llmlab.bench.scenario;

import tools.jackson.databind.node.ObjectNode;

/**
 * Runs one load level and returns its result JSON (docs/bench.md: {@code summary}, {@code metrics},
 * {@code slo} when targets were given). The CLI's runs a real client against the target; tests
 * run the simulator's engine on a virtual clock.
 */
@FunctionalInterface
public interface Prober {
    ObjectNode probe(Load load);
}
