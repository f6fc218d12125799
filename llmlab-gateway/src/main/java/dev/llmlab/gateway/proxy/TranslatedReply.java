package dev.llmlab.gateway.proxy;

import dev.llmlab.api.relay.AnswerRelay;
import dev.llmlab.api.relay.RelayError;
import dev.llmlab.api.relay.Translation;
import dev.llmlab.http.Exchange;
import dev.llmlab.http.client.Call;
import dev.llmlab.http.client.ResponseHead;
import dev.llmlab.http.client.ResponseListener.Body;
import dev.llmlab.http.client.SseParser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;

/**
 * The provider's answer translated into the client's API through the internal model ({@link
 * AnswerRelay}): each provider event becomes the client's events as soon as it is decoded, never
 * gathered; errors come in the client's API's shape with its status.
 */
final class TranslatedReply extends Reply {
    private final Translation translation;
    private final AnswerRelay answer;
    private SseParser parser;
    private Call call;

    TranslatedReply(Exchange ex, Tally tally, Translation translation) {
        super(ex, tally);
        this.translation = translation;
        this.answer = translation.answer().tap(tally);
    }

    @Override
    Body start(Call c, ResponseHead head) {
        if (!translation.stream() || !head.eventStream()) return Body.WHOLE;
        call = c;
        parser = new SseParser(this::event);
        sse = ex.startSse();
        sse.onClose(c::cancel);
        return Body.STREAM;
    }

    @Override
    void chunk(Call c, ByteBuf content, int index, int length) {
        parser.feed(content, index, length);
    }

    private void event(String name, byte[] data, int length) {
        if (answer.closed()) return;
        ByteBuf out = ex.alloc().buffer(length + 64);
        boolean over = answer.event(data, 0, length, new ByteBufOutputStream(out));
        flush(out);
        if (over) {
            if (answer.completed()) captured();
            sse.end();
        }
    }

    private void flush(ByteBuf out) {
        tally.reported(answer.usage());
        if (out.isReadable()) send(call, out);
        else out.release();
    }

    @Override
    boolean streamEnded() {
        boolean complete = answer.closed();
        ByteBuf out = ex.alloc().buffer(128);
        answer.end(new ByteBufOutputStream(out));
        flush(out);
        if (answer.completed()) captured();
        sse.end();
        return complete;
    }

    @Override
    void broke(String message) {
        ByteBuf out = ex.alloc().buffer(256);
        answer.fail(message, new ByteBufOutputStream(out));
        flush(out);
        sse.end();
    }

    @Override
    void whole(int status, byte[] body, int length, String contentType, Runnable stamp) {
        ByteBuf out = ex.alloc().buffer(Math.max(256, length));
        tally.whole();
        int code;
        try {
            code = answer.whole(body, 0, length, new ByteBufOutputStream(out));
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
        tally.reported(answer.usage());
        captured(code, out, answer.contentType());
        stamp.run();
        ex.respond(code, answer.contentType(), out);
    }

    @Override
    void failed(int status, byte[] body, String contentType, Runnable stamp) {
        RelayError e = translation.error(status, body, 0, body.length);
        stamp.run();
        ex.respond(e.status(), e.contentType(), Unpooled.wrappedBuffer(e.body()));
    }
}
