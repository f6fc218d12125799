/**
 * A bench session: from {@link dev.llmlab.bench.session.SessionOptions} (every setting of a bench
 * command, typed) to a target, prompts, targets and one client, on which it runs load plans and
 * builds their results; and what runs on it: a single run or a shard of one
 * ({@link dev.llmlab.bench.session.Shard}), a scenario's levels
 * ({@link dev.llmlab.bench.session.ScenarioRun}), a stress shape
 * ({@link dev.llmlab.bench.session.StressRun}). A target bench starts itself, such as the embedded
 * simulator, comes through {@link dev.llmlab.bench.session.LocalTarget}, so that bench never
 * depends on what serves it. Errors are {@link dev.llmlab.bench.session.BenchException}s that say
 * whether the settings, a configuration or the run was at fault.
 */
package dev.llmlab.bench.session;
