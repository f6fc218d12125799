package dev.llmlab.bench.session;

import dev.llmlab.bench.measure.Recorder;
import dev.llmlab.bench.run.LoadPlan;
import java.util.Locale;

/**
 * Once a second on a terminal: what runs (a scenario's level), requests done (of how many), rate,
 * errors, TTFT p50, elapsed and what is left, on one line of standard error that each second
 * overwrites and {@link #close} clears.
 */
final class ProgressLine implements AutoCloseable {
    private final Thread thread;

    private ProgressLine(Thread thread) {
        this.thread = thread;
    }

    /**
     * Starts one when standard error is a terminal; null otherwise (a pipe or file gets no progress).
     *
     * @param label what runs, said first ({@code level 2 of 7, 4.0 req/s}); "" for nothing
     */
    static ProgressLine start(Recorder recorder, LoadPlan plan, long originNanos, String label) {
        if (System.console() == null) return null;
        return new ProgressLine(Thread.ofPlatform()
                .daemon()
                .name("llmlab-bench-progress")
                .start(() -> loop(recorder, plan, originNanos, label)));
    }

    private static void loop(Recorder recorder, LoadPlan plan, long origin, String label) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            System.err.print("\r\033[K" + text(recorder.progress(), plan, (System.nanoTime() - origin) / 1e9, label));
            System.err.flush();
        }
    }

    /**
     * The line after {@code elapsed} seconds.
     *
     * @param p the recorder's progress: completed, failed, TTFT p50 (ms, NaN without one)
     */
    static String text(double[] p, LoadPlan plan, double elapsed, String label) {
        long done = (long) (p[0] + p[1]);
        String total = plan.maxRequests() > 0 ? "/" + plan.maxRequests() : "";
        // past its duration a run sends nothing more and waits, at most the drain, for what is in flight
        boolean draining = plan.seconds() > 0 && elapsed > plan.seconds();
        double left = plan.seconds() > 0
                ? Math.max(0, (draining ? plan.seconds() + plan.drainSeconds() : plan.seconds()) - elapsed)
                : plan.maxRequests() > 0 && done > 0 ? elapsed * (plan.maxRequests() - done) / done : Double.NaN;
        return String.format(
                Locale.ROOT,
                "%s%d%s done, %.1f req/s, %d errors, TTFT p50 %s, %.0f s elapsed%s",
                label.isEmpty() ? "" : label + ": ",
                done,
                total,
                done / elapsed,
                (long) p[1],
                Double.isNaN(p[2]) ? "-" : String.format(Locale.ROOT, "%.1f ms", p[2]),
                elapsed,
                Double.isNaN(left)
                        ? ""
                        : draining
                                ? String.format(
                                        Locale.ROOT,
                                        ", sending done; waiting for requests in flight, at most %.0f s more",
                                        left)
                                : String.format(Locale.ROOT, ", about %.0f s left", left));
    }

    @Override
    public void close() {
        thread.interrupt();
        System.err.print("\r\033[K");
    }
}
