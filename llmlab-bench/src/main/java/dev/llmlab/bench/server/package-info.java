/**
 * The server-side view of a bench run: {@link dev.llmlab.bench.server.Scraper} samples the target's
 * Prometheus metrics ({@code --scrape}), {@link dev.llmlab.bench.server.EnergyMeter} the energy this
 * machine used. Both are observers: they never fail a run, and report what they could not read as
 * an error or "unavailable" in the result, never as a zero. See docs/server-metrics.md.
 */
package dev.llmlab.bench.server;
