package dev.llmlab.top;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each target's recent readings, for the longest window and a little more, and its last scrape
 * (read or failed). Bounded: readings older than {@code keep} are dropped as new ones come, and
 * those older than {@value #FINE_SECONDS} s are thinned to one per {@value #COARSE_SECONDS} s, so
 * that a target read every second keeps about 25 readings for a minute's window instead of 70;
 * a window of more than {@value #FINE_SECONDS} s is then up to {@value #COARSE_SECONDS} s longer
 * than asked, which its rows' {@link Figures#seconds()} say. A scrape of a target not seen before
 * adds it; {@link #retain} forgets the targets a discovery no longer lists. Thread-safe.
 */
final class History {
    static final int FINE_SECONDS = 11;
    static final int COARSE_SECONDS = 5;

    private final long keepNanos;
    private final Map<Target, Deque<Scrape>> readings = new LinkedHashMap<>();
    private final Map<Target, Scrape> last = new LinkedHashMap<>();

    History(List<Target> targets, long keepNanos) {
        this.keepNanos = keepNanos;
        for (Target t : targets) readings.put(t, new ArrayDeque<>());
    }

    /** Adds a scrape; returns the target's reading before it (null: none), for what counts events between them. */
    synchronized Scrape add(Scrape s) {
        Deque<Scrape> d = readings.computeIfAbsent(s.target(), t -> new ArrayDeque<>());
        last.put(s.target(), s);
        if (s.reading() == null) return null;
        Scrape before = d.peekLast();
        d.addLast(s);
        while (d.size() > 2 && s.atNanos() - d.peekFirst().atNanos() > keepNanos) d.removeFirst();
        thin(d, s.atNanos() - FINE_SECONDS * 1_000_000_000L);
        return before;
    }

    /** Keeps, of the readings before {@code fineFrom}, the oldest and then one at least COARSE_SECONDS after the last kept. */
    private static void thin(Deque<Scrape> d, long fineFrom) {
        long kept = Long.MIN_VALUE;
        for (java.util.Iterator<Scrape> it = d.iterator(); it.hasNext(); ) {
            Scrape s = it.next();
            if (s.atNanos() >= fineFrom) break;
            if (kept != Long.MIN_VALUE && s.atNanos() - kept < COARSE_SECONDS * 1_000_000_000L) it.remove();
            else kept = s.atNanos();
        }
    }

    /** Forgets every target but {@code targets}, and lists those not read yet, in their order. */
    synchronized void retain(List<Target> targets) {
        readings.keySet().retainAll(targets);
        last.keySet().retainAll(targets);
        for (Target t : targets) readings.computeIfAbsent(t, k -> new ArrayDeque<>());
    }

    synchronized List<Target> targets() {
        return List.copyOf(readings.keySet());
    }

    /** The target's last scrape, read or failed; null before the first ended. */
    synchronized Scrape last(Target t) {
        return last.get(t);
    }

    /**
     * The two readings that bound the last {@code windowNanos} of {@code t}: the latest, and the
     * latest at least that much older (the oldest kept when none is: a shorter window, which the
     * caller reads from their times). Null with fewer than two readings.
     */
    synchronized Scrape[] window(Target t, long windowNanos) {
        Deque<Scrape> d = readings.get(t);
        if (d == null || d.size() < 2) return null;
        Scrape after = d.peekLast();
        Scrape before = d.peekFirst();
        for (Scrape s : d) {
            if (after.atNanos() - s.atNanos() >= windowNanos) before = s;
            else break;
        }
        return new Scrape[] {before, after};
    }
}
