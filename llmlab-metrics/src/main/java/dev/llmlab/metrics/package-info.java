/**
 * Reading what LLM servers say about themselves: Prometheus text and OpenMetrics pages, the server
 * kinds that wrote them, and quantiles of what happened between two scrapes.
 *
 * <h2>Why a module of its own</h2>
 *
 * bench samples a target's queue while it loads it ({@code --scrape}), the simulator must print the
 * same names as vLLM so that dashboards built for vLLM read it, and the monitor to come scrapes
 * fleets of replicas many times a second. All three need one reader and one list of names, and
 * none of them may depend on another, so the reader sits below them, with no dependency beyond the
 * JDK.
 *
 * <h2>The three layers</h2>
 *
 * <ol>
 *   <li><b>Parse.</b> {@link dev.llmlab.metrics.Exposition#parse} reads a page in one pass into
 *       {@link dev.llmlab.metrics.Sample}s and typed {@link dev.llmlab.metrics.MetricFamily
 *       families} (counter, gauge, histogram, gauge histogram, summary, info, stateset, unknown).
 *       It is tolerant the way a monitor must be: a page is whatever a foreign server, a version in
 *       transition or a proxy sent, so a line that does not parse costs that line and never the
 *       page, and nothing throws. It reads what real servers print, including what the formats'
 *       specifications do not: counters without {@code _total}, histograms without {@code +Inf},
 *       TYPE without HELP, Python's separate {@code _created} gauges, DCGM's sentinels near 2^63.
 *       Specifications: the Prometheus text format 0.0.4 (prometheus.io, "Exposition formats")
 *       and OpenMetrics 1.0 (github.com/OpenObservability/OpenMetrics, specification/OpenMetrics.md).
 *   <li><b>Name.</b> {@link dev.llmlab.metrics.ServerKind#detect} tells from a page's names which
 *       stack wrote it (vLLM, SGLang, TGI, llama.cpp, TensorRT-LLM, Triton, Dynamo, LiteLLM, the
 *       DCGM exporter, or llmlab's simulator), and {@link dev.llmlab.metrics.ServerReading} gives
 *       each {@link dev.llmlab.metrics.Quantity} (running, waiting, KV-cache use, TTFT, ...) from
 *       whichever alias that version used, in one unit. {@link dev.llmlab.metrics.VllmNames} and
 *       {@link dev.llmlab.metrics.LlmlabNames} are the names the simulator exports.
 *   <li><b>Window.</b> {@link dev.llmlab.metrics.Histograms} turns two scrapes of cumulative buckets
 *       into quantiles of the window between them, merged across replicas by summing buckets, never
 *       by averaging percentiles, and says when an answer is only a lower bound; {@link
 *       dev.llmlab.metrics.Counters} does the same for counters. Both follow Prometheus' rules, so
 *       that their figures agree with a {@code histogram_quantile} over the same window.
 * </ol>
 *
 * <p>Everything public is immutable and thread-safe. The definitions of the numbers, the alias
 * tables with their sources, and the rules for resets and capped quantiles are written out in
 * docs/server-metrics.md.
 */
package dev.llmlab.metrics;
