package dev.llmlab.gateway.proxy;

import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.Usage;
import dev.llmlab.api.client.ClientApi;
import dev.llmlab.api.client.StreamDecoder;
import dev.llmlab.http.Exchange;
import dev.llmlab.http.client.Call;
import dev.llmlab.http.client.ResponseHead;
import dev.llmlab.http.client.ResponseListener.Body;
import dev.llmlab.http.client.SseParser;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The provider's answer passed on as its own bytes: a stream piece by piece as read, a whole answer
 * as it came. The same bytes are decoded on the side for accounting (usage, first token); a
 * decoding failure there costs the accounting, never the answer.
 *
 * <p>One exception to "as it came": when the gateway asked an OpenAI stream for usage the client
 * did not ask for ({@code stream_options.include_usage}), the stream is passed on event by event,
 * without the usage chunk the client would not expect (every event but that one unchanged).
 */
final class PassReply extends Reply {
    private final Ingress ingress;
    private final ClientApi api;
    private final GenerationRequest request;
    private final boolean stripUsage;
    private final String requestId;
    private SseParser parser;
    private StreamDecoder decoder;
    private Call call;

    /**
     * @param request    the client's request, for the stream decoder; null for no accounting (a GET)
     * @param stripUsage the gateway added {@code include_usage}: the usage chunk stays behind
     */
    PassReply(
            Exchange ex,
            Tally tally,
            Ingress ingress,
            ClientApi api,
            GenerationRequest request,
            boolean stripUsage,
            String requestId) {
        super(ex, tally);
        this.ingress = ingress;
        this.api = api;
        this.request = request;
        this.stripUsage = stripUsage;
        this.requestId = requestId;
    }

    /**
     * The provider's headers go on with its bytes, less the hop-by-hop ones and those the gateway's
     * server sets; and less its rate-limit headers where the client's key has its own (they speak
     * of the gateway's provider key, not of the client's).
     */
    @Override
    void copyHeaders(ResponseHead head) {
        head.forEach((name, value) -> {
            String n = name.toLowerCase(Locale.ROOT);
            if (Endpoints.NOT_RETURNED.contains(n)) return;
            if (n.startsWith("x-ratelimit-") && ex.responseHeaders().contains(n)) return;
            ex.responseHeaders().add(name, value);
        });
    }

    @Override
    Body start(Call c, ResponseHead head) {
        if (!head.eventStream()) return Body.WHOLE;
        call = c;
        if (request != null && api.generates()) {
            decoder = api.codec().streamDecoder(request, tally, true);
            parser = new SseParser(this::event);
        }
        sse = ex.startSse();
        sse.onClose(c::cancel);
        return Body.STREAM;
    }

    @Override
    void chunk(Call c, ByteBuf content, int index, int length) {
        if (stripUsage && parser != null) {
            parser.feed(content, index, length);
            return;
        }
        if (parser != null) parser.feed(content, index, length);
        send(c, content.retainedSlice(index, length));
    }

    private void event(String name, byte[] data, int length) {
        tally.eventContent = false;
        tally.eventUsage = false;
        try {
            decoder.event(data, 0, length);
        } catch (RuntimeException e) {
            // accounting only: the client still gets the event as the provider sent it
        }
        if (!stripUsage || (tally.eventUsage && !tally.eventContent)) return;
        ByteBuf frame = ex.alloc().buffer(length + 16);
        if (name != null) frame.writeCharSequence("event: " + name + "\n", StandardCharsets.UTF_8);
        int start = 0;
        for (int i = 0; i <= length; i++) {
            if (i == length || data[i] == '\n') {
                frame.writeCharSequence("data: ", StandardCharsets.US_ASCII);
                frame.writeBytes(data, start, i - start);
                frame.writeByte('\n');
                start = i + 1;
            }
        }
        frame.writeByte('\n');
        send(call, frame);
    }

    @Override
    boolean streamEnded() {
        // A body that ends before its API's end (no [DONE], no message_stop) was cut short: the client is
        // told so, as when the connection breaks, instead of taking a truncated answer for a whole one.
        boolean complete = decoder == null || decoder.ended();
        if (!complete && sse.isOpen())
            sse.send(streamError("the provider's stream ended before the end of its answer"));
        // kept only when it was read to its end, without an error event in it
        else if (decoder != null && !tally.errored) captured();
        sse.end();
        return complete;
    }

    @Override
    void broke(String message) {
        if (sse.isOpen()) sse.send(streamError(message));
        sse.end();
    }

    /**
     * The error event that ends the client's stream in its API's shape; on OpenAI's chat and
     * completions streams {@code data: [DONE]} follows it, as it does on OpenAI's own streams and
     * on translated ones ({@code ChatWriter}): the SDKs stop at the error, and a client that reads
     * until {@code [DONE]} still finds its end.
     */
    private ByteBuf streamError(String message) {
        ByteBuf frame = ingress.streamError(ex, 502, "upstream_error", message, requestId);
        if (api == ClientApi.OPENAI_CHAT || api == ClientApi.OPENAI_COMPLETIONS)
            frame.writeCharSequence("data: [DONE]\n\n", StandardCharsets.US_ASCII);
        return frame;
    }

    @Override
    void whole(int status, byte[] body, int length, String contentType, Runnable stamp) {
        Usage usage = request != null && (api == ClientApi.OPENAI_CHAT || api == ClientApi.OPENAI_COMPLETIONS)
                ? UsageScan.openAi(body, 0, length)
                : null;
        if (usage != null) {
            tally.reported(usage);
        } else if (request != null && api.generates()) {
            tally.whole();
            try {
                api.codec().decode(body, 0, length, tally);
            } catch (RuntimeException e) {
                // accounting only
            }
        }
        ByteBuf buf = ex.alloc().buffer(length);
        buf.writeBytes(body, 0, length);
        String type = contentType == null ? "application/json" : contentType;
        captured(status, buf, type);
        stamp.run();
        ex.respond(status, type, buf);
    }

    @Override
    void failed(int status, byte[] body, String contentType, Runnable stamp) {
        whole(status, body, body.length, contentType, stamp);
    }
}
