package dev.llmlab.bench.client;

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
 * Confined to its connection's event loop once sent (the client's callbacks come from there).
 */
final class MeasuredRequest implements ResponseListener, SseParser.Listener {
    private final BenchClient client;
    private final int inputTokens;
    private final long intendedNanos;
    private final long slotWaitNanos;
    private final Consumer<RequestRecord> done;
    private long[] tokens = new long[16];
    private int tokenCount;
    private int status;
    private boolean ended; // the API's own end of stream (for example [DONE]) was seen
    private int usage = -1;
    private final StringBuilder text = new StringBuilder();
    private SseParser sse;
    private Fate failure;

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
        if (head.eventStream()) {
            sse = new SseParser(this);
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
        long now = System.nanoTime();
        Api.Event e;
        try {
            e = client.target.api().event(event, data, length);
        } catch (RuntimeException bad) {
            failure = Fate.MALFORMED;
            return;
        }
        if (e.text() != null) {
            if (tokenCount == tokens.length) tokens = Arrays.copyOf(tokens, tokenCount * 2);
            tokens[tokenCount++] = now;
            text.append(e.text());
        }
        if (e.outputTokens() >= 0) usage = e.outputTokens();
        if (e.end()) ended = true;
    }

    @Override
    public void onEnd(Call call, byte[] body, int length) {
        long end = System.nanoTime();
        finish(call, end, fate(body, length));
    }

    @Override
    public void onFailure(Call call, ClientException e) {
        finish(call, System.nanoTime(), client.fate(e));
    }

    /** How the complete answer ended; a whole answer's {@code length} bytes are in {@code whole}. */
    private Fate fate(byte[] whole, int length) {
        if (status != 200) return Fate.HTTP_STATUS;
        if (failure != null) return failure;
        // a stream must end as its API ends it, with nothing left half-sent
        if (sse != null) return ended && !sse.midEvent() ? Fate.OK : Fate.MALFORMED;
        try {
            // The text is only needed to count it: when the server gives usage and this answer is not in
            // the sample checked, it is validated and skipped.
            boolean counted = client.nextChecked();
            Api.Event e = client.target.api().whole(whole, length, counted);
            if (e.outputTokens() < 0 && !counted) e = client.target.api().whole(whole, length, true);
            text.append(e.text());
            usage = e.outputTokens();
            return Fate.OK;
        } catch (RuntimeException bad) {
            return Fate.MALFORMED;
        }
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
                inputTokens,
                fate,
                status));
    }
}
