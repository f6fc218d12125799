package dev.llmlab.gateway.proxy;

import dev.llmlab.gateway.cache.Capture;
import dev.llmlab.http.Exchange;
import dev.llmlab.http.SseStream;
import dev.llmlab.http.client.Call;
import dev.llmlab.http.client.ResponseHead;
import dev.llmlab.http.client.ResponseListener.Body;
import io.netty.buffer.ByteBuf;

/**
 * How one try's answer reaches the client: as the provider's own bytes ({@link PassReply}), or
 * translated into the client's API ({@link TranslatedReply}). Either way it counts what the answer
 * used ({@link Tally}) and when its first token reached the client. Its methods run on the
 * request's event loop, in the order of the client's {@link dev.llmlab.http.client.ResponseListener}.
 */
abstract class Reply {
    final Exchange ex;
    final Tally tally;
    SseStream sse;
    /** The answer's bytes as the client gets them, gathered for the exact cache; or null. */
    Capture capture;
    /** When the first token was handed to the client's connection, or -1. */
    long firstTokenSentNanos = -1;

    Reply(Exchange ex, Tally tally) {
        this.ex = ex;
        this.tally = tally;
    }

    /** A 2xx head arrived: the provider's headers the client gets (none but the gateway's own, by default). */
    void copyHeaders(ResponseHead head) {}

    /** A 2xx head arrived (its headers are already copied): how to take its body; a stream starts the client's here. */
    abstract Body start(Call call, ResponseHead head);

    /** A piece of a streamed body. */
    abstract void chunk(Call call, ByteBuf content, int index, int length);

    /**
     * The streamed body ended as the provider ended it.
     *
     * @return whether it had reached its API's end; if not, the client got an error event before the end
     */
    abstract boolean streamEnded();

    /** The stream broke after it began: the client gets an error event in its API's shape, and the end. */
    abstract void broke(String message);

    /**
     * A whole 2xx body: the client's answer.
     *
     * @param stamp run just before the answer is handed on, once it is ready (the overhead header)
     */
    abstract void whole(int status, byte[] body, int length, String contentType, Runnable stamp);

    /** A non-2xx answer no later try will replace: the client's answer; {@code stamp} as for {@link #whole}. */
    abstract void failed(int status, byte[] body, String contentType, Runnable stamp);

    /** The client's stream is complete as it got it: what was captured of it may be kept. */
    final void captured() {
        if (capture != null && sse.isOpen()) capture.end(Capture.EVENT_STREAM);
    }

    /** The client's whole answer, {@code out}'s readable bytes, may be kept. */
    final void captured(int status, ByteBuf out, CharSequence contentType) {
        if (capture == null || status != 200) return;
        capture.append(out);
        capture.end(contentType == null ? null : contentType.toString());
    }

    /** Whether the client's stream began. */
    final boolean streaming() {
        return sse != null;
    }

    /** Sends a frame, pausing the upstream while the client's connection is full (back-pressure both ways). */
    final void send(Call call, ByteBuf frame) {
        if (!sse.isOpen()) {
            frame.release();
            return;
        }
        if (capture != null) capture.append(frame);
        sse.send(frame);
        if (firstTokenSentNanos < 0 && tally.firstTokenNanos() >= 0) firstTokenSentNanos = System.nanoTime();
        if (!sse.isWritable()) {
            call.pause();
            sse.whenWritable(call::resume);
        }
    }
}
