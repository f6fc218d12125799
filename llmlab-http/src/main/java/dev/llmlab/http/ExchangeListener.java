package dev.llmlab.http;

/**
 * Observes exchanges, for metrics. All methods have empty defaults.
 *
 * <p>Thread-safety: called concurrently from every event loop, on the loop of the connection concerned, so an
 * implementation must be thread-safe, must not block and should be cheap (a counter or histogram record).
 * An exception thrown by a callback is logged and otherwise ignored.
 */
public interface ExchangeListener {

    /**
     * An exchange finished: its full response was handed to the transport, its SSE stream ended, or the
     * connection closed before that.
     *
     * @param routePattern  the matched route pattern, or {@code "unmatched"} when no route matched (404, 405) or
     *                      the request was rejected before routing (400, 413, 414, 417, 431)
     * @param method        the request method
     * @param status        the response status; a stream reports 200; a non-streaming exchange whose client went
     *                      away before the response reports 499 (the nginx convention for "client closed request")
     * @param durationNanos from the moment the full request was read to completion
     */
    default void onComplete(String routePattern, String method, int status, long durationNanos) {}

    /** An SSE stream started. */
    default void onStreamOpened() {}

    /** An SSE stream ended, was aborted, or lost its connection. Exactly once per {@link #onStreamOpened()}. */
    default void onStreamClosed() {}
}
