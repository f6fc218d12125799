package dev.llmlab.bench.scenario;

import dev.llmlab.bench.measure.Fate;
import dev.llmlab.bench.measure.Recorder;
import dev.llmlab.bench.measure.RequestRecord;
import dev.llmlab.bench.measure.Targets;
import dev.llmlab.bench.measure.TimeSeries;
import dev.llmlab.bench.report.Reports;
import dev.llmlab.bench.result.BenchResult;
import dev.llmlab.bench.result.LoadAxis;
import dev.llmlab.bench.result.Second;
import dev.llmlab.bench.run.Delivery;
import dev.llmlab.core.random.Seeds;
import dev.llmlab.sim.engine.CostModel;
import dev.llmlab.sim.engine.Deployment;
import dev.llmlab.sim.engine.EngineObserver;
import dev.llmlab.sim.engine.EngineSpec;
import dev.llmlab.sim.engine.Sequence;
import dev.llmlab.sim.engine.SequenceListener;
import dev.llmlab.sim.engine.VirtualEngineClock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.HdrHistogram.Histogram;

/**
 * A {@link Prober} on the simulator's batching engine in virtual time: requests of fixed prompt
 * and output lengths, Poisson arrivals (rate) or a closed loop (users), every token timed on the
 * engine's clock, and the same recorder and result a real run produces. Deterministic per
 * seed, and a minute of load takes milliseconds.
 */
final class VirtualTarget implements Prober {
    static final long S = 1_000_000_000L;
    /** 5 ms a step, 20 us per prompt token, 50 us per decoding sequence, 20 ns per KV token read; 64 sequences at most. */
    static final EngineSpec SPEC = new EngineSpec(
            1,
            EngineSpec.Routing.ROUND_ROBIN,
            64,
            2048,
            100_000,
            100_000,
            16,
            false,
            true,
            new CostModel(5_000_000, 20_000, 50_000, 20, 0));

    final int prompt;
    final int output;
    final double seconds;
    final Targets targets;
    final long seed;
    final List<Load> probed = new ArrayList<>();

    final EngineSpec spec;

    VirtualTarget(int prompt, int output, double seconds, Targets targets, long seed) {
        this(SPEC, prompt, output, seconds, targets, seed);
    }

    VirtualTarget(EngineSpec spec, int prompt, int output, double seconds, Targets targets, long seed) {
        this.spec = spec;
        this.prompt = prompt;
        this.output = output;
        this.seconds = seconds;
        this.targets = targets;
        this.seed = seed;
    }

    /** A run on a given schedule: its per-second series, and why and when a detector stopped it (null: it did not). */
    record Shaped(List<Second> seconds, String stopped, int stoppedAt, long sent) {}

    /**
     * Sends at {@code schedule}'s times, as the real open loop does, telling {@code detector} (when
     * given) each second what the client's watch would: arrivals, completions, in flight, mean TTFT.
     */
    Shaped shaped(dev.llmlab.bench.load.Schedule schedule, dev.llmlab.bench.measure.SaturationDetector detector) {
        VirtualEngineClock clock = new VirtualEngineClock();
        Deployment d = new Deployment(spec, List.of(clock), EngineObserver.NONE, seed);
        TimeSeries series = new TimeSeries(0, true);
        Map<Sequence, long[]> tokens = new IdentityHashMap<>();
        Map<Sequence, Long> arrivals = new IdentityHashMap<>();
        long[] counts = new long[6]; // arrived, finished, ttft sum, ttft count, e2e sum, e2e count
        boolean[] stopped = {false};
        SequenceListener listener = new SequenceListener() {
            @Override
            public void onToken(Sequence s, long now) {
                tokens.get(s)[s.generated() - 1] = now;
            }

            @Override
            public void onFinished(Sequence s, long now) {
                long at = arrivals.get(s);
                long[] t = Arrays.copyOf(tokens.remove(s), s.generated());
                counts[1]++;
                counts[2] += t[0] - at;
                counts[3]++;
                counts[4] += now - at;
                counts[5]++;
                if (!stopped[0])
                    series.record(new RequestRecord(at, 0, at, t[0], t, now, s.generated(), -1, prompt, Fate.OK, 200));
            }
        };
        for (int i = 0; i < schedule.size(); i++) {
            clock.schedule(schedule.offsetNanos(i), () -> {
                if (stopped[0]) return;
                Sequence s = new Sequence(prompt, 1, output, new long[0], listener);
                tokens.put(s, new long[output]);
                arrivals.put(s, clock.now());
                counts[0]++;
                if (d.submit(s) != null) {
                    counts[1]++;
                    series.record(new RequestRecord(
                            clock.now(),
                            0,
                            clock.now(),
                            -1,
                            new long[0],
                            clock.now(),
                            -1,
                            -1,
                            prompt,
                            Fate.HTTP_STATUS,
                            503));
                }
            });
        }
        long[] last = new long[6];
        long end = schedule.size() == 0 ? 0 : schedule.offsetNanos(schedule.size() - 1);
        for (int sec = 0; (long) sec * S <= end; sec++) {
            clock.runUntil((sec + 1) * S);
            if (detector == null) continue;
            double ttft = counts[3] > last[3] ? (counts[2] - last[2]) / 1e6 / (counts[3] - last[3]) : Double.NaN;
            double e2e = counts[5] > last[5] ? (counts[4] - last[4]) / 1e6 / (counts[5] - last[5]) : Double.NaN;
            var reason =
                    detector.observe(sec, counts[0] - last[0], counts[1] - last[1], counts[0] - counts[1], ttft, e2e);
            System.arraycopy(counts, 0, last, 0, 6);
            if (reason.isPresent()) {
                stopped[0] = true;
                return new Shaped(series.seconds(), reason.get(), sec, counts[0]);
            }
        }
        clock.runAll();
        return new Shaped(series.seconds(), null, -1, counts[0]);
    }

    @Override
    public BenchResult probe(Load load) {
        probed.add(load);
        VirtualEngineClock clock = new VirtualEngineClock();
        Deployment d = new Deployment(spec, List.of(clock), EngineObserver.NONE, seed);
        boolean open = load.axis() == LoadAxis.RATE;
        Recorder recorder = new Recorder(open, targets.requestBounds());
        TimeSeries series = new TimeSeries(0, open);
        long end = (long) (seconds * S);
        long warm = end / 10;
        long[] lastEnd = {warm};
        long[] sent = {0};
        Map<Sequence, long[]> tokens = new IdentityHashMap<>();
        Map<Sequence, Long> arrivals = new IdentityHashMap<>();
        Runnable[] closedNext = new Runnable[1];
        SequenceListener listener = new SequenceListener() {
            @Override
            public void onToken(Sequence s, long now) {
                long[] t = tokens.get(s);
                t[s.generated() - 1] = now;
            }

            @Override
            public void onFinished(Sequence s, long now) {
                long at = arrivals.get(s);
                if (at >= warm) {
                    long[] t = Arrays.copyOf(tokens.get(s), s.generated());
                    RequestRecord r =
                            new RequestRecord(at, 0, at, t[0], t, now, s.generated(), -1, prompt, Fate.OK, 200);
                    recorder.record(r);
                    series.record(r);
                    lastEnd[0] = Math.max(lastEnd[0], now);
                }
                tokens.remove(s);
                if (closedNext[0] != null && now < end) closedNext[0].run();
            }
        };
        Runnable submit = () -> {
            long now = clock.now();
            Sequence s = new Sequence(prompt, 1, output, new long[0], listener);
            tokens.put(s, new long[output]);
            arrivals.put(s, now);
            if (now >= warm) sent[0]++;
            if (d.submit(s) != null && now >= warm) {
                RequestRecord r =
                        new RequestRecord(now, 0, now, now, new long[0], now, -1, -1, prompt, Fate.HTTP_STATUS, 503);
                recorder.record(r);
                series.record(r);
            }
        };
        if (open) {
            RandomGenerator rng = Seeds.rng(Seeds.mix(seed, (long) (load.value() * 1000)));
            for (long t = 0; t < end; t += (long) (-Math.log(1 - rng.nextDouble()) / load.value() * S)) {
                clock.schedule(t, submit);
            }
        } else {
            closedNext[0] = submit;
            for (int u = 0; u < load.users(); u++) clock.schedule(0, submit);
        }
        clock.runAll();
        double window = Math.max(1e-9, (lastEnd[0] - warm) / 1e9);
        Delivery o = new Delivery(window, sent[0], sent[0] / ((end - warm) / 1e9), new Histogram(3), true, null, 0);
        BenchResult result = Reports.result(null, null, recorder.summary(window), o, series.seconds());
        return targets.isEmpty() ? result : result.withSlo(targets.evaluate(result.summary(), result.metrics()));
    }
}
