package dev.llmlab.bench.client;

import dev.llmlab.bench.measure.Outcome;
import dev.llmlab.bench.measure.RequestRecord;
import dev.llmlab.bench.sse.SseParser;
import java.util.Arrays;
import java.util.function.Consumer;

/** One request and what its answer said so far; confined to its connection's loop once started. */
final class Exchange implements SseParser.Listener {
    private final BenchClient client;
    final byte[] body;
    private final int inputTokens;
    private final long intendedNanos;
    private final long slotWaitNanos;
    private final Consumer<RequestRecord> done;
    BenchClient.Loop loop;
    long sentNanos;
    long firstByteNanos = -1;
    private long[] tokens = new long[16];
    private int tokenCount;
    int status;
    boolean streaming;
    boolean keepAlive;
    private boolean ended; // the API's own end of stream (for example [DONE]) was seen
    private boolean finished;
    private int usage = -1;
    private final StringBuilder text = new StringBuilder();
    private SseParser sse;
    private Outcome failure;

    Exchange(
            BenchClient client,
            byte[] body,
            int inputTokens,
            long intendedNanos,
            long slotWaitNanos,
            Consumer<RequestRecord> done) {
        this.client = client;
        this.body = body;
        this.inputTokens = inputTokens;
        this.intendedNanos = intendedNanos;
        this.slotWaitNanos = slotWaitNanos;
        this.done = done;
    }

    void startStream() {
        sse = new SseParser(this);
    }

    void feed(byte[] bytes, int length) {
        sse.feed(bytes, 0, length);
    }

    @Override
    public void onEvent(String event, byte[] data, int length) {
        if (failure != null) return;
        long now = System.nanoTime();
        Api.Event e;
        try {
            e = client.target.api().event(event, data, length);
        } catch (RuntimeException bad) {
            failure = Outcome.MALFORMED;
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

    /** How the complete answer ended; a whole answer's {@code length} bytes are in {@code whole}. */
    Outcome outcome(byte[] whole, int length) {
        if (status != 200) return Outcome.HTTP_STATUS;
        if (failure != null) return failure;
        // a stream must end as its API ends it, with nothing left half-sent
        if (streaming) return ended && !sse.midEvent() ? Outcome.OK : Outcome.MALFORMED;
        try {
            // The text is only needed to count it: when the server gives usage and this answer is not in
            // the sample checked, it is validated and skipped.
            boolean counted = loop.nextChecked();
            Api.Event e = client.target.api().whole(whole, length, counted);
            if (e.outputTokens() < 0 && !counted) e = client.target.api().whole(whole, length, true);
            text.append(e.text());
            usage = e.outputTokens();
            return Outcome.OK;
        } catch (RuntimeException bad) {
            return Outcome.MALFORMED;
        }
    }

    void finish(long endNanos, Outcome outcome) {
        if (finished) return;
        finished = true;
        int counted = -1;
        if (outcome == Outcome.OK && (usage < 0 || loop.check()))
            counted = text.isEmpty() ? 0 : client.tokenizer.count(text);
        done.accept(new RequestRecord(
                intendedNanos,
                slotWaitNanos,
                sentNanos == 0 ? endNanos : sentNanos,
                firstByteNanos,
                Arrays.copyOf(tokens, tokenCount),
                endNanos,
                usage,
                counted,
                inputTokens,
                outcome,
                status));
    }
}
