package dev.llmlab.benchmarks.jmh;

import dev.llmlab.sim.metrics.SimMetrics;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/*
 * What it measures: the metric recording calls on the request path, one per benchmark, uncontended (one thread):
 *   modelItl        SimMetrics.model(name).itl(nanos): the per-token call of a stream, lookup included;
 *   itl / ttft      the observation alone on a resolved ModelMetrics;
 *   runningIncDec   the running gauge up and down;
 *   finished        e2e, token histograms and counters, and the per-reason success counter;
 *   httpRequest     the HTTP listener's per-request count and duration;
 *   perRequest      everything one non-streaming request records on the instant profile.
 * gc.alloc.rate.norm is bytes per call (the recording is meant to allocate nothing).
 *
 * How to run:
 *   flock /tmp/llmlab-perf.lock java -jar llmlab-benchmarks/target/benchmarks.jar SimMetrics -prof gc -f 1 -wi 3 -i 5
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g", Fixtures.NATIVE_ACCESS})
public class SimMetricsBenchmark {

    private static final String ROUTE = Fixtures.ROUTE;

    private SimMetrics metrics;
    private SimMetrics.ModelMetrics model;
    private long nanos = 12_345_678;

    @Setup(Level.Trial)
    public void setup() {
        metrics = new SimMetrics();
        model = metrics.model(Fixtures.MODEL);
        model.finished(1, 1, 1, "length"); // the success child for "length" exists, as after the first request
        metrics.httpRequest(ROUTE, "POST", 200, 1);
    }

    /** A varying value, so no call can be folded into a constant. */
    private long next() {
        nanos = nanos * 6364136223846793005L + 1442695040888963407L;
        return (nanos >>> 40) + 1_000_000; // about 1..17 ms
    }

    @Benchmark
    public void modelItl() {
        metrics.model(Fixtures.MODEL).itl(next());
    }

    @Benchmark
    public void itl() {
        model.itl(next());
    }

    @Benchmark
    public void ttft() {
        model.ttft(next());
    }

    @Benchmark
    public void runningIncDec() {
        model.runningInc();
        model.runningDec();
    }

    @Benchmark
    public void finished() {
        model.finished(next() * 10, 31, 16, "length");
    }

    @Benchmark
    public void httpRequest() {
        metrics.httpRequest(ROUTE, "POST", 200, next());
    }

    @Benchmark
    public void perRequest() {
        SimMetrics.ModelMetrics m = metrics.model(Fixtures.MODEL);
        m.runningInc();
        m.ttft(next());
        m.runningDec();
        m.finished(next() * 10, 31, 16, "length");
        metrics.httpRequest(ROUTE, "POST", 200, next());
    }
}
