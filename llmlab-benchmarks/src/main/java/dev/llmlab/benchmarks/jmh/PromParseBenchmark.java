package dev.llmlab.benchmarks.jmh;

import dev.llmlab.metrics.Exposition;
import dev.llmlab.metrics.HistogramPoint;
import dev.llmlab.metrics.Histograms;
import dev.llmlab.metrics.Quantity;
import dev.llmlab.metrics.ServerKind;
import dev.llmlab.metrics.ServerReading;
import dev.llmlab.metrics.VllmNames;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
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
import org.openjdk.jmh.infra.Blackhole;

/*
 * What it measures: reading one vLLM /metrics page the way a monitor does, one thread:
 *   parse        Exposition.parse of the page (samples and typed families);
 *   parseAndRead parse, detect the kind, read running, waiting and KV use, and the TTFT series;
 *   window       two pages of the same server 1 s apart: TTFT deltas per engine, merged, p50 and p99.
 * The page is a vLLM v1 server's with two data-parallel engines (756 lines, 79 KB, 654 samples): vLLM's own
 * families, labels and bucket layouts (vllm/v1/metrics/loggers.py), the Python client's _created gauges,
 * and its python_* and process_* families. A monitor scraping 200 pages a second spends 200 x parse of it.
 * gc.alloc.rate.norm is bytes per page.
 *
 * How to run:
 *   flock /tmp/llmlab-perf.lock java -jar llmlab-benchmarks/target/benchmarks.jar PromParse -prof gc -f 1 -wi 3 -i 5
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class PromParseBenchmark {
    private String page;
    private String later;
    private Exposition before;

    @Setup(Level.Trial)
    public void setup() {
        page = vllmPage(1000);
        later = vllmPage(1400);
        before = Exposition.parse(page);
        if (before.skippedLines() != 0 || ServerKind.detect(before) != ServerKind.VLLM) {
            throw new IllegalStateException("the benchmark page does not read as vLLM");
        }
        System.out.printf(
                Locale.ROOT,
                "%nvLLM page: %d lines, %d bytes, %d samples%n",
                page.lines().count(),
                page.getBytes(StandardCharsets.UTF_8).length,
                before.samples().size());
    }

    @Benchmark
    public Exposition parse() {
        return Exposition.parse(page);
    }

    @Benchmark
    public void parseAndRead(Blackhole bh) {
        Exposition p = Exposition.parse(page);
        ServerReading r = ServerKind.detect(p).read(p);
        bh.consume(r.value(Quantity.RUNNING));
        bh.consume(r.value(Quantity.WAITING));
        bh.consume(r.value(Quantity.KV_CACHE_USAGE));
        bh.consume(r.histograms(Quantity.TTFT));
    }

    @Benchmark
    public void window(Blackhole bh) {
        Exposition after = Exposition.parse(later);
        List<HistogramPoint> a = ServerKind.VLLM.read(after).histograms(Quantity.TTFT);
        List<HistogramPoint> b = ServerKind.VLLM.read(before).histograms(Quantity.TTFT);
        HistogramPoint w = Histograms.window(b, a).histogram();
        bh.consume(Histograms.quantile(0.5, w));
        bh.consume(Histograms.quantile(0.99, w));
    }

    private static final String MODEL = "meta-llama/Llama-3.1-8B-Instruct";
    private static final double[] TTFT = {
        0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0,
        160.0, 640.0, 2560.0
    };
    private static final double[] TPOT = {
        0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0
    };
    private static final double[] LATENCY = {
        0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0,
        1920.0, 7680.0
    };
    private static final double[] TOKENS = {
        1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000
    };
    private static final double[] ITERATION = {1, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384};

    /** A vLLM v1 page with two engines; {@code requests} scales every count, so two pages make a window. */
    static String vllmPage(int requests) {
        StringBuilder b = new StringBuilder(160_000);
        b.append("# HELP python_gc_objects_collected_total Objects collected during gc\n");
        b.append("# TYPE python_gc_objects_collected_total counter\n");
        for (int g = 0; g < 3; g++)
            b.append("python_gc_objects_collected_total{generation=\"")
                    .append(g)
                    .append("\"} ")
                    .append(12873.0 / (g + 1))
                    .append('\n');
        b.append("# HELP process_resident_memory_bytes Resident memory size in bytes.\n");
        b.append("# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes 2.147483648e+09\n");
        b.append("# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.\n");
        b.append("# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total 1234.56\n");
        gauge(b, VllmNames.NUM_REQUESTS_RUNNING, 7);
        gauge(b, VllmNames.NUM_REQUESTS_WAITING, 2);
        gauge(b, VllmNames.V0_KV_CACHE_USAGE, 0.42);
        gauge(b, VllmNames.KV_CACHE_USAGE, 0.42);
        counter(b, VllmNames.V1_GPU_PREFIX_CACHE_QUERIES, requests * 900);
        counter(b, VllmNames.V1_GPU_PREFIX_CACHE_HITS, requests * 300);
        counter(b, VllmNames.PREFIX_CACHE_QUERIES, requests * 900);
        counter(b, VllmNames.PREFIX_CACHE_HITS, requests * 300);
        counter(b, VllmNames.NUM_PREEMPTIONS, requests / 100);
        counter(b, VllmNames.PROMPT_TOKENS, requests * 900);
        counter(b, VllmNames.GENERATION_TOKENS, requests * 200);
        b.append("# HELP vllm:request_success_total Count of successfully processed requests.\n");
        b.append("# TYPE vllm:request_success_total counter\n");
        for (int e = 0; e < 2; e++)
            for (String reason : new String[] {"stop", "length", "abort"})
                b.append("vllm:request_success_total{engine=\"")
                        .append(e)
                        .append("\",finished_reason=\"")
                        .append(reason)
                        .append("\",model_name=\"")
                        .append(MODEL)
                        .append("\"} ")
                        .append(reason.equals("stop") ? requests : requests / 50)
                        .append(".0\n");
        histogram(b, VllmNames.REQUEST_PROMPT_TOKENS, TOKENS, requests, 900);
        histogram(b, VllmNames.REQUEST_GENERATION_TOKENS, TOKENS, requests, 200);
        histogram(b, "vllm:iteration_tokens_total", ITERATION, requests * 50, 40);
        histogram(b, "vllm:request_max_num_generation_tokens", TOKENS, requests, 1024);
        histogram(b, "vllm:request_params_n", new double[] {1, 2, 5, 10, 20}, requests, 1);
        histogram(b, "vllm:request_params_max_tokens", TOKENS, requests, 1024);
        histogram(b, VllmNames.TIME_TO_FIRST_TOKEN, TTFT, requests, 0.08);
        histogram(b, VllmNames.V0_TIME_PER_OUTPUT_TOKEN, TPOT, requests * 200, 0.02);
        histogram(b, "vllm:time_per_prefill_token_request_seconds", TPOT, requests, 0.0001);
        histogram(b, VllmNames.E2E_REQUEST_LATENCY, LATENCY, requests, 4);
        histogram(b, VllmNames.REQUEST_QUEUE_TIME, LATENCY, requests, 0.2);
        histogram(b, "vllm:request_inference_time_seconds", LATENCY, requests, 3.8);
        histogram(b, VllmNames.REQUEST_PREFILL_TIME, LATENCY, requests, 0.06);
        histogram(b, VllmNames.REQUEST_DECODE_TIME, LATENCY, requests, 3.7);
        b.append("# HELP vllm:cache_config_info Information of the LLMEngine CacheConfig\n");
        b.append("# TYPE vllm:cache_config_info gauge\n");
        b.append("vllm:cache_config_info{block_size=\"16\",cache_dtype=\"auto\",enable_prefix_caching=\"True\","
                + "engine=\"0\",gpu_memory_utilization=\"0.9\",num_gpu_blocks=\"27536\"} 1.0\n");
        return b.toString();
    }

    private static void gauge(StringBuilder b, String name, double value) {
        b.append("# HELP ")
                .append(name)
                .append(" A gauge.\n# TYPE ")
                .append(name)
                .append(" gauge\n");
        for (int e = 0; e < 2; e++) series(b, name, e).append(' ').append(value).append('\n');
    }

    private static void counter(StringBuilder b, String name, double value) {
        b.append("# HELP ").append(name).append("_total A counter.\n# TYPE ");
        b.append(name).append("_total counter\n");
        for (int e = 0; e < 2; e++)
            series(b, name + "_total", e).append(' ').append(value).append('\n');
        b.append("# HELP ").append(name).append("_created A counter.\n# TYPE ");
        b.append(name).append("_created gauge\n");
        for (int e = 0; e < 2; e++) series(b, name + "_created", e).append(" 1.7193744051287868e+09\n");
    }

    /** Observations spread around {@code typical}: a share of {@code count} at each bound, cumulative. */
    private static void histogram(StringBuilder b, String name, double[] bounds, int count, double typical) {
        b.append("# HELP ")
                .append(name)
                .append(" A histogram.\n# TYPE ")
                .append(name)
                .append(" histogram\n");
        for (int e = 0; e < 2; e++) {
            series(b, name + "_sum", e).append(' ').append(count * typical).append('\n');
            for (double le : bounds) {
                double share = 1 / (1 + Math.exp(-4 * Math.log(le / typical)));
                b.append(name)
                        .append("_bucket{engine=\"")
                        .append(e)
                        .append("\",le=\"")
                        .append(le)
                        .append("\",model_name=\"")
                        .append(MODEL)
                        .append("\"} ")
                        .append(Math.floor(count * share))
                        .append('\n');
            }
            b.append(name)
                    .append("_bucket{engine=\"")
                    .append(e)
                    .append("\",le=\"+Inf\",model_name=\"")
                    .append(MODEL)
                    .append("\"} ")
                    .append((double) count)
                    .append('\n');
            series(b, name + "_count", e).append(' ').append((double) count).append('\n');
        }
        b.append("# HELP ").append(name).append("_created A histogram.\n# TYPE ");
        b.append(name).append("_created gauge\n");
        for (int e = 0; e < 2; e++) series(b, name + "_created", e).append(" 1.7193744051287868e+09\n");
    }

    private static StringBuilder series(StringBuilder b, String name, int engine) {
        return b.append(name)
                .append("{engine=\"")
                .append(engine)
                .append("\",model_name=\"")
                .append(MODEL)
                .append("\"}");
    }
}
