package dev.llmlab.http.client;

import java.util.ArrayDeque;

/**
 * One event loop's keep-alive connections to one route, most recently used first: the connection
 * that just answered is the warmest (its socket buffers, the server's worker), and the ones at the
 * far end are those to expire. Bounded: at most {@code maxIdle} idle connections; a connection idle
 * longer than the expiry is closed by the loop's sweep. Confined to its loop's thread.
 */
final class Pool {
    final Proxies.Route route;
    private final ArrayDeque<Connection> idle = new ArrayDeque<>();
    private final int maxIdle;
    private final long expiryNanos;
    /** Connections of this route open or opening on the loop, idle or not. */
    int live;

    Pool(Proxies.Route route, int maxIdle, long expiryNanos) {
        this.route = route;
        this.maxIdle = maxIdle;
        this.expiryNanos = expiryNanos;
    }

    /** The most recently used idle connection still open, or null. */
    Connection acquire() {
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
