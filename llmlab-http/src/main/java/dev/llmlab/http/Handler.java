package dev.llmlab.http;

/**
 * Handles one routed request.
 *
 * <p>Thread-safety: a handler instance is shared by all connections and event loops, so it must be safe for
 * concurrent use (stateless handlers trivially are). {@link #handle} runs on the connection's event loop and
 * must not block; it may answer at once ({@link Exchange#respond}, {@link Exchange#startSse}) or later from any
 * thread.
 *
 * <p>If {@code handle} throws before the exchange has been answered, the client receives a 500 rendered by the
 * server's {@link ErrorRenderer}; the exception is logged once on the server and never sent to the client. If
 * it throws after an SSE stream was started, the connection is closed, since the status line is already gone.
 */
@FunctionalInterface
public interface Handler {

    /**
     * Handles the exchange. The request {@linkplain Exchange#body() body} is only valid until this method returns;
     * copy or parse it before returning if it is needed later.
     */
    void handle(Exchange exchange) throws Exception;
}
