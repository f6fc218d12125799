package dev.llmlab.top;

import dev.llmlab.core.time.Durations;
import dev.llmlab.metrics.HistogramPoint;
import dev.llmlab.metrics.Histograms;
import dev.llmlab.metrics.Quantity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Tracks each SLO for each model it covers, for six hours, in 10 s slots.
 *
 * <p><b>Events.</b> An SLO is a share of good events (Google's SRE workbook, "Implementing SLOs"):
 * requests that succeeded, or whose latency was within the threshold. Servers export counters and
 * histograms, not events, so each new reading of a target is compared with that target's previous
 * one: the increase of its counters and the delta of its histograms (llmlab-metrics' reset rules)
 * are the events between them. A latency SLO's good events are the delta's count at the threshold
 * ({@link Histograms#countAtMost}): exact when the threshold is a bucket bound, else interpolated,
 * and said so. Goodput (succeeded within ttft and e2e) cannot be read exactly from separate
 * histograms, which do not say which requests were slow in both; top counts its lower bound,
 * successes less the requests over either threshold (Fréchet's bound), and says so.
 *
 * <p><b>Windows.</b> The events of every replica of a model add up into the slot of the reading's
 * time; a window sums its slots. The burn rate over a window is its bad share over the share the
 * SLO allows, so that 1 spends the budget exactly as fast as the objective permits. Alerts follow
 * {@link Objectives}. Memory is bounded: {@value #SLOTS} slots per SLO and model, and at most
 * {@value #MAX_TRACKS} of those (the least recently fed dropped first).
 *
 * <p>Thread-safe.
 */
final class SloBook {
    static final Duration SLOT = Duration.ofSeconds(10);
    static final Duration KEEP = Duration.ofHours(6);
    static final int SLOTS = (int) (KEEP.toSeconds() / SLOT.toSeconds());
    static final int MAX_TRACKS = 1000;
    private static final long SLOT_NANOS = SLOT.toNanos();

    private final Objectives objectives;
    private final List<Duration> windows;
    private final Map<String, Track> tracks = new LinkedHashMap<>(16, 0.75f, true);

    SloBook(Objectives objectives) {
        this.objectives = objectives;
        TreeSet<Duration> w = new TreeSet<>(List.of(
                Duration.ofMinutes(1),
                objectives.page().shortWindow(),
                objectives.page().longWindow(),
                objectives.ticket().shortWindow(),
                objectives.ticket().longWindow()));
        this.windows = List.copyOf(w);
    }

    boolean isEmpty() {
        return objectives.slos().isEmpty();
    }

    /** The events between two consecutive readings of one target; {@code before} null: its first, none. */
    synchronized void observe(Scrape before, Scrape after) {
        if (isEmpty() || before == null || before.reading() == null || after.reading() == null) return;
        long slot = Math.floorDiv(after.atNanos(), SLOT_NANOS);
        for (Map.Entry<String, Reading.Model> m : after.reading().models().entrySet()) {
            Reading.Model b = before.reading().models().get(m.getKey());
            for (Slo slo : objectives.slos()) {
                if (!slo.covers(m.getKey())) continue;
                Track t = track(slo, m.getKey());
                Events e = events(slo, b, m.getValue());
                if (e.unmeasurable != null) t.unmeasurable = e.unmeasurable;
                else t.add(slot, before.atNanos(), e.good, e.total, e.exact);
            }
        }
    }

    private Track track(Slo slo, String model) {
        String key = slo.name() + "\u0000" + model;
        Track t = tracks.get(key);
        if (t == null) {
            if (tracks.size() >= MAX_TRACKS)
                tracks.remove(tracks.keySet().iterator().next());
            t = new Track(slo, model);
            tracks.put(key, t);
        }
        return t;
    }

    /** Good and total events, or why there are none to count. */
    record Events(double good, double total, boolean exact, String unmeasurable) {
        static Events none(String why) {
            return new Events(0, 0, true, why);
        }
    }

    static Events events(Slo slo, Reading.Model before, Reading.Model after) {
        return switch (slo.metric()) {
            case TTFT -> latency(Quantity.TTFT, slo, before, after);
            case ITL -> latency(Quantity.ITL, slo, before, after);
            case E2E -> latency(Quantity.E2E, slo, before, after);
            case ERRORS -> {
                double ok = Fleet.increase(before, after, Quantity.REQUESTS_SUCCEEDED);
                double failed = Fleet.increase(before, after, Quantity.REQUESTS_FAILED);
                if (Double.isNaN(failed) || Double.isNaN(ok)) yield Events.none("the server counts no failed requests");
                yield new Events(ok, ok + failed, true, null);
            }
            case GOODPUT -> goodput(slo, before, after);
        };
    }

    private static Events latency(Quantity q, Slo slo, Reading.Model before, Reading.Model after) {
        HistogramPoint h = Fleet.window(before, after, q);
        if (h == null)
            return Events.none("the server exports no " + slo.metric().label() + " histogram");
        if (h.buckets().isEmpty()) return new Events(0, 0, true, null); // exported, no series of this model yet
        Histograms.AtMost a = Histograms.countAtMost(slo.threshold().toNanos() / 1e9, h);
        return new Events(a.count(), a.total(), a.exact(), null);
    }

    private static Events goodput(Slo slo, Reading.Model before, Reading.Model after) {
        double ok = Fleet.increase(before, after, Quantity.REQUESTS_SUCCEEDED);
        if (Double.isNaN(ok)) return Events.none("the server counts no successful requests");
        double failed = Fleet.increase(before, after, Quantity.REQUESTS_FAILED);
        double ended = Double.isNaN(failed) ? ok : ok + failed;
        double slow = 0;
        boolean exact = true;
        Quantity[] qs = {Quantity.TTFT, Quantity.E2E};
        java.time.Duration[] bounds = {slo.ttft(), slo.e2e()};
        for (int i = 0; i < qs.length; i++) {
            if (bounds[i] == null) continue;
            HistogramPoint h = Fleet.window(before, after, qs[i]);
            if (h == null)
                return Events.none("the server exports no " + qs[i].name().toLowerCase() + " histogram");
            if (h.buckets().isEmpty()) continue;
            Histograms.AtMost a = Histograms.countAtMost(bounds[i].toNanos() / 1e9, h);
            double over = a.total() - a.count();
            slow += over;
            exact &= a.exact() && over == 0; // with slow requests in both, which overlap is unknown
        }
        return new Events(Math.max(0, ok - slow), ended, exact && slow == 0, null);
    }

    /** Every track's standing at {@code nowNanos}, by SLO in config order, then model. */
    synchronized List<SloStatus> status(long nowNanos) {
        List<SloStatus> out = new ArrayList<>();
        long now = Math.floorDiv(nowNanos, SLOT_NANOS);
        for (Slo slo : objectives.slos()) {
            List<Track> mine = new ArrayList<>();
            for (Track t : tracks.values()) if (t.slo == slo) mine.add(t);
            mine.sort(java.util.Comparator.comparing(t -> t.model));
            for (Track t : mine) out.add(t.status(now, nowNanos));
        }
        return out;
    }

    /** One SLO on one model: a ring of slots, slot {@code i} at {@code i % SLOTS}. */
    private final class Track {
        final Slo slo;
        final String model;
        final long[] index = new long[SLOTS];
        final double[] good = new double[SLOTS];
        final double[] total = new double[SLOTS];
        final boolean[] estimated = new boolean[SLOTS];
        long sinceNanos = Long.MAX_VALUE; // the earliest reading its events were counted from
        String unmeasurable;

        Track(Slo slo, String model) {
            this.slo = slo;
            this.model = model;
            java.util.Arrays.fill(index, Long.MIN_VALUE);
        }

        void add(long slot, long fromNanos, double g, double t, boolean exact) {
            int i = (int) Math.floorMod(slot, (long) SLOTS);
            if (index[i] != slot) {
                index[i] = slot;
                good[i] = 0;
                total[i] = 0;
                estimated[i] = false;
            }
            good[i] += g;
            total[i] += t;
            estimated[i] |= !exact;
            sinceNanos = Math.min(sinceNanos, fromNanos);
            unmeasurable = null;
        }

        /** Sums of the last {@code slots} slots up to {@code now}: good, total, and 1 when any was estimated. */
        double[] sum(long now, long slots) {
            double g = 0;
            double t = 0;
            double est = 0;
            for (long k = now - slots + 1; k <= now; k++) {
                int i = (int) Math.floorMod(k, (long) SLOTS);
                if (index[i] != k) continue;
                g += good[i];
                t += total[i];
                if (estimated[i]) est = 1;
            }
            return new double[] {g, t, est};
        }

        SloStatus status(long now, long nowNanos) {
            double budget = 1 - slo.target();
            double watched = sinceNanos == Long.MAX_VALUE ? 0 : (nowNanos - sinceNanos) / 1e9;
            List<SloStatus.Window> ws = new ArrayList<>(windows.size());
            boolean estimate = false;
            Map<Duration, Double> burns = new LinkedHashMap<>();
            for (Duration w : windows) {
                long slots = Math.max(1, w.toNanos() / SLOT_NANOS);
                double[] s = sum(now, slots);
                estimate |= s[2] > 0;
                double attainment = s[1] > 0 ? s[0] / s[1] : Double.NaN;
                double burn = s[1] > 0 ? (1 - attainment) / budget : 0;
                burns.put(w, burn);
                ws.add(new SloStatus.Window(
                        Durations.format(w),
                        w.toSeconds(),
                        Math.min(w.toSeconds(), watched),
                        s[0],
                        s[1],
                        attainment,
                        burn));
            }
            String alert = null;
            if (firing(objectives.page(), burns, watched)) alert = "page";
            else if (firing(objectives.ticket(), burns, watched)) alert = "ticket";
            return new SloStatus(
                    slo.name(),
                    model,
                    slo.describe(),
                    slo.target(),
                    List.copyOf(ws),
                    unmeasurable == null ? alert : null,
                    trend(now, budget),
                    estimate,
                    unmeasurable);
        }

        private boolean firing(Objectives.Rule r, Map<Duration, Double> burns, double watched) {
            return watched >= r.shortWindow().toSeconds()
                    && burns.get(r.longWindow()) >= r.burn()
                    && burns.get(r.shortWindow()) >= r.burn();
        }

        /** Least squares through each slot's burn over the trend window, x in minutes before now. */
        private SloStatus.Trend trend(long now, double budget) {
            long slots = objectives.trend().toNanos() / SLOT_NANOS;
            double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0;
            for (long k = now - slots + 1; k <= now; k++) {
                int i = (int) Math.floorMod(k, (long) SLOTS);
                if (index[i] != k || !(total[i] > 0)) continue;
                double x = (k - now) * SLOT.toSeconds() / 60.0;
                double y = (1 - good[i] / total[i]) / budget;
                n++;
                sx += x;
                sy += y;
                sxx += x * x;
                sxy += x * y;
                syy += y * y;
            }
            double seconds = objectives.trend().toSeconds();
            if (n < 3) return new SloStatus.Trend(Double.NaN, Double.NaN, Double.NaN, (int) n, seconds, Double.NaN);
            double vx = n * sxx - sx * sx;
            double vy = n * syy - sy * sy;
            double slope = vx > 0 ? (n * sxy - sx * sy) / vx : 0;
            double intercept = (sy - slope * sx) / n; // the line at x = 0: now
            double r2 = vx > 0 && vy > 0 ? Math.pow(n * sxy - sx * sy, 2) / (vx * vy) : (vy == 0 ? 1 : 0);
            double minutes = intercept >= 1 ? 0 : slope > 0 ? (1 - intercept) / slope : Double.NaN;
            return new SloStatus.Trend(intercept, slope, r2, (int) n, seconds, minutes);
        }
    }
}
