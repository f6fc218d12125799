/**
 * A bench result as immutable records, the one shape every part of bench writes and reads: a run
 * ({@link dev.llmlab.bench.result.BenchResult} with its config, environment, summary, metrics and
 * per-second series) and the sections a command adds (targets' verdicts, a baseline comparison, a
 * sweep or search, stress bursts, server scrapes, energy). {@link dev.llmlab.bench.result.ResultJson}
 * maps them to and from the versioned JSON of docs/bench.md. Nothing here measures or decides; it
 * depends on no other part of bench.
 */
package dev.llmlab.bench.result;
