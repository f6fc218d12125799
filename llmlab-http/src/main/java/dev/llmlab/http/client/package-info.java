/**
 * The project's HTTP/1.1 client: the load generator's transport, and the one the gateway and the
 * monitor call servers with.
 *
 * <p>The public surface is {@link dev.llmlab.http.client.HttpClient} (and its builder),
 * {@link dev.llmlab.http.client.ClientLoop}, {@link dev.llmlab.http.client.Origin},
 * {@link dev.llmlab.http.client.RequestHead}, {@link dev.llmlab.http.client.ResponseListener},
 * {@link dev.llmlab.http.client.ResponseHead}, {@link dev.llmlab.http.client.Call},
 * {@link dev.llmlab.http.client.ClientException} (made by the client only),
 * {@link dev.llmlab.http.client.TlsOptions}, {@link dev.llmlab.http.client.TlsInfo},
 * {@link dev.llmlab.http.client.Proxies}, {@link dev.llmlab.http.client.SseParser} and
 * {@link dev.llmlab.http.client.MalformedBodyException}; connections, pools, the response parser
 * and the TLS and failure plumbing are package-private.
 *
 * <p>Threading: every connection belongs to one event loop for its life; listener callbacks run
 * there and must not block it (see {@link dev.llmlab.http.client.ResponseListener}).
 */
package dev.llmlab.http.client;
