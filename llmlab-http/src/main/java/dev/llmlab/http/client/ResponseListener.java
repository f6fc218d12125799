package dev.llmlab.http.client;

import io.netty.buffer.ByteBuf;

/**
 * Told what becomes of one request sent with {@link HttpClient#send}.
 *
 * <h2>Order and exactly-once contract</h2>
 * For each send, exactly one of {@link #onEnd} and {@link #onFailure} is called, exactly once,
 * whatever happens: a refused connection, a timeout, a cancel, the client's close. Before it,
 * {@link #onHead} is called at most once (not at all when the request failed before a response
 * head arrived), and then {@link #onBody} any number of times when the body is streamed. Nothing is
 * called after {@code onEnd} or {@code onFailure}. A failure may follow {@code onHead} and
 * {@code onBody}: a stream cut in the middle ends in {@code onFailure}.
 *
 * <h2>Threading</h2>
 * Every callback runs on the event loop that owns the request's connection, one at a time, and
 * must not block it: a blocked loop stalls every connection it serves. No callback runs inside
 * {@link HttpClient#send}: sent from a loop's own thread, even a request that fails at once (an
 * unresolvable name) is told so in a later task on that loop, after {@code send} returned; sent
 * from another thread, the callbacks run on the loop's thread, and may begin before {@code send}
 * has returned to its caller there. A callback may send the next request at once (a closed-loop
 * user); sent from the loop's own thread, it goes on that loop's connections, and the connection
 * this answer came on is already back in its pool when {@code onEnd} runs.
 *
 * <h2>Buffers</h2>
 * Nothing passed to a callback may be kept after it returns: the {@link ResponseHead} reads the
 * connection's buffer (keep {@link ResponseHead#copy()}), {@code onBody}'s buffer belongs to the
 * connection (copy the bytes, or {@link ByteBuf#retainedSlice(int, int)} and release it later),
 * and {@code onEnd}'s array is the connection's, reused for its next answer. The client releases
 * every buffer it owns, whatever the listener does.
 *
 * <p>A callback that throws has its request failed ({@link ClientException.Kind#CLOSED}; from
 * {@code onBody}, a {@link MalformedBodyException} fails it as
 * {@link ClientException.Kind#MALFORMED}) and its connection closed; {@code onFailure} follows
 * unless it was {@code onEnd} or {@code onFailure} that threw.
 */
public interface ResponseListener {

    /** How the body should be delivered. */
    enum Body {
        /** Each piece to {@link #onBody} as it arrives; {@code onEnd} gets no bytes. */
        STREAM,
        /** Gathered by the client (up to its limit) and given whole to {@link #onEnd}. */
        WHOLE
    }

    /**
     * The response head arrived (interim 1xx answers are skipped).
     *
     * @return how to deliver its body
     */
    Body onHead(Call call, ResponseHead head);

    /** {@code length} bytes of the body at {@code index} of {@code content} (not consumed), in {@link Body#STREAM} mode. */
    default void onBody(Call call, ByteBuf content, int index, int length) {}

    /**
     * The response is complete.
     *
     * @param body   in {@link Body#WHOLE} mode, the body in {@code body[0..length)}; else empty
     */
    void onEnd(Call call, byte[] body, int length);

    /** The request failed; see {@link ClientException#kind()} and its message. */
    void onFailure(Call call, ClientException failure);
}
