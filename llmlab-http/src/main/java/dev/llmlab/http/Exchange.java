package dev.llmlab.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * One request and its response on a connection.
 *
 * <p>An exchange is answered exactly once, either with {@link #respond} or by {@link #startSse()} followed by
 * {@link SseStream#end()} (or {@link SseStream#abort()}). Requests on one connection are answered in the order
 * they arrived: the next request of a keep-alive or pipelining client is only dispatched after this exchange
 * completed, so an exchange that is never answered stalls its connection (but no other).
 *
 * <p>Thread-safety: the request accessors are safe from any thread while the exchange is open, except
 * {@link #body()}, which is only valid on the event loop until the handler returns. {@link #responseHeaders()}
 * is not thread-safe: fill it on the event loop, or from one thread before answering. {@link #respond},
 * {@link #startSse()} and {@link #isOpen()} may be called from any thread; off the event loop, {@code respond} is
 * handed to the loop, which costs a task submission, so producers that can should answer from
 * {@link #eventLoop()}.
 */
public interface Exchange {

    /** The request method, e.g. {@code "POST"}. */
    String method();

    /** The request path without the query string, as sent (not percent-decoded). */
    String path();

    /** The pattern of the route that matched, e.g. {@code "/v1/models/{id}"}; for metric labels. */
    String routePattern();

    /** The percent-decoded value of the path placeholder {@code {name}}, or null if the route has none such. */
    String pathParam(String name);

    /** The first decoded value of query parameter {@code name}, or null if absent. */
    String queryParam(String name);

    HttpHeaders requestHeaders();

    /**
     * The request body (possibly empty). Owned by the server and released when the handler returns: parse or
     * copy it before. Read it with the usual reader-index methods; do not release it.
     */
    ByteBuf body();

    /** {@link System#nanoTime()} when the full request had been read; the start of the server-side latency. */
    long receivedNanos();

    /**
     * Headers to send with the response or the SSE head. Content-Type, Content-Length, Date, Connection and, for
     * streams, Cache-Control and Transfer-Encoding are set by the server.
     */
    HttpHeaders responseHeaders();

    /** The connection's event loop: schedule timers for this exchange here so no thread hand-off is needed. */
    EventLoop eventLoop();

    /** The connection's (pooled) allocator, for response bodies and SSE frames. */
    ByteBufAllocator alloc();

    /**
     * Sends a full response with a Content-Length. Takes ownership of {@code body} (it is released even if the
     * connection has gone). {@code contentType} may be null for a response without one. Whether the connection stays open follows HTTP/1.1 rules: it closes if the client
     * asked for it, spoke HTTP/1.0 without keep-alive, or the server is shutting down.
     *
     * @throws IllegalStateException if the exchange was already answered
     */
    void respond(int status, CharSequence contentType, ByteBuf body);

    /**
     * Starts a Server-Sent Events response: status 200, {@code text/event-stream}, {@code no-cache}, chunked
     * (for an HTTP/1.0 client the stream is delimited by closing the connection instead).
     *
     * @throws IllegalStateException if the exchange was already answered
     */
    SseStream startSse();

    /**
     * Closes the connection without an answer, as a crashed or cut-off server would (fault injection uses it). Close
     * callbacks run; other requests pipelined on the connection are lost with it. A no-op once answered.
     */
    void abort();

    /** True while the exchange is not yet complete and its connection is open. */
    boolean isOpen();

    /**
     * Runs {@code callback} on the event loop if the connection closes before the exchange completes (the
     * client went away while its answer was still being prepared); runs it at once if that already happened.
     * A handler that answers later (after a timer) uses this to stop its work at once.
     */
    void onClose(Runnable callback);
}
