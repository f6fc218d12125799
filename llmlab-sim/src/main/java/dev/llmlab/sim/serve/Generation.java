package dev.llmlab.sim.serve;

import dev.llmlab.api.Choice;
import dev.llmlab.api.Completion;
import dev.llmlab.api.FinishReason;
import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.GenerationRequest.Endpoint;
import dev.llmlab.api.TokenLogprob;
import dev.llmlab.api.ToolCall;
import dev.llmlab.api.Usage;
import dev.llmlab.core.random.Seeds;
import dev.llmlab.http.Exchange;
import dev.llmlab.http.SseStream;
import dev.llmlab.sim.catalog.Admission;
import dev.llmlab.sim.catalog.LatencyProfile;
import dev.llmlab.sim.catalog.ModelSpec;
import dev.llmlab.sim.fault.Fault;
import dev.llmlab.sim.metrics.SimMetrics.ModelMetrics;
import dev.llmlab.sim.text.ChoiceCursor;
import dev.llmlab.sim.text.ChoicePlan;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * One generation request, from admission to its last byte. Its timing comes from one of two
 * models. In the "profile" model the first token comes after a sampled TTFT (plus prefill per
 * prompt token), each further step after a sampled inter-token latency. On the batching engine
 * ({@link EngineRun}) the request is a {@link Sequence} of the model's {@link Deployment}, and each
 * step is sent when the engine produced its token. All choices of a request advance in lockstep.
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
  private final int limit;
  private final long contentSeed;
  private final long timingSeed;
  private RandomGenerator timing; // created on first use: instant profiles never draw
  private final LatencyProfile profile;
  private final Fault fault; // null for none
  /** The Responses API echoes the request's {@code instructions}; set by the handler. */
  String instructions;
  private boolean faultApplied;

  private ChoicePlan[] plans;
  private long queueNanos;
  private boolean finished;
  // stream state
  private SseStream sse;
  private StreamFormat format;
  private boolean[] opened;
  private boolean[] done;
  private int remaining;
  private long nextDue;
  private long lastEmit;
  private ScheduledFuture<?> timer;
  /** Set when the batching engine times this request. */
  private EngineRun engine;
  /** Steps written to the stream so far. */
  private int emitted;

  Generation(SimContext ctx, Exchange ex, GenerationRequest req, ModelSpec model, int promptTokens, int limit,
             long contentSeed, long timingSeed, Fault fault) {
    this.fault = fault;
    this.ctx = ctx;
    this.ex = ex;
    this.req = req;
    this.model = model;
    this.metrics = ctx.metrics().model(model.id());
    this.promptTokens = promptTokens;
    this.limit = limit;
    this.contentSeed = contentSeed;
    this.timingSeed = timingSeed;
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
    if (plans == null && !finished && model.admission().cancel(this)) {
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
    plans = planChoices();
    if (req.stream()) startStream();
    else startWhole();
  }

  ChoicePlan[] planChoices() {
    int perPrompt = req.n();
    boolean legacy = req.endpoint() == Endpoint.COMPLETION; // one prompt per choice group; chat APIs have one conversation
    int prompts = legacy ? req.prompts().size() : 1;
    ChoicePlan[] out = new ChoicePlan[prompts * perPrompt];
    for (int k = 0; k < out.length; k++) {
      long seed = legacy ? Seeds.mix(contentSeed, k / perPrompt) : contentSeed;
      RandomGenerator lengthRng = Seeds.rng(Seeds.mix(seed, k, 0x1e));
      int target = (int) Math.max(1, Math.round(model.outputTokens().sample(lengthRng)));
      out[k] = ctx.composer().plan(model, req, k, seed, limit, target);
    }
    return out;
  }

  // ---------------------------------------------------------------- whole responses

  private void startWhole() {
    Completion completion = composeWhole();
    int steps = 0;
    for (ChoicePlan p : plans) steps = Math.max(steps, p.cursor().tokens());
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

  /** Every choice's whole text, walked from {@link #plans}; the plans' cursors end finished. */
  Completion composeWhole() {
    List<Choice> choices = new ArrayList<>(plans.length);
    int generated = 0;
    for (int k = 0; k < plans.length; k++) {
      ChoicePlan plan = plans[k];
      ChoiceCursor cursor = plan.cursor();
      // Sized for the common short reply (about 6 characters per token) so it rarely regrows.
      StringBuilder text = new StringBuilder(Math.min(limit, 512) * 6 + 16);
      if (req.echo()) text.append(echoText(k));
      List<TokenLogprob> lps = req.logprobs() ? new ArrayList<>() : null;
      for (String piece = cursor.next(); piece != null; piece = cursor.next()) {
        text.append(piece);
        if (lps != null && !piece.isEmpty()) lps.add(plan.logprob(piece));
      }
      generated += cursor.tokens();
      FinishReason reason = reason(plan);
      String stop = plan.cursor().stopSequence();
      if (plan.isToolCall()) {
        choices.add(new Choice(k, null, List.of(new ToolCall(plan.toolCallId(), plan.toolName(), text.toString())),
            reason, lps, stop));
      } else {
        choices.add(new Choice(k, text.toString(), List.of(), reason, lps, stop));
      }
    }
    return new Completion(Wires.newId(req), System.currentTimeMillis() / 1000, model.id(),
        model.fingerprint(), choices, new Usage(promptTokens, generated, 0));
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
    format = Wires.stream(req, model.id(), model.fingerprint(), promptTokens, plans, instructions);
    opened = new boolean[plans.length];
    done = new boolean[plans.length];
    remaining = plans.length;
  }

  /** Engine mode: the engine has produced steps beyond those sent; send them unless a timer (a stall) holds the stream. */
  void drain() {
    if (timer == null && !finished) run();
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
        sse.whenWritable(this::resume);
        return;
      }
      if (fault != null && !faultApplied && fault.actsAfterTokens() && plans[0].cursor().tokens() >= fault.afterTokens()) {
        if (applyStreamFault(buf)) return;
        buf = null;
      }
      if (engine != null && emitted >= engine.available()) {
        if (buf != null) sse.send(buf);
        return; // the engine's next step brings more
      }
      if (buf == null) buf = ex.alloc().buffer(FRAME_CAPACITY);
      boolean complete = emitStep(buf);
      emitted++;
      if (complete) {
        int generated = generatedTokens();
        sse.send(buf);
        sse.end();
        finish(generated, reason(plans[0]).wire());
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
        finish(generatedTokens(), "abort");
        sse.abort();
        return true;
      }
      case TRUNCATE -> {
        injected();
        if (buf != null) sse.send(buf);
        finish(generatedTokens(), "abort");
        sse.end();
        return true;
      }
      case MALFORMED -> {
        injected();
        ByteBuf frame = buf != null ? buf : ex.alloc().buffer(FRAME_CAPACITY);
        format.malformed(new ByteBufOutputStream(frame));
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
    if (finished) return;
    nextDue = Math.max(nextDue, System.nanoTime());
    run();
  }

  /** Writes one step's frames into {@code buf}; true when that was the last step (terminator written). */
  private boolean emitStep(ByteBuf buf) {
    ByteBufOutputStream out = new ByteBufOutputStream(buf);
    for (int k = 0; k < plans.length; k++) {
      if (done[k]) continue;
      ChoicePlan plan = plans[k];
      if (!opened[k]) {
        opened[k] = true;
        format.open(out, k, plan, req.echo() ? echoText(k) : null);
      }
      String text = nextChunkText(plan);
      if (text != null && !text.isEmpty()) {
        if (plan.isToolCall()) format.toolArguments(out, k, text);
        else format.text(out, k, text, req.logprobs() ? plan.logprob(text) : null);
      }
      if (plan.cursor().finished()) {
        done[k] = true;
        remaining--;
        format.finish(out, k, reason(plan), plan.cursor().stopSequence());
      }
    }
    long now = System.nanoTime();
    if (lastEmit == 0) metrics.ttft(now - ex.receivedNanos());
    else metrics.itl(now - lastEmit);
    lastEmit = now;
    if (remaining > 0) return false;
    boolean truncate = fault != null && fault.kind() == Fault.Kind.TRUNCATE;
    if (truncate) injected();
    format.end(out, new Usage(promptTokens, generatedTokens(), 0), !truncate);
    return true;
  }

  private String nextChunkText(ChoicePlan plan) {
    ChoiceCursor cursor = plan.cursor();
    String first = cursor.next();
    // On the engine a step is one token, whatever tokens_per_chunk says.
    if (ctx.tokensPerChunk() == 1 || engine != null || first == null || cursor.finished()) return first;
    StringBuilder sb = new StringBuilder(first);
    for (int i = 1; i < ctx.tokensPerChunk() && !cursor.finished(); i++) {
      String more = cursor.next();
      if (more == null) break;
      sb.append(more);
    }
    return sb.toString();
  }

  void clientGone() {
    if (finished) return;
    if (timer != null) timer.cancel(false);
    if (engine != null) engine.cancel();
    finish(generatedTokens(), "abort");
  }

  // ---------------------------------------------------------------- shared

  private RandomGenerator timing() {
    if (timing == null) timing = Seeds.rng(timingSeed);
    return timing;
  }

  private int generatedTokens() {
    int n = 0;
    if (plans != null) for (ChoicePlan p : plans) n += p.cursor().tokens();
    return n;
  }

  private String echoText(int k) {
    var p = req.prompts().get(k / req.n());
    return p.isTokens() ? model.tokenizer().decode(p.tokens()) : p.text();
  }

  private static FinishReason reason(ChoicePlan plan) {
    FinishReason r = plan.cursor().finishReason();
    return plan.isToolCall() && r == FinishReason.STOP ? FinishReason.TOOL_CALLS : r;
  }

  void finish(int generated, String reason) {
    if (finished) return;
    finished = true;
    if (sse != null) ctx.metrics().streamClosed();
    metrics.finished(System.nanoTime() - ex.receivedNanos(), promptTokens, generated, reason);
    if (engine == null) {
      // the engine reports its own running and waiting counts, per replica
      metrics.runningDec();
      model.admission().release();
    }
  }

  /** Plans every choice's content; engine mode calls it instead of {@link #start}. */
  void plan() {
    plans = planChoices();
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

  SimContext ctx() { return ctx; }

  Exchange exchange() { return ex; }

  GenerationRequest request() { return req; }

  int promptTokens() { return promptTokens; }

  ModelMetrics metrics() { return metrics; }

}
