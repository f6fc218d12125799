package dev.llmlab.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Renders the body of the responses the server produces on its own: 400, 404, 405, 408, 413, 414, 417, 431, 500
 * and 503. Lets the layer above make those errors look like its API's errors.
 *
 * <p>Thread-safety: implementations are called concurrently from every event loop and must be thread-safe
 * and non-blocking. The default renders {@code {"error":{"message":"..."}}} as {@code application/json}.
 */
public interface ErrorRenderer {

    /** Returns a new buffer (the caller takes ownership) holding the body for {@code status}. */
    ByteBuf render(ByteBufAllocator alloc, int status, String message);

    /**
     * As {@link #render(ByteBufAllocator, int, String)}, knowing the request the error answers (its path and
     * headers, as far as they were read), so that a server speaking several APIs can answer in the shape of the
     * one the client called. It may set response headers on {@code request}. The default ignores the request.
     */
    default ByteBuf render(ByteBufAllocator alloc, int status, String message, Exchange request) {
        return render(alloc, status, message);
    }

    /** The Content-Type of what {@link #render} produces. */
    String contentType();
}
