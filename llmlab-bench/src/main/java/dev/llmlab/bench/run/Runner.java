package dev.llmlab.bench.run;

import dev.llmlab.bench.client.BenchClient;
import dev.llmlab.bench.load.Schedule;
import dev.llmlab.bench.load.Workload;
import dev.llmlab.bench.measure.RequestRecord;
import dev.llmlab.http.client.ClientLoop;
import java.util.ArrayDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * Drives a {@link BenchClient} through a {@link LoadPlan} and hands every measured request's record
 * to a sink (the recorder, the time series, the request log), on the event loop it ended on.
 *
 * <p>Open loop: the schedule's intended send times are computed first and dealt over the client's
 * event loops, which send from timers ({@link OpenLoop}), so a send is late only when the client
 * is. How late ({@code actual - intended}, the schedule lag) is tracked, and a run that fell
 * behind its schedule, or whose lag is large beside its latencies, is invalid ({@link Validity}):
 * its numbers would describe the client. With a concurrency cap, a request
 * that finds every slot taken waits in FIFO order for one; that wait is its {@code queue_wait},
 * and latencies from its intended send include it.
 *
 * <p>Closed loop: each of {@code concurrency} users sends, waits for the answer, and sends again;
 * with a ramp, users join over the ramp's length ({@link #rampOffset}).
 */
public final class Runner {
    /**
     * Told once a second of an open loop's progress; a non-null answer stops the run with that
     * reason (see {@link dev.llmlab.bench.measure.SaturationDetector}).
     *
     * <p>{@code offered}: arrivals in that second; {@code completed}: requests that ended in it;
     * {@code inFlight}: arrived and not ended at its end, queued ones included; {@code ttftMeanMs}:
     * the mean TTFT, from the intended send, of the streamed requests that ended in it (NaN: none);
     * {@code e2eMeanMs}: likewise the mean e2e of the successful requests that ended in it.
     */
    @FunctionalInterface
    public interface Watch {
        String check(int second, long offered, long completed, long inFlight, double ttftMeanMs, double e2eMeanMs);
    }

    /**
     * A run stopped from outside, by a person's Ctrl-C: nothing more is sent, requests in flight get
     * a grace to end, then are abandoned, and the run ends with {@code stopped_early} saying why.
     * As with the over-saturation stop, requests that end after the stop are not measured: the
     * result holds what ended before it. Thread-safe; a stop before a run starts ends it at once.
     */
    public static final class Stop {
        private volatile String reason;

        /** Stops the run (the first reason is kept). */
        public void stop(String why) {
            if (reason == null) reason = why;
        }

        /** Why it was stopped; null while it was not. */
        public String reason() {
            return reason;
        }
    }

    /** After a stop, how long requests still in flight may take before they are abandoned. */
    private static final long STOP_GRACE_NANOS = 2_000_000_000L;

    private Runner() {}

    public static Delivery run(BenchClient client, Workload workload, LoadPlan plan, Consumer<RequestRecord> recorder) {
        return run(client, workload, plan, recorder, null, new Stop());
    }

    /**
     * @param watch judges an open loop each second, and may stop it (null: never)
     * @param stop  stops the run from outside
     */
    public static Delivery run(
            BenchClient client,
            Workload workload,
            LoadPlan plan,
            Consumer<RequestRecord> recorder,
            Watch watch,
            Stop stop) {
        if (!plan.openLoop()) return closed(client, workload, plan, recorder, stop);
        return replay(
                client,
                workload,
                plan,
                Schedule.open(
                        plan.rate(),
                        plan.arrivals(),
                        plan.seconds(),
                        plan.maxRequests(),
                        plan.ramp(),
                        plan.rampSeconds(),
                        plan.seed()),
                recorder,
                watch,
                stop);
    }

    private static boolean measured(LoadPlan plan, long offsetNanos) {
        double t = offsetNanos / 1e9;
        return t >= plan.warmupSeconds() && (plan.seconds() <= 0 || t < plan.seconds() - plan.cooldownSeconds());
    }

    /**
     * When user {@code u} (0-based) starts in a ramped closed loop: linearly, user u at
     * {@code T * u / N}; exponentially, concurrency {@code N * 100^(t/T - 1)} (from N / 100 up), so
     * user u at {@code T * (1 + log100((u + 1) / N))}, never before 0.
     */
    static double rampOffset(int u, LoadPlan plan) {
        double t = plan.rampSeconds();
        int n = plan.concurrency();
        return switch (plan.ramp()) {
            case NONE -> 0;
            case LINEAR -> t * u / n;
            case EXPONENTIAL -> Math.max(0, t * (1 + Math.log((u + 1.0) / n) / Math.log(100)));
        };
    }

    private static Delivery closed(
            BenchClient client, Workload workload, LoadPlan plan, Consumer<RequestRecord> recorder, Stop stop) {
        long start = System.nanoTime();
        long deadline = plan.seconds() > 0 ? start + (long) (plan.seconds() * 1e9) : Long.MAX_VALUE;
        long limit = plan.maxRequests() > 0 ? plan.maxRequests() : Long.MAX_VALUE;
        AtomicLong issued = new AtomicLong();
        AtomicLong lastEnd = new AtomicLong(start);
        CountDownLatch users = new CountDownLatch(plan.concurrency());
        // once the drain after the deadline is over, what ends is abandoned, not measured
        java.util.concurrent.atomic.AtomicBoolean cutOff = new java.util.concurrent.atomic.AtomicBoolean();
        for (int u = 0; u < plan.concurrency(); u++) {
            // With a ramp, user u joins when the ramp's concurrency reaches u + 1.
            long join = start + (long) (rampOffset(u, plan) * 1e9);
            long wait = join - System.nanoTime();
            if (wait > 0) LockSupport.parkNanos(wait);
            new Object() {
                void next() {
                    long now = System.nanoTime();
                    long i = issued.getAndIncrement();
                    if (now >= deadline || i >= limit || stop.reason() != null) {
                        users.countDown();
                        return;
                    }
                    Workload.Request r = workload.get(i);
                    client.send(r.body(), r.inputTokens(), now, 0, rec -> {
                        if (stop.reason() == null && !cutOff.get() && measured(plan, rec.sentNanos() - start)) {
                            recorder.accept(rec);
                            lastEnd.accumulateAndGet(rec.endNanos(), Math::max);
                        }
                        next();
                    });
                }
            }.next();
        }
        long abandonAt = Long.MAX_VALUE; // once stopped: when what is still in flight is abandoned
        long drainEnd = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline + (long) (plan.drainSeconds() * 1e9);
        long abandoned = 0;
        while (!await(users, 100_000_000L)) {
            if (stop.reason() == null && System.nanoTime() >= drainEnd) {
                // each user still counted has one request in flight: past the drain, it is abandoned
                abandoned = users.getCount();
                cutOff.set(true);
                client.cancelAll();
                await(users, STOP_GRACE_NANOS);
                break;
            }
            if (stop.reason() == null) continue;
            if (abandonAt == Long.MAX_VALUE) abandonAt = System.nanoTime() + STOP_GRACE_NANOS;
            if (System.nanoTime() >= abandonAt) {
                client.cancelAll();
                await(users, STOP_GRACE_NANOS);
                break;
            }
        }
        double window = (lastEnd.get() - start) / 1e9 - plan.warmupSeconds();
        long sent = Math.min(issued.get(), limit);
        return new Delivery(
                Math.max(window, 1e-9),
                sent,
                sent / ((System.nanoTime() - start) / 1e9),
                new Histogram(3),
                true,
                null,
                client.connectionsOpened(),
                stop.reason(),
                start,
                abandoned);
    }

    /** An open loop on a given schedule (a trace's timestamps, or one drawn from the plan): request i at offset i. */
    public static Delivery replay(
            BenchClient client, Workload workload, LoadPlan plan, Schedule schedule, Consumer<RequestRecord> recorder) {
        return replay(client, workload, plan, schedule, recorder, null, new Stop());
    }

    /**
     * @param watch judges the run each second, and may stop it (null: never)
     * @param stop  stops the run from outside
     */
    public static Delivery replay(
            BenchClient client,
            Workload workload,
            LoadPlan plan,
            Schedule schedule,
            Consumer<RequestRecord> recorder,
            Watch watch,
            Stop stop) {
        // Connections ready before the clock starts: one per request a second of the schedule (its mean rate), at most
        // 64
        // (or the concurrency cap), so that the first sends do not pay for handshakes and class loading.
        double span = schedule.size() < 2 ? 1 : Math.max(1e-3, schedule.offsetNanos(schedule.size() - 1) / 1e9);
        double rate = schedule.size() / span;
        client.warmUp((int)
                Math.max(1, Math.min(plan.maxConcurrency() > 0 ? plan.maxConcurrency() : 64, Math.ceil(rate))));
        OpenLoop loop = new OpenLoop(client, workload, plan, schedule, recorder);
        loop.begin();
        java.util.concurrent.ScheduledFuture<?> ticks = watch == null
                ? null
                : client.loop(0)
                        .scheduleAtFixedRate(
                                loop.ticker(watch),
                                loop.start + 1_000_000_000L - System.nanoTime(),
                                1_000_000_000L,
                                TimeUnit.NANOSECONDS);
        long abandonAt = Long.MAX_VALUE; // once stopped: when what is still in flight is abandoned
        // A run bounded by its duration: after the last scheduled send, what is in flight gets the drain
        long drainEnd = plan.seconds() <= 0 || schedule.size() == 0
                ? Long.MAX_VALUE
                : loop.start + schedule.offsetNanos(schedule.size() - 1) + (long) (plan.drainSeconds() * 1e9);
        long abandoned = 0;
        while (!await(loop.remaining, 100_000_000L)) {
            if (loop.stopped == null && stop.reason() != null) loop.stop(stop.reason());
            if (loop.stopped == null && System.nanoTime() >= drainEnd) {
                abandoned = loop.cutOff();
                client.cancelAll();
                await(loop.remaining, STOP_GRACE_NANOS);
                break;
            }
            if (loop.stopped == null) continue;
            if (abandonAt == Long.MAX_VALUE) abandonAt = System.nanoTime() + STOP_GRACE_NANOS;
            if (System.nanoTime() >= abandonAt) { // the grace is over: abandon what is left, and wait for nothing more
                client.cancelAll();
                await(loop.remaining, STOP_GRACE_NANOS);
                break;
            }
        }
        if (ticks != null) ticks.cancel(false);
        long start = loop.start;
        // The client kept to the schedule if it handled the last arrival (nearly) when it was due.
        double scheduledSpan = schedule.size() == 0 ? 0 : schedule.offsetNanos(schedule.size() - 1) / 1e9;
        double actualSpan = (loop.lastArrival.get() - start) / 1e9;
        // The rate reported is the measured window's: sends in it over the time they took (a ramp and
        // a warm-up would otherwise pull it below the target the window ran at).
        long sends = loop.measuredSends.get();
        double sendSpan = (loop.lastSend.get() - loop.firstSend.get()) / 1e9;
        double achieved = sends > 1 && sendSpan > 0 ? (sends - 1) / sendSpan : plan.rate();
        Histogram lag = loop.lag;
        // Only falling behind is judged here; the lag is judged against the run's latencies, which the
        // caller knows once the run is recorded (Delivery.judgeLag).
        String reason = loop.stopped == null ? Validity.behind(scheduledSpan, actualSpan) : null;
        double window = (loop.lastEnd.get() - start) / 1e9 - plan.warmupSeconds();
        return new Delivery(
                Math.max(window, 1e-9),
                loop.stopped == null ? schedule.size() : loop.arrived.get(),
                achieved,
                lag,
                reason == null,
                reason,
                client.connectionsOpened(),
                loop.stopped,
                start,
                abandoned);
    }

    /**
     * An open loop: the schedule dealt round robin over the client's event loops, each of which sends
     * its share from a timer set for the next intended time (every request already due goes at once,
     * so a late timer never loses sends), on its own connections. No thread spins and no send crosses
     * threads. The schedule lag of a request is its actual send minus its intended time and any slot
     * wait: everything the client added, a late timer or a busy loop. (A connection the send must
     * open first is part of the request's latency, not of the lag: see {@link BenchClient#send}.)
     *
     * <p>At most {@code cap} requests are in flight; an arrival that finds none free waits in FIFO
     * order, and a finishing request hands its slot straight to the longest waiter.
     */
    private static final class OpenLoop {
        final long start = System.nanoTime() + 20_000_000; // a moment to start the clock cleanly
        final AtomicLong lastEnd = new AtomicLong(start);
        final AtomicLong lastArrival = new AtomicLong(start);
        final AtomicLong measuredSends = new AtomicLong();
        final AtomicLong firstSend = new AtomicLong(Long.MAX_VALUE);
        final AtomicLong lastSend = new AtomicLong(Long.MIN_VALUE);
        final Histogram lag = new Histogram(3_600_000_000_000L, 3);
        final CountDownLatch remaining;
        private final BenchClient client;
        private final Workload workload;
        private final LoadPlan plan;
        private final Schedule schedule;
        private final Consumer<RequestRecord> recorder;
        private final int cap;
        /** Requests waiting for a slot, oldest first; also the lock over it and {@link #inFlight}. */
        private final ArrayDeque<Integer> slots = new ArrayDeque<>();

        private int inFlight;
        private final Consumer<RequestRecord> done = this::done;
        private final java.util.List<Dispatcher> dispatchers = new java.util.ArrayList<>();
        /** Why the run stopped early, once it did; from then on nothing is sent or recorded. */
        volatile String stopped;

        final AtomicLong arrived = new AtomicLong();
        final AtomicLong finished = new AtomicLong();
        private final AtomicLong ttftSum = new AtomicLong();
        private final AtomicLong ttftCount = new AtomicLong();
        private final AtomicLong e2eSum = new AtomicLong();
        private final AtomicLong e2eCount = new AtomicLong();

        /** The once-a-second check: the deltas since the last one, handed to {@code watch}. */
        Runnable ticker(Watch watch) {
            long[] last = new long[6]; // arrived, finished, ttft sum, ttft count, e2e sum, e2e count
            int[] second = {0};
            return () -> {
                if (stopped != null) return;
                long a = arrived.get();
                long f = finished.get();
                long ts = ttftSum.get();
                long tc = ttftCount.get();
                long es = e2eSum.get();
                long ec = e2eCount.get();
                double ttft = tc > last[3] ? (ts - last[2]) / 1e6 / (tc - last[3]) : Double.NaN;
                double e2e = ec > last[5] ? (es - last[4]) / 1e6 / (ec - last[5]) : Double.NaN;
                String reason = watch.check(second[0]++, a - last[0], f - last[1], a - f, ttft, e2e);
                last[0] = a;
                last[1] = f;
                last[2] = ts;
                last[3] = tc;
                last[4] = es;
                last[5] = ec;
                if (reason != null) stop(reason);
            };
        }

        /** Stops sending: the dispatchers wake to count off what they will not send, and the queue empties. */
        void stop(String reason) {
            stopped = reason;
            for (Dispatcher d : dispatchers) d.loop.execute(d);
            if (cap == Integer.MAX_VALUE) return;
            int dropped;
            synchronized (slots) {
                dropped = slots.size();
                slots.clear();
            }
            for (int i = 0; i < dropped; i++) remaining.countDown();
        }

        /** Whether the drain is over: from then on, what ends is abandoned, not measured. */
        volatile boolean cutOff;

        /**
         * Ends the drain: requests still in flight or queued for a slot are abandoned (every one was
         * scheduled: the schedule was over).
         *
         * @return how many
         */
        long cutOff() {
            cutOff = true;
            long left = remaining.getCount();
            if (cap != Integer.MAX_VALUE) {
                int dropped;
                synchronized (slots) {
                    dropped = slots.size();
                    slots.clear();
                }
                for (int i = 0; i < dropped; i++) remaining.countDown();
            }
            return left;
        }

        OpenLoop(
                BenchClient client,
                Workload workload,
                LoadPlan plan,
                Schedule schedule,
                Consumer<RequestRecord> recorder) {
            this.client = client;
            this.workload = workload;
            this.plan = plan;
            this.schedule = schedule;
            this.recorder = recorder;
            this.cap = plan.maxConcurrency() > 0 ? plan.maxConcurrency() : Integer.MAX_VALUE;
            this.remaining = new CountDownLatch(schedule.size());
        }

        void begin() {
            int loops = client.loops();
            for (int k = 0; k < Math.min(loops, schedule.size()); k++) dispatchers.add(new Dispatcher(k, loops));
            for (Dispatcher d : dispatchers) d.arm();
        }

        /** Sends requests {@code first, first + stride, ...} from event loop {@code first}. */
        private final class Dispatcher implements Runnable {
            private final ClientLoop loop;
            private final int stride;
            private int next;

            Dispatcher(int first, int stride) {
                this.loop = client.loop(first);
                this.stride = stride;
                this.next = first;
            }

            void arm() {
                loop.schedule(this, start + schedule.offsetNanos(next) - System.nanoTime(), TimeUnit.NANOSECONDS);
            }

            @Override
            public void run() {
                int n = schedule.size();
                if (stopped != null) { // what this loop would still have sent, counted off
                    for (; next < n; next += stride) remaining.countDown();
                    return;
                }
                long now = System.nanoTime();
                while (next < n && start + schedule.offsetNanos(next) <= now) {
                    if (stopped != null) { // stopped from another loop while this one was sending
                        run();
                        return;
                    }
                    arrive(next);
                    next += stride;
                }
                lastArrival.accumulateAndGet(now, Math::max);
                if (next < n) arm();
            }
        }

        /** Request {@code i}'s intended time has come: send it, or queue it for a slot. */
        private void arrive(int i) {
            arrived.incrementAndGet();
            if (cap == Integer.MAX_VALUE) {
                send(i, false);
                return;
            }
            // Arrivals and completions come from several event loops: the count and the queue change
            // together, under one lock, so that no request waits with a slot free.
            synchronized (slots) {
                if (stopped != null) { // the queue was emptied by the stop: nothing more waits in it
                    remaining.countDown();
                    return;
                }
                if (inFlight >= cap) {
                    slots.add(i);
                    return;
                }
                inFlight++;
            }
            send(i, false);
        }

        /** A queued request's slot wait runs from its intended time to now. */
        private void send(int i, boolean fromQueue) {
            long intended = start + schedule.offsetNanos(i);
            Workload.Request r = workload.get(i);
            client.send(
                    r.body(),
                    r.inputTokens(),
                    intended,
                    fromQueue ? Math.max(0, System.nanoTime() - intended) : 0,
                    done);
        }

        private void done(RequestRecord rec) {
            finished.incrementAndGet();
            if (rec.ok() && rec.hasTokens()) {
                ttftSum.addAndGet(rec.tokenNanos()[0] - rec.intendedNanos());
                ttftCount.incrementAndGet();
            }
            if (rec.ok()) {
                e2eSum.addAndGet(rec.endNanos() - rec.intendedNanos());
                e2eCount.incrementAndGet();
            }
            if (stopped == null && !cutOff && measured(plan, rec.intendedNanos() - start)) {
                recorder.accept(rec);
                lastEnd.accumulateAndGet(rec.endNanos(), Math::max);
                measuredSends.incrementAndGet();
                firstSend.accumulateAndGet(rec.sentNanos(), Math::min);
                lastSend.accumulateAndGet(rec.sentNanos(), Math::max);
                // Every measured request was begun by the client, whatever its fate: its send time is taken
                // before it connects, so a late send that then failed to connect (or lost its connection, or
                // met a refusing proxy) was late all the same. Only a stopped run's cancels begin nothing
                // (a cancel may come before the client takes the request up), and those are not recorded.
                long late = Math.max(0, rec.sentNanos() - rec.intendedNanos() - rec.slotWaitNanos());
                synchronized (lag) {
                    lag.recordValue(Math.min(late, lag.getHighestTrackableValue()));
                }
            }
            remaining.countDown();
            if (cap == Integer.MAX_VALUE) return;
            Integer next;
            synchronized (slots) {
                next = stopped != null || cutOff
                        ? null
                        : slots.poll(); // the slot passes straight to the longest waiter
                if (next == null) inFlight--;
            }
            if (next != null) send(next, true);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the latch opened within {@code nanos}. */
    private static boolean await(CountDownLatch latch, long nanos) {
        try {
            return latch.await(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }
}
