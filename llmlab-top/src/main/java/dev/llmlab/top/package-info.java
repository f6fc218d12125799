/**
 * {@code llmlab top}: a live view of what LLM servers say about themselves, one row per model and
 * per replica.
 *
 * <p>The flow: the {@link dev.llmlab.top.Target}s a {@link dev.llmlab.top.Discovery} lists (the URLs
 * given, or a Kubernetes fleet followed by {@code dev.llmlab.top.kube}) are scraped every second on
 * the shared HTTP client ({@code Scraper}, at most one GET out per target); each page is parsed and read as its
 * server kind by llmlab-metrics; {@code History} keeps each target's recent readings; a {@link
 * dev.llmlab.top.Snapshot} is built from the readings at the ends of a window (the last 10 s, the
 * last minute): rates from counter increases, gauges as last read, percentiles from the window's
 * bucket deltas merged across replicas by summing buckets, never by averaging percentiles. A
 * percentile whose rank falls in the {@code +Inf} bucket is only a lower bound, and is shown as
 * {@code >X}. Views render a snapshot: JSON ({@code --once --json}), a text table, the terminal UI
 * ({@link dev.llmlab.top.tui}) and the web view ({@link dev.llmlab.top.WebView}: a page that follows
 * the snapshots over Server-Sent Events); {@link dev.llmlab.top.Column} is their one list of figure
 * columns.
 * A session can be written as it is watched ({@code Recorder}: every scrape, in a {@link
 * dev.llmlab.top.Recording}) and played back later ({@code ReplayFeed}), on its own clock, through
 * the same views.
 *
 * <p>The public surface is {@link dev.llmlab.top.Top}, the snapshot's records and the views; the rest is
 * package-private. The definitions of every figure are in docs/top.md.
 */
package dev.llmlab.top;
