package dev.llmlab.http;

import io.netty.util.concurrent.EventExecutor;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What all connections of one server share: configuration, counters, and the set of live connections that a
 * graceful shutdown walks.
 *
 * <p>Thread-safety: configuration fields are final; counters are {@link LongAdder}s because every exchange
 * touches them from every event loop and an adder does not bounce one cache line between cores; the connection
 * set is concurrent. {@link #draining} is volatile and pairs with the set for a Dekker-style handshake: the
 * drainer sets it then walks the set, a new connection joins the set then reads it, so at least one side sees
 * the other and no connection escapes the drain.
 */
final class ServerContext {

    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

    final Router router;
    final ErrorRenderer errorRenderer;
    final ExchangeListener listener;
    final int maxContentLength;
    final long idleTimeoutNanos;
    /** The deadline for a request head; 0 for none. See {@link HttpServer.Builder#headTimeout}. */
    final long headTimeoutNanos;
    /** The allowance for a request body; 0 for none. See {@link HttpServer.Builder#bodyTimeout}. */
    final long bodyTimeoutNanos;
    /** How long a connection closed on an error keeps draining input so the client reads the error, not a reset. */
    final long lingerNanos;

    /** At most this many connections are served at once; 0 for no cap. */
    final int maxConnections;

    private final OccasionalWarning refused = new OccasionalWarning();
    private final OccasionalWarning slowHeads = new OccasionalWarning();
    private final OccasionalWarning slowBodies = new OccasionalWarning();

    final LongAdder activeExchanges = new LongAdder();
    final LongAdder openStreams = new LongAdder();
    private final Set<ConnectionHandler> connections = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> allClosed = new CompletableFuture<>();
    volatile boolean draining;

    ServerContext(
            Router router,
            ErrorRenderer errorRenderer,
            ExchangeListener listener,
            int maxContentLength,
            long idleTimeoutNanos,
            long headTimeoutNanos,
            long bodyTimeoutNanos,
            int maxConnections) {
        this.maxConnections = maxConnections;
        this.router = router;
        this.errorRenderer = errorRenderer;
        this.listener = listener;
        this.maxContentLength = maxContentLength;
        this.idleTimeoutNanos = idleTimeoutNanos;
        this.headTimeoutNanos = headTimeoutNanos;
        this.bodyTimeoutNanos = bodyTimeoutNanos;
        this.lingerNanos = idleTimeoutNanos > 0 ? Math.min(idleTimeoutNanos, 2_000_000_000L) : 2_000_000_000L;
    }

    void register(ConnectionHandler c) {
        connections.add(c);
        if (draining) {
            c.beginDrainLater();
        }
    }

    void unregister(ConnectionHandler c) {
        if (connections.remove(c) && draining && connections.isEmpty()) {
            allClosed.complete(null);
        }
    }

    /** Asks every connection to finish its exchange and close; returns a future done when all have closed. */
    CompletableFuture<Void> drain() {
        draining = true;
        for (ConnectionHandler c : connections) {
            c.beginDrainLater();
        }
        if (connections.isEmpty()) {
            allClosed.complete(null);
        }
        return allClosed;
    }

    void forceCloseAll() {
        for (ConnectionHandler c : connections) {
            c.forceClose();
        }
    }

    int connectionCount() {
        return connections.size();
    }

    /**
     * Whether a new connection would pass the cap. Connections accepted at the same moment on
     * several event loops may pass it together by a few; the cap leaves room for that.
     */
    boolean full() {
        return maxConnections > 0 && connections.size() >= maxConnections;
    }

    /** A connection was refused at the cap: a warning, at most one every 10 s, with the count. */
    void refused(EventExecutor loop) {
        long since = refused.count(
                loop,
                more -> log.warn(
                        "refused {} more connections with 503 at the cap of {} since the last warning",
                        more,
                        maxConnections));
        if (since >= 0) {
            log.warn(
                    "refusing connections with 503: {} open, at the cap of {}; {} refused since the last warning",
                    connections.size(),
                    maxConnections,
                    since);
        }
    }

    /** A connection was answered 408 for a slow request head: a warning, at most one every 10 s, with the count. */
    void slowHead(EventExecutor loop, String why) {
        slowClient(slowHeads, loop, why, "request heads");
    }

    /** A connection was answered 408 for a slow request body: a warning, at most one every 10 s, with the count. */
    void slowBody(EventExecutor loop, String why) {
        slowClient(slowBodies, loop, why, "request bodies");
    }

    private static void slowClient(OccasionalWarning w, EventExecutor loop, String why, String what) {
        long since = w.count(
                loop,
                more -> log.warn(
                        "closed {} more slow clients with 408 for their {} since the last warning", more, what));
        if (since >= 0) {
            log.warn("closing slow clients with 408 ({}); {} closed so since the last warning", why, since);
        }
    }

    // Listener calls are guarded so a faulty observer cannot corrupt the exchange's state machine.

    void fireComplete(String pattern, String method, int status, long durationNanos) {
        try {
            listener.onComplete(pattern, method, status, durationNanos);
        } catch (Throwable t) {
            log.warn("ExchangeListener.onComplete failed", t);
        }
    }

    void fireStreamOpened() {
        openStreams.increment();
        try {
            listener.onStreamOpened();
        } catch (Throwable t) {
            log.warn("ExchangeListener.onStreamOpened failed", t);
        }
    }

    void fireStreamClosed() {
        openStreams.decrement();
        try {
            listener.onStreamClosed();
        } catch (Throwable t) {
            log.warn("ExchangeListener.onStreamClosed failed", t);
        }
    }
}
