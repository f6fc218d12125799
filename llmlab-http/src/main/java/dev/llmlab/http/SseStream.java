package dev.llmlab.http;

import io.netty.buffer.ByteBuf;

/**
 * The writing end of a Server-Sent Events response.
 *
 * <h2>Backpressure contract</h2>
 * {@link #send} never blocks and never drops: if the client reads slower than the producer writes, frames queue
 * in the connection's outbound buffer. To keep server memory bounded, a producer must check {@link #isWritable()}
 * before producing the next frame and, when it is false, stop and resume from {@link #whenWritable(Runnable)}.
 * Honouring this bounds the queued bytes per stream by the server's high water mark plus one frame; ignoring it
 * lets a stalled reader grow memory without limit.
 *
 * <h2>Close contract</h2>
 * When the client goes away before {@link #end()}, the callbacks registered with {@link #onClose(Runnable)} run
 * once on the event loop, at once; the producer must stop (further {@code send} calls are harmless: the frames
 * are released). {@link #abort()} and a forced close at the end of a graceful shutdown count as going away.
 *
 * <p>Thread-safety: all methods may be called from any thread. Calls made off the connection's event loop are
 * handed to it (a task submission per call), so producers should run on {@link Exchange#eventLoop()}. Callbacks
 * ({@code whenWritable}, {@code onClose}) always run on the event loop.
 */
public interface SseStream {

    /** True until the stream ended or its connection closed. */
    boolean isOpen();

    /** True if the stream is open and the connection's outbound buffer is below its high water mark. */
    boolean isWritable();

    /**
     * Writes and flushes one already framed SSE event, e.g. {@code "data: {...}\n\n"}. Takes ownership of
     * {@code frame}; if the stream is no longer open the frame is released. Enqueues even when not
     * {@linkplain #isWritable() writable}; see the backpressure contract.
     */
    void send(ByteBuf frame);

    /**
     * Runs {@code task} on the event loop as soon as the connection is writable: at once if it is now,
     * otherwise when the outbound buffer drained below the low water mark. One pending task per stream is the
     * intended use; registering another while one is pending runs both, in order. A pending task is dropped if
     * the stream closes first (the {@link #onClose} callbacks run instead).
     */
    void whenWritable(Runnable task);

    /**
     * Registers a callback run once if the connection closes before {@link #end()}. If that already happened,
     * the callback runs at once; after a normal {@code end()} it never runs.
     */
    void onClose(Runnable callback);

    /**
     * Terminates the response (the last chunk). The exchange completes and a keep-alive connection goes on to
     * its next request. Idempotent; does nothing once closed.
     */
    void end();

    /**
     * Closes the connection at once without terminating the response, so the client sees a truncated stream.
     * For fault injection. The {@link #onClose} callbacks run.
     */
    void abort();
}
