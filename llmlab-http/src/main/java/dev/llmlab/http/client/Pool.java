package dev.llmlab.http.client;

import java.util.ArrayDeque;

/**
 * One event loop's keep-alive connections to one route. Bounded: at most {@code maxIdle} idle
 * connections; a connection idle longer than the expiry is closed by the loop's sweep. Confined to
 * its loop's thread.
 *
 * <p>Which idle connection a request takes: the most recently used, the warmest (its socket
 * buffers, the server's worker), unless the least recently used has been idle for more than half
 * the expiry, which then goes instead. The expiry is short (4 s, under the 5 s after which uvicorn
 * and Node close an idle keep-alive connection), and a pool that always handed out its most recent
 * connection would leave the rest idle until they expired, to be reopened in the next burst: at an
 * open loop's 10,000 req/s that was four times the connections and a schedule lag p99 of up to
 * 3.8 ms, from the connects on the loop's thread. Taking the least recently used every time keeps
 * them all but cools them (TTFT p50 0.02-0.05 ms higher in the same runs). With the half-expiry
 * rule each request refreshes at most one connection that has idled for 2 s, so a load of a few
 * requests a second keeps its connections alive between bursts and otherwise uses its warmest; the
 * pool shrinks when the load is too light to touch every connection within the expiry.
 */
final class Pool {
    final Proxies.Route route;
    private final ArrayDeque<Connection> idle = new ArrayDeque<>();
    private final int maxIdle;
    private final long expiryNanos;
    /** Idle longer than this, the least recently used connection is taken first (half the expiry). */
    private final long refreshNanos;
    /** Connections of this route open or opening on the loop, idle or not. */
    int live;

    Pool(Proxies.Route route, int maxIdle, long expiryNanos) {
        this.route = route;
        this.maxIdle = maxIdle;
        this.expiryNanos = expiryNanos;
        this.refreshNanos = expiryNanos / 2;
    }

    /**
     * An idle connection still open, or null: the least recently used if it has idled past half the
     * expiry, else the most recently used (see the class comment).
     */
    Connection acquire(long now) {
        Connection oldest = idle.peekLast();
        if (oldest != null && expiryNanos > 0 && now - oldest.idleSinceNanos > refreshNanos && oldest.active()) {
            idle.pollLast();
            return oldest;
        }
        for (Connection c = idle.pollFirst(); c != null; c = idle.pollFirst()) if (c.active()) return c;
        return null;
    }

    /** Back to the pool, or closed when the pool is full. */
    void release(Connection c, long now) {
        if (idle.size() >= maxIdle) {
            c.channel.close();
            return;
        }
        c.idleSinceNanos = now;
        idle.addFirst(c);
    }

    /** Closes the idle connections past their expiry, and drops closed ones, from the least recently used. */
    void expire(long now) {
        for (Connection c = idle.peekLast(); c != null; c = idle.peekLast()) {
            boolean expired = expiryNanos > 0 && now - c.idleSinceNanos > expiryNanos;
            if (!expired && c.active()) return;
            idle.pollLast();
            if (expired) c.channel.close();
        }
    }

    /** Whether it holds nothing: no connection open or opening. */
    boolean empty() {
        return live == 0 && idle.isEmpty();
    }

    int idle() {
        return idle.size();
    }
}
