package dev.llmlab.sim.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

/**
 * One engine replica: a step-level model of vLLM's continuous-batching scheduler (v1 engine).
 *
 * <h2>The model</h2>
 * The replica runs steps back to back while it has work. Each step the scheduler fills a token
 * budget of {@code max_num_batched_tokens}, as vLLM's v1 scheduler does (Yu et al., "Orca", OSDI
 * 2022, for iteration-level scheduling; Agrawal et al., "Sarathi-Serve", OSDI 2024, for chunked
 * prefill):
 * <ol>
 *   <li>Running sequences first, oldest first: a decoding sequence takes one token per choice; a
 *       sequence still in prefill takes as much of its remaining prompt as the budget allows.
 *       Each needs KV blocks for what it computes. When the cache has none left, the most
 *       recently admitted running sequence is preempted: its blocks are freed, and it goes back
 *       to the front of the queue to be recomputed (prompt and tokens so far) later. If that
 *       victim is the sequence being scheduled, scheduling stops.</li>
 *   <li>Then, unless something was preempted this step, waiting sequences in FIFO order while
 *       fewer than {@code max_num_seqs} run and budget and blocks remain. On admission the prefix
 *       cache is consulted: cached prompt blocks are not computed again (at least one token
 *       always is, to produce logits).</li>
 * </ol>
 * The step lasts what {@link CostModel} says for the tokens it computes and the KV tokens it
 * reads. When it ends, every sequence whose KV is now complete samples a token (one per choice),
 * delivered at once to its listener; a sequence that has all its tokens finishes and frees its
 * blocks, its full prompt blocks staying in the prefix cache. Then the next step starts.
 *
 * <p>The waiting queue is bounded by {@code max_waiting}, checked by {@link Deployment} before a
 * request is accepted; preempted sequences re-enter it regardless, as they were already accepted.
 * An aborted sequence (its client left) frees its blocks at once, even mid-step.
 *
 * <p>Confined to its clock's thread, except the counters the router reads.
 */
final class Replica {
    final int index;
    private final EngineSpec spec;
    private final EngineClock clock;
    private final EngineObserver observer;
    private final RandomGenerator rng;
    final KvCache cache;
    private final ArrayDeque<Sequence> waiting = new ArrayDeque<>();
    private final ArrayList<Sequence> running = new ArrayList<>();
    private final ArrayList<Sequence> scheduled = new ArrayList<>();
    private boolean busy;
    private long stepEndsAt;
    private boolean kickPending;
    private final Runnable stepEnd = this::endStep;
    private final Runnable kick = this::kicked;
    /** Requests accepted and not finished, and of those the ones not running; read by the router from any thread. */
    final AtomicInteger outstanding = new AtomicInteger();

    final AtomicInteger waitingCount = new AtomicInteger();
    // totals, for tests and the JMH benchmark
    long steps;
    long preemptions;

    Replica(int index, EngineSpec spec, EngineClock clock, EngineObserver observer, RandomGenerator rng) {
        this.index = index;
        this.spec = spec;
        this.clock = clock;
        this.observer = observer;
        this.rng = rng;
        this.cache = new KvCache(spec.numBlocks(), spec.blockSize());
    }

    EngineClock clock() {
        return clock;
    }

    /** On the replica's thread: queues an accepted sequence and starts a step if idle. */
    void enqueue(Sequence s) {
        if (s.state == Sequence.State.ABORTED) return; // cancelled before it arrived here; abort did the counting
        s.arrivalNanos = clock.now();
        waiting.addLast(s);
        if (!busy && !kickPending) {
            // Deferred, so that requests arriving together start in the same step.
            kickPending = true;
            clock.execute(kick);
        }
    }

    private void kicked() {
        kickPending = false;
        if (!busy) startStep(clock.now());
    }

    /** On the replica's thread: drops a sequence whose client left and frees its blocks now. */
    void abort(Sequence s) {
        switch (s.state) {
            case WAITING -> {
                waiting.remove(
                        s); // absent when the cancel overtook the enqueue: the reservation is returned all the same
                waitingCount.decrementAndGet();
            }
            case RUNNING -> {
                running.remove(s);
                cache.release(s);
            }
            default -> {
                return;
            }
        }
        s.state = Sequence.State.ABORTED;
        outstanding.decrementAndGet();
    }

    // ---------------------------------------------------------------- the step

    /**
     * Schedules a step starting at {@code now}: the current time after an idle spell, or the modelled
     * end of the previous step, so that a live timer's lateness does not accumulate into drift.
     */
    private void startStep(long now) {
        long prefill = 0;
        long decode = 0;
        long kvRead = 0;
        int budget = spec.maxNumBatchedTokens();
        boolean preempted = false;
        scheduled.clear();

        for (int i = 0; i < running.size() && budget > 0; i++) {
            Sequence s = running.get(i);
            long kv = s.kvTokens();
            boolean isPrefill =
                    s.generated == 0 || kv - s.computed > s.width; // a recompute after preemption is a prefill
            int n = (int) Math.min(kv - s.computed, budget);
            int more = cache.blocksFor(s.computed + n) - KvCache.held(s);
            boolean gotBlocks = true;
            while (!cache.allocate(s, more)) {
                Sequence victim = running.removeLast();
                preempt(victim);
                preempted = true;
                if (victim == s) {
                    gotBlocks = false;
                    break;
                }
            }
            if (!gotBlocks) break;
            s.scheduled = n;
            s.prefilling = isPrefill;
            scheduled.add(s);
            budget -= n;
            if (isPrefill) prefill += n;
            else decode += n;
            kvRead += s.computed + n;
        }

        if (!preempted) {
            while (!waiting.isEmpty() && running.size() < spec.maxNumSeqs() && budget > 0) {
                Sequence s = waiting.peekFirst();
                // Live, a late timer starts this step in the past (at the last one's modelled end): a request
                // that arrived after that instant joins the next step, as it would have on time.
                if (s.arrivalNanos > now) break;
                long kv = s.kvTokens();
                int hits = 0;
                int cachedTokens = 0;
                if (spec.prefixCaching() && s.blockHashes.length > 0) {
                    hits = cache.cachedPrefix(s.blockHashes);
                    cachedTokens = (int) Math.min((long) hits * spec.blockSize(), kv - 1);
                }
                int n = (int) Math.min(kv - cachedTokens, budget);
                if (!spec.chunkedPrefill() && n < kv - cachedTokens) break;
                int more = cache.blocksFor(cachedTokens + n) - hits;
                if (!cache.canAdmit(s.blockHashes, hits, more)) break;
                cache.share(s, s.blockHashes, hits);
                cache.allocate(s, more);
                waiting.pollFirst();
                waitingCount.decrementAndGet();
                if (spec.prefixCaching()) observer.prefixLookup(index, kv, cachedTokens);
                if (s.firstScheduledNanos < 0) {
                    s.firstScheduledNanos = now;
                    s.cachedTokens = cachedTokens;
                }
                s.computed = cachedTokens;
                s.published = hits;
                s.state = Sequence.State.RUNNING;
                running.add(s);
                s.scheduled = n;
                s.prefilling = true;
                scheduled.add(s);
                budget -= n;
                prefill += n;
                kvRead += cachedTokens + n;
            }
        }

        if (scheduled.isEmpty()) {
            busy = false;
            stepEnded();
            if (!waiting.isEmpty()) {
                // Work left with nothing scheduled: a preemption emptied the batch (try again at once), or
                // the queue's head arrived after this late step's start (start when it arrived).
                if (preempted) {
                    kickPending = true;
                    clock.execute(kick);
                } else if (waiting.peekFirst().arrivalNanos > now) {
                    kickPending = true;
                    clock.schedule(waiting.peekFirst().arrivalNanos, kick);
                }
            }
            return;
        }
        busy = true;
        steps++;
        stepEndsAt = now + spec.cost().stepNanos(prefill, decode, kvRead, rng);
        clock.schedule(stepEndsAt, stepEnd);
    }

    private void preempt(Sequence victim) {
        cache.release(victim);
        victim.computed = 0;
        victim.published = 0;
        victim.state = Sequence.State.WAITING;
        victim.preemptions++;
        waiting.addFirst(victim);
        waitingCount.incrementAndGet();
        preemptions++;
        observer.preempted(index);
    }

    private void endStep() {
        long now = stepEndsAt; // model time: a late timer delivers tokens late, but stamps and schedules as modelled
        boolean anyFinished = false;
        for (int i = 0; i < scheduled.size(); i++) {
            Sequence s = scheduled.get(i);
            if (s.state != Sequence.State.RUNNING) continue; // aborted or preempted during the step
            s.computed += s.scheduled;
            publishPromptBlocks(s);
            if (s.computed < s.kvTokens()) continue; // a prefill chunk: no token yet
            s.generated++;
            if (s.firstTokenNanos < 0) s.firstTokenNanos = now;
            s.lastTokenNanos = now;
            tell(s, now, false);
            if (s.state != Sequence.State.RUNNING) continue; // the listener aborted it
            if (s.generated >= s.outputTokens) {
                s.state = Sequence.State.FINISHED;
                cache.release(s);
                outstanding.decrementAndGet();
                anyFinished = true;
                observer.requestFinished(
                        index,
                        s.firstScheduledNanos - s.arrivalNanos,
                        s.firstTokenNanos - s.firstScheduledNanos,
                        s.lastTokenNanos - s.firstTokenNanos);
                tell(s, now, true);
            }
        }
        if (anyFinished) running.removeIf(s -> s.state == Sequence.State.FINISHED);
        scheduled.clear();
        stepEnded();
        startStep(now);
    }

    /**
     * Tells a listener of a token or the end. A listener that throws is a bug outside the engine:
     * it is logged, and the step goes on, so that one bad callback cannot stop a replica for good.
     */
    private static void tell(Sequence s, long now, boolean finished) {
        try {
            if (finished) s.listener.onFinished(s, now);
            else s.listener.onToken(s, now);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "engine listener failed", e);
        }
    }

    private void stepEnded() {
        try {
            observer.stepEnded(index, running.size(), waiting.size(), cache.usage());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "engine observer failed", e);
        }
    }

    private static final System.Logger LOG = System.getLogger("llmlab.engine");

    private void publishPromptBlocks(Sequence s) {
        if (!spec.prefixCaching()) return;
        int full = (int) Math.min(s.computed / spec.blockSize(), s.blockHashes.length);
        while (s.published < full) cache.publish(s, s.blockHashes[s.published++]);
    }

    int running() {
        return running.size();
    }

    int waiting() {
        return waiting.size();
    }

    /** For the JMH benchmark: one step's scheduling and completion without a clock round trip. */
    List<Sequence> runningView() {
        return running;
    }
}
