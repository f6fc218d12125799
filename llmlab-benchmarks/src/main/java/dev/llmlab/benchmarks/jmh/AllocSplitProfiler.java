package dev.llmlab.benchmarks.jmh;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/*
 * A JMH profiler that splits bytes allocated per operation by who allocated them, for benchmarks that run a server
 * and its client in one JVM (RequestPathLoopbackBenchmark):
 *   alloc.server.norm  threads named llmlab-http-* (the HttpServer's event loops: the simulator's side);
 *   alloc.client.norm  JMH's benchmark threads (*jmh-worker*: the benchmark's own client code);
 *   alloc.other.norm   every other thread alive across the iteration (JMH infrastructure, JIT-triggered
 *                      helpers, the tokenizer warm-up thread if still running, ...).
 * Normalised like -prof gc's gc.alloc.rate.norm (bytes over all ops of the iteration, warm-up/down ops of the
 * iteration included), so the three add up to about gc.alloc.rate.norm; threads that start within an iteration are
 * missed, which -prof gc (a JVM-wide counter) does not miss. Averaged over iterations.
 *
 * JMH runs the trial tear-down (which stops the server) before the profiler sees the last iteration end, when
 * the server's threads are gone; a benchmark that stops threads in its tear-down calls {@link #recordThreads()}
 * first, and their last counts stand in for them.
 *
 * Use it by class name next to -prof gc:
 *   java -jar llmlab-benchmarks/target/benchmarks.jar RequestPathLoopback -prof gc \
 *       -prof dev.llmlab.benchmarks.jmh.AllocSplitProfiler -f 1 -wi 3 -i 5
 */
public final class AllocSplitProfiler implements InternalProfiler {

    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Last counts of threads that may be gone by the end of the iteration; see {@link #recordThreads()}. */
    private static final Map<Long, Long> LAST_SEEN = new java.util.concurrent.ConcurrentHashMap<>();

    private Map<Long, Long> before = Map.of();
    private Map<Long, String> names = Map.of();

    public AllocSplitProfiler() {
        if (!THREADS.isThreadAllocatedMemorySupported()) {
            throw new IllegalStateException("this JVM cannot measure per-thread allocation");
        }
        THREADS.setThreadAllocatedMemoryEnabled(true);
    }

    /** Records every live thread's allocation count now: call it before stopping threads in a tear-down. */
    public static void recordThreads() {
        List<Long> ids = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) ids.add(t.threadId());
        LAST_SEEN.putAll(snapshot(ids));
    }

    @Override
    public String getDescription() {
        return "Bytes allocated per op, split into server (llmlab-http-*), client (jmh-worker) and other threads";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        LAST_SEEN.clear();
        names = new HashMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) names.put(t.threadId(), t.getName());
        before = snapshot(names.keySet());
    }

    @Override
    public Collection<? extends Result> afterIteration(
            BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
        Map<Long, Long> after = new HashMap<>(LAST_SEEN);
        after.putAll(snapshot(names.keySet()));
        long server = 0;
        long client = 0;
        long other = 0;
        for (Map.Entry<Long, Long> e : after.entrySet()) {
            Long start = before.get(e.getKey());
            if (start == null) continue;
            long bytes = e.getValue() - start;
            String name = names.get(e.getKey());
            if (name.startsWith("llmlab-http-")) server += bytes;
            else if (name.contains("jmh-worker")) client += bytes;
            else other += bytes;
        }
        long ops = result.getMetadata() == null ? 0 : result.getMetadata().getAllOps();
        List<Result> out = new ArrayList<>(3);
        if (ops > 0) {
            out.add(new ScalarResult("alloc.server.norm", (double) server / ops, "B/op", AggregationPolicy.AVG));
            out.add(new ScalarResult("alloc.client.norm", (double) client / ops, "B/op", AggregationPolicy.AVG));
            out.add(new ScalarResult("alloc.other.norm", (double) other / ops, "B/op", AggregationPolicy.AVG));
        }
        return out;
    }

    private static Map<Long, Long> snapshot(Collection<Long> ids) {
        long[] idArray = ids.stream().mapToLong(Long::longValue).toArray();
        long[] bytes = THREADS.getThreadAllocatedBytes(idArray);
        Map<Long, Long> out = new HashMap<>();
        for (int i = 0; i < idArray.length; i++) {
            if (bytes[i] >= 0) out.put(idArray[i], bytes[i]);
        }
        return out;
    }
}
