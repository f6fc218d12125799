/**
 * A small, fast HTTP/1.1 server on Netty for llmlab: routing, request limits, full responses,
 * backpressure-aware Server-Sent Events and TLS. It knows nothing of LLMs. The client is in
 * {@link dev.llmlab.http.client}; {@link dev.llmlab.http.Tls} (the TLS engine and PEM files) is
 * shared by both.
 *
 * <p>The public surface is {@link dev.llmlab.http.HttpServer}, {@link dev.llmlab.http.Router},
 * {@link dev.llmlab.http.Handler}, {@link dev.llmlab.http.Exchange}, {@link dev.llmlab.http.SseStream},
 * {@link dev.llmlab.http.ErrorRenderer}, {@link dev.llmlab.http.ExchangeListener} and {@link dev.llmlab.http.Tls};
 * everything else is
 * package-private.
 *
 * <h2>Threading model</h2>
 * Every connection is bound to one Netty event loop for its lifetime. Handlers, listener callbacks and
 * stream callbacks run on that loop and must never block it: a blocked loop stalls every other connection
 * it serves. Long work is done elsewhere (or on timers of {@link dev.llmlab.http.Exchange#eventLoop()}) and its
 * result handed back through {@link dev.llmlab.http.Exchange#respond} or {@link dev.llmlab.http.SseStream#send}.
 */
package dev.llmlab.http;
