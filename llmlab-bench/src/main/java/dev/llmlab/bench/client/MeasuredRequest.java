package dev.llmlab.bench.client;

import dev.llmlab.api.FinishReason;
import dev.llmlab.api.client.ClientApi;
import dev.llmlab.api.client.ClientListener;
import dev.llmlab.api.client.MalformedAnswerException;
import dev.llmlab.api.client.ProviderError;
import dev.llmlab.api.client.StreamDecoder;
import dev.llmlab.bench.measure.Fate;
import dev.llmlab.bench.measure.RequestRecord;
import dev.llmlab.http.client.Call;
import dev.llmlab.http.client.ClientException;
import dev.llmlab.http.client.ResponseHead;
import dev.llmlab.http.client.ResponseListener;
import dev.llmlab.http.client.SseParser;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * One benchmark request as it is measured: the times of its send, first byte, each token-bearing
 * event and end, and what its answer said (text, usage), turned into one {@link RequestRecord}.
 * The answer is read by the API's client codec (llmlab-api), event by event for a stream: an event
 * that carries text, reasoning or a piece of a tool call's arguments is a token event, whatever
 * the API. Confined to its connection's event loop once sent (the client's callbacks come from there).
 */
final class MeasuredRequest implements ResponseListener, SseParser.Listener, ClientListener {
    private final BenchClient client;
    private final int inputTokens;
    private final long intendedNanos;
    private final long slotWaitNanos;
    private final Consumer<RequestRecord> done;
    private long[] tokens = new long[16];
    private int tokenCount;
    private int status;
    private int usage = -1;
    /** The prompt's tokens as the server's usage counted them (a chat template adds some); -1 when none. */
    private int usagePrompt = -1;

    private final StringBuilder text = new StringBuilder();
    private SseParser sse;
    private StreamDecoder decoder;
    /** Whether the event being decoded carried output: one token event per SSE event, however many parts. */
    private boolean output;

    private Fate failure;
    /** Why it failed, for a person; null while it has not. */
    private String why;

    /** The most of an error message a record keeps. */
    static final int MESSAGE_CHARS = 300;

    MeasuredRequest(
            BenchClient client, int inputTokens, long intendedNanos, long slotWaitNanos, Consumer<RequestRecord> done) {
        this.client = client;
        this.inputTokens = inputTokens;
        this.intendedNanos = intendedNanos;
        this.slotWaitNanos = slotWaitNanos;
        this.done = done;
    }

    @Override
    public Body onHead(Call call, ResponseHead head) {
        status = head.status();
        if (head.eventStream() && status == 200) {
            sse = new SseParser(this);
            decoder = client.target.api().codec().streamDecoder(client.shape, this);
            return Body.STREAM;
        }
        return Body.WHOLE;
    }

    @Override
    public void onBody(Call call, ByteBuf content, int index, int length) {
        sse.feed(content, index, length);
    }

    @Override
    public void onEvent(String event, byte[] data, int length) {
        if (failure != null) return;
        output = false;
        try {
            decoder.event(data, 0, length);
        } catch (MalformedAnswerException bad) {
            fail(Fate.MALFORMED, bad.getMessage());
            return;
        }
        if (output) {
            if (tokenCount == tokens.length) tokens = Arrays.copyOf(tokens, tokenCount * 2);
            tokens[tokenCount++] = System.nanoTime();
        }
    }

    // What the codec read, for a stream event or a whole answer.

    @Override
    public void text(int choice, String delta) {
        if (delta.isEmpty()) return;
        output = true;
        text.append(delta);
    }

    @Override
    public void reasoning(int choice, String delta) {
        if (delta.isEmpty()) return;
        output = true;
        text.append(delta);
    }

    @Override
    public void toolCall(int choice, int tool, String id, String name, String arguments) {
        if (arguments == null || arguments.isEmpty()) return;
        output = true;
        text.append(arguments);
    }

    @Override
    public void usage(int promptTokens, int completionTokens, int cachedTokens) {
        usage = completionTokens;
        if (promptTokens > 0) usagePrompt = promptTokens;
    }

    @Override
    public void finish(int choice, FinishReason reason, String providerReason, String stopSequence) {}

    @Override
    public void error(ProviderError error) {
        fail(Fate.STREAM_ERROR, error.message());
    }

    @Override
    public void onEnd(Call call, byte[] body, int length) {
        long end = System.nanoTime();
        finish(call, end, fate(body, length));
    }

    @Override
    public void onFailure(Call call, ClientException e) {
        why = e.getMessage();
        finish(call, System.nanoTime(), client.fate(e));
    }

    private void fail(Fate fate, String why) {
        if (failure != null) return;
        failure = fate;
        this.why = why;
    }

    /** How the complete answer ended; a whole answer's {@code length} bytes are in {@code whole}. */
    private Fate fate(byte[] whole, int length) {
        if (status != 200) {
            why = httpError(whole, length);
            return Fate.HTTP_STATUS;
        }
        if (failure != null) return failure;
        // a stream must end as its API ends it, with nothing left half-sent
        if (sse != null) {
            if (decoder.ended() && !sse.midEvent()) return Fate.OK;
            why = "the stream ended before the API's end of stream";
            return Fate.MALFORMED;
        }
        ClientApi api = client.target.api();
        try {
            if (api.generates()) {
                api.codec().decode(whole, 0, length, this);
            } else {
                api.codec().embeddings(whole, 0, length); // validated; an embedding has no output tokens
                usage = 0;
            }
        } catch (MalformedAnswerException bad) {
            why = bad.getMessage();
            return Fate.MALFORMED;
        }
        return failure != null ? failure : Fate.OK;
    }

    /**
     * A status's answer as a person reads it: {@code HTTP 404: The model 'x' does not exist}, the
     * API's own error message when the body is the API's error JSON, else the body's start.
     */
    private String httpError(byte[] body, int length) {
        String message = length == 0
                ? ""
                : client.target.api().codec().error(status, body, 0, length).message();
        if (message != null && message.stripLeading().startsWith("<")) {
            // an HTML error page (a web server, a proxy): its text, without the markup
            message = new String(body, 0, Math.min(length, 8192), java.nio.charset.StandardCharsets.UTF_8)
                    .replaceAll("(?s)<(script|style)[^>]*>.*?</\\1>", " ")
                    .replaceAll("<[^>]*>", " ");
        }
        if (message == null || message.isBlank()) return "HTTP " + status;
        message = message.strip().replaceAll("\\s+", " ");
        if (message.length() > MESSAGE_CHARS) message = message.substring(0, MESSAGE_CHARS) + "...";
        return "HTTP " + status + ": " + message;
    }

    private void finish(Call call, long endNanos, Fate fate) {
        int counted = -1;
        if (fate == Fate.OK && (usage < 0 || client.check()))
            counted = text.isEmpty() ? 0 : client.tokenizer.count(text);
        long sent = call.sentNanos();
        done.accept(new RequestRecord(
                intendedNanos,
                slotWaitNanos,
                sent == 0 ? endNanos : sent,
                call.firstByteNanos(),
                Arrays.copyOf(tokens, tokenCount),
                endNanos,
                usage,
                counted,
                usagePrompt > 0 ? usagePrompt : inputTokens,
                fate,
                status,
                fate == Fate.OK ? null : why));
    }
}
