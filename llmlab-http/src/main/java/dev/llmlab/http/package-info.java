/**
 * A small, fast HTTP/1.1 server on Netty for llmlab: routing, request limits, full responses and
 * backpressure-aware Server-Sent Events. It knows nothing of LLMs.
 *
 * <p>The public surface is {@link dev.llmlab.http.HttpServer}, {@link dev.llmlab.http.Router},
 * {@link dev.llmlab.http.Handler}, {@link dev.llmlab.http.Exchange}, {@link dev.llmlab.http.SseStream},
 * {@link dev.llmlab.http.ErrorRenderer} and {@link dev.llmlab.http.ExchangeListener}; everything else is
 * package-private.
 *
 * <h2>Threading model</h2>
 * Every connection is bound to one Netty event loop for its lifetime. Handlers, listener callbacks and
 * stream callbacks run on that loop and must never block it: a blocked loop stalls every other connection
 * it serves. Long work is done elsewhere (or on timers of {@link dev.llmlab.http.Exchange#eventLoop()}) and its
 * result handed back through {@link dev.llmlab.http.Exchange#respond} or {@link dev.llmlab.http.SseStream#send}.
 */
package dev.llmlab.http;
