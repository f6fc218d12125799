package dev.llmlab.sim.serve;

import dev.llmlab.api.Completion;
import dev.llmlab.api.GenerationRequest;
import dev.llmlab.core.random.Seeds;
import dev.llmlab.http.Exchange;
import dev.llmlab.http.SseStream;
import dev.llmlab.sim.catalog.Admission;
import dev.llmlab.sim.catalog.LatencyProfile;
import dev.llmlab.sim.catalog.ModelSpec;
import dev.llmlab.sim.fault.Fault;
import dev.llmlab.sim.metrics.SimMetrics.ModelMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * One generation request, from admission to its last byte. Its timing comes from one of two
 * models. In the "profile" model the first token comes after a sampled TTFT (plus prefill per
 * prompt token), each further step after a sampled inter-token latency. On the batching engine
 * ({@link EngineRun}) the request is a sequence of the model's deployment, and each step is sent
 * when the engine produced its token. All choices of a request advance in lockstep. What the reply
 * says, and how each step is framed, is its {@link Reply}'s business.
 *
 * <p>Streams run on the connection's event loop with one timer per step and no thread per
 * request. Due times are absolute, so timer lateness does not accumulate into drift. A reader that
 * stops reading pauses the stream at the channel's high-water mark ({@link SseStream#whenWritable})
 * and the schedule restarts from when it drains, so a stalled client costs bounded memory; a client
 * that disconnects aborts the generation at once and frees its admission slot.
 *
 * <p>Confined to its event loop after {@link #start()}; not thread-safe.
 */
final class Generation implements Admission.Waiter, Runnable {

    /** A token frame is about 300 bytes; room for one avoids a regrow per token. */
    private static final int FRAME_CAPACITY = 512;

    private static final int MAX_BATCH_BYTES = 16 * 1024;

    private final SimContext ctx;
    private final Exchange ex;
    private final GenerationRequest req;
    final ModelSpec model;
    private final ModelMetrics metrics;
    private final int promptTokens;
    private final long timingSeed;
    private RandomGenerator timing; // created on first use: instant profiles never draw
    private final LatencyProfile profile;
    private final Fault fault; // null for none
    /** The Responses API echoes the request's {@code instructions}; set by the handler. */
    String instructions;

    private boolean faultApplied;

    private final Reply reply;
    private long queueNanos;
    private boolean finished;
    // stream state
    private SseStream sse;
    private long nextDue;
    private long lastEmit;
    private ScheduledFuture<?> timer;
    /** Set while the stream waits for the socket to drain; the engine's deliveries must not register more waits. */
    private boolean awaitingWritable;
    /** Set when the batching engine times this request. */
    private EngineRun engine;
    /** Steps written to the stream so far. */
    private int emitted;

    Generation(
            SimContext ctx,
            Exchange ex,
            GenerationRequest req,
            ModelSpec model,
            int promptTokens,
            int limit,
            long contentSeed,
            long timingSeed,
            Fault fault) {
        this.fault = fault;
        this.ctx = ctx;
        this.ex = ex;
        this.req = req;
        this.model = model;
        this.metrics = ctx.metrics().model(model.id());
        this.promptTokens = promptTokens;
        this.timingSeed = timingSeed;
        this.reply = new Reply(ctx, req, model, promptTokens, limit, contentSeed);
        this.profile = model.profile();
    }

    /** The fault decided for this request, or null. */
    Fault fault() {
        return fault;
    }

    void queued() {
        metrics.waitingInc();
        ex.onClose(this::clientGoneWhileQueued);
    }

    /** A client that leaves while queued gives up its place at once instead of holding the queue. */
    private void clientGoneWhileQueued() {
        if (!reply.planned() && !finished && model.admission().cancel(this)) {
            finished = true;
            metrics.waitingDec();
            metrics.finished(System.nanoTime() - ex.receivedNanos(), promptTokens, 0, "abort");
        }
    }

    @Override
    public void admitted() {
        metrics.waitingDec();
        ex.eventLoop().execute(this::start);
    }

    void start() {
        queueNanos = System.nanoTime() - ex.receivedNanos();
        metrics.runningInc();
        if (!ex.isOpen()) {
            finish(0, "abort");
            return;
        }
        reply.plan();
        if (req.stream()) startStream();
        else startWhole();
    }

    // ---------------------------------------------------------------- whole responses

    private void startWhole() {
        Completion completion = reply.whole();
        int steps = reply.longestChoiceTokens();
        String reason = completion.choices().getFirst().finishReason().wire();
        long delay = 0;
        if (!profile.instant()) {
            long ttft = profile.ttftNanos(timing(), promptTokens);
            metrics.ttft(queueNanos + ttft);
            delay = ttft;
            for (int s = 1; s < steps; s++) {
                long gap = profile.itlNanos(timing());
                metrics.itl(gap);
                delay += gap;
            }
        } else {
            metrics.ttft(queueNanos);
            // an instant server's gaps are zero, and still one per token, as its streams count them
            for (int s = 1; s < steps; s++) metrics.itl(0);
        }
        delay += wholeFaultDelay();
        if (delay <= 0) {
            respondWhole(completion, reason);
        } else {
            timer = ex.eventLoop().schedule(() -> respondWhole(completion, reason), delay, TimeUnit.NANOSECONDS);
            ex.onClose(this::clientGone);
        }
    }

    /** A delay or stall fault holds a whole response back by its time. */
    long wholeFaultDelay() {
        if (fault != null && (fault.kind() == Fault.Kind.DELAY || fault.kind() == Fault.Kind.STALL)) {
            injected();
            return fault.kind() == Fault.Kind.DELAY ? fault.delayNanos() : fault.stallNanos();
        }
        return 0;
    }

    void respondWhole(Completion c, String reason) {
        if (!ex.isOpen()) {
            finish(c.usage().completionTokens(), "abort");
            return;
        }
        if (fault != null && fault.kind() == Fault.Kind.DROP) {
            injected();
            finish(c.usage().completionTokens(), "abort");
            ex.abort();
            return;
        }
        ByteBuf body = ex.alloc().buffer(1024);
        ByteBufOutputStream out = new ByteBufOutputStream(body);
        Wires.writeWhole(out, req, c, instructions);
        if (fault != null && fault.kind() == Fault.Kind.TRUNCATE) {
            injected();
            body.writerIndex(body.readerIndex() + body.readableBytes() / 2); // cut in the middle of the JSON
        } else if (fault != null && fault.kind() == Fault.Kind.MALFORMED) {
            injected();
            body.setByte(body.writerIndex() - 1, ','); // the closing brace becomes a comma: no longer JSON
        }
        ex.respond(200, Replies.JSON, body);
        finish(c.usage().completionTokens(), reason);
    }

    // ---------------------------------------------------------------- streams

    private void startStream() {
        openStream();
        long now = System.nanoTime();
        nextDue = now + (profile.instant() ? 0 : profile.ttftNanos(timing(), promptTokens));
        if (fault != null && fault.kind() == Fault.Kind.DELAY) {
            injected();
            nextDue += fault.delayNanos();
        }
        if (nextDue <= now) run();
        else timer = ex.eventLoop().schedule(this, nextDue - now, TimeUnit.NANOSECONDS);
    }

    /** Sends the stream's headers; its frames follow as steps are emitted. */
    void openStream() {
        sse = ex.startSse();
        ctx.metrics().streamOpened();
        sse.onClose(this::clientGone);
        reply.openStream(instructions);
    }

    /** Engine mode: the engine has produced steps beyond those sent; send them unless a timer (a stall) holds the stream. */
    void drain() {
        if (timer == null && !awaitingWritable && !finished) run();
    }

    /**
     * Every step that is due: the frames of all of them go out in one write (a late stream catches
     * up with one syscall, not one per token, which matters exactly when the server is overloaded),
     * then the timer is re-armed for the next step.
     */
    @Override
    public void run() {
        timer = null;
        ByteBuf buf = null;
        while (!finished) {
            if (!sse.isWritable()) {
                if (buf != null) sse.send(buf);
                awaitingWritable = true;
                sse.whenWritable(this::resume);
                return;
            }
            if (fault != null
                    && !faultApplied
                    && fault.actsAfterTokens()
                    && reply.firstChoiceTokens() >= fault.afterTokens()) {
                if (applyStreamFault(buf)) return;
                buf = null;
            }
            if (engine != null && emitted >= engine.available()) {
                if (buf != null) sse.send(buf);
                return; // the engine's next step brings more
            }
            if (buf == null) buf = ex.alloc().buffer(FRAME_CAPACITY);
            // admitted by now (it produced a token): the prompt's cache reads are known for the stream's usage
            if (engine != null && emitted == 0) reply.cachedTokens(engine.cachedTokens());
            boolean complete = emitStep(buf);
            emitted++;
            if (complete) {
                int generated = reply.generatedTokens();
                sse.send(buf);
                sse.end();
                finish(generated, reply.firstReason().wire());
                return;
            }
            if (engine != null) {
                if (buf.readableBytes() >= MAX_BATCH_BYTES) {
                    sse.send(buf);
                    buf = null;
                }
                continue;
            }
            if (!profile.instant()) {
                for (int i = 0; i < ctx.tokensPerChunk(); i++) nextDue += profile.itlNanos(timing());
            }
            long now = System.nanoTime();
            if (nextDue > now) {
                sse.send(buf);
                timer = ex.eventLoop().schedule(this, nextDue - now, TimeUnit.NANOSECONDS);
                return;
            }
            if (buf.readableBytes() >= MAX_BATCH_BYTES) {
                // Hand over what is ready so writability reflects it before more is produced.
                sse.send(buf);
                buf = null;
            }
        }
        if (buf != null) buf.release();
    }

    /**
     * Applies a mid-stream fault now that its token count is reached, after sending what is ready
     * in {@code buf}; true when the stream is over (dropped or truncated).
     */
    private boolean applyStreamFault(ByteBuf buf) {
        switch (fault.kind()) {
            case STALL -> {
                injected();
                if (buf != null) sse.send(buf);
                nextDue = Math.max(nextDue, System.nanoTime()) + fault.stallNanos();
                timer = ex.eventLoop().schedule(this, nextDue - System.nanoTime(), TimeUnit.NANOSECONDS);
                return true;
            }
            case DROP -> {
                injected();
                if (buf != null) sse.send(buf);
                finish(reply.generatedTokens(), "abort");
                sse.abort();
                return true;
            }
            case TRUNCATE -> {
                injected();
                if (buf != null) sse.send(buf);
                finish(reply.generatedTokens(), "abort");
                sse.end();
                return true;
            }
            case MALFORMED -> {
                injected();
                ByteBuf frame = buf != null ? buf : ex.alloc().buffer(FRAME_CAPACITY);
                reply.writeMalformed(new ByteBufOutputStream(frame));
                sse.send(frame);
                return false;
            }
            default -> throw new IllegalStateException(fault.kind().name());
        }
    }

    /** Counts the request's fault, once, when it takes effect. */
    private void injected() {
        if (faultApplied) return;
        faultApplied = true;
        ctx.metrics().faultInjected(fault.kind().label(), model.id());
    }

    /** After back-pressure the schedule restarts from now: a real server's decode does not run ahead of a stalled socket forever either. */
    private void resume() {
        awaitingWritable = false;
        if (finished) return;
        nextDue = Math.max(nextDue, System.nanoTime());
        run();
    }

    /** Writes one step's frames into {@code buf}; true when that was the last step (the stream's end written). */
    private boolean emitStep(ByteBuf buf) {
        boolean truncate = fault != null && fault.kind() == Fault.Kind.TRUNCATE;
        // On the engine a step is one token, whatever tokens_per_chunk says.
        boolean last =
                reply.writeStep(new ByteBufOutputStream(buf), engine != null ? 1 : ctx.tokensPerChunk(), !truncate);
        long now = System.nanoTime();
        if (lastEmit == 0) metrics.ttft(now - ex.receivedNanos());
        else metrics.itl(now - lastEmit);
        lastEmit = now;
        if (last && truncate) injected();
        return last;
    }

    void clientGone() {
        if (finished) return;
        if (timer != null) timer.cancel(false);
        finish(reply.generatedTokens(), "abort");
    }

    // ---------------------------------------------------------------- shared

    private RandomGenerator timing() {
        if (timing == null) timing = Seeds.rng(timingSeed);
        return timing;
    }

    void finish(int generated, String reason) {
        if (finished) return;
        finished = true;
        if (sse != null) ctx.metrics().streamClosed();
        metrics.finished(System.nanoTime() - ex.receivedNanos(), promptTokens, generated, reason);
        if (engine != null && reason.equals("abort"))
            engine.cancel(); // client gone, dropped or cut: free the KV blocks now
        if (engine == null) {
            // the engine reports its own running and waiting counts, per replica
            metrics.runningDec();
            model.admission().release();
        }
    }

    /** Engine mode: the engine refused the request, which was answered as such; nothing ran, nothing to count. */
    void refused() {
        finished = true;
    }

    /** A delay fault holds a stream's start back by its time. */
    long streamDelayNanos() {
        if (fault != null && fault.kind() == Fault.Kind.DELAY) {
            injected();
            return fault.delayNanos();
        }
        return 0;
    }

    /** Engine mode: this request runs on {@code run}; called before it is submitted. */
    void useEngine(EngineRun run) {
        this.engine = run;
    }

    boolean isFinished() {
        return finished;
    }

    SimContext ctx() {
        return ctx;
    }

    Exchange exchange() {
        return ex;
    }

    GenerationRequest request() {
        return req;
    }

    int promptTokens() {
        return promptTokens;
    }

    ModelMetrics metrics() {
        return metrics;
    }

    Reply reply() {
        return reply;
    }
}
