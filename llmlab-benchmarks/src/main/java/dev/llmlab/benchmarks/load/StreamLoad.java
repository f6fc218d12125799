package dev.llmlab.benchmarks.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * A streaming load generator for OpenAI-compatible servers: keeps {@code --concurrency} chat completion streams
 * open at once and measures what a client sees: tokens per second, inter-token latency (ITL) and time to first
 * token (TTFT).
 *
 * <pre>
 * java -cp benchmarks.jar dev.llmlab.benchmarks.load.StreamLoad --port 8000 --concurrency 2000 --itl 20ms \
 *     --duration 30s --ramp 2s --warmup 5s --max-tokens 16384
 * </pre>
 *
 * <h2>How it measures</h2>
 * <ul>
 *   <li>Connections are opened evenly over {@code --ramp} (connection i at {@code t0 + i * ramp / N}), each sends
 *       its first request as soon as it is connected, so neither the server's accept queue nor its event loops
 *       see a connect storm.</li>
 *   <li>The steady window is {@code [t0 + warmup, t0 + duration)}: ramp-up and the first stream's start are
 *       before it; at its end every connection is closed (tear-down is after it). Only tokens that arrive inside
 *       the window count toward the token rate, and the ITL percentiles are those of gaps that end inside it.
 *       The report says how many streams were producing tokens when the window opened and closed, so a window
 *       that was not steady shows.</li>
 *   <li>A token is an SSE event with non-empty {@code delta.content} (see {@link SseResponseParser}).
 *       Its time is {@code System.nanoTime()} when the bytes were read; ITL is the gap between consecutive
 *       tokens of one stream, TTFT the time from writing the request to the first token.</li>
 *   <li>Ideal rate: {@code concurrency * 1 s / --itl}, what the streams would deliver if every token came exactly
 *       on time and every stream produced throughout the window. A second ideal uses the measured producing time
 *       of the streams inside the window: their first-to-last-token time / ITL, plus one for each stream whose
 *       first token came inside the window (it differs when streams end and restart inside the window).</li>
 * </ul>
 *
 * <h2>Keeping the client out of the way</h2>
 * One event loop by default (epoll if available), a hand-written in-place HTTP/SSE parser that allocates
 * nothing per token, per-loop histograms recorded with plain writes, nothing blocking on the loops. The report
 * gives the client's CPU use inside the window (and the server's, with {@code --server-pid}) so it can be
 * checked that the client was not the bottleneck.
 */
public final class StreamLoad {

    record Config(
            String host,
            int port,
            String model,
            int maxTokens,
            String prompt,
            int concurrency,
            long durationNanos,
            long rampNanos,
            long warmupNanos,
            long itlNanos,
            int requestsPerConn,
            boolean keepAlive,
            int ioThreads,
            String transport,
            long pollNanos,
            long serverPid,
            boolean serverMetrics,
            boolean series) {}

    private final Config cfg;
    private final byte[] request;
    private final Map<EventExecutor, LoopStats> statsByLoop = new IdentityHashMap<>();
    private final AtomicLong connectFailures = new AtomicLong();
    private final AtomicLong connectAttempts = new AtomicLong();
    private volatile boolean stopped;
    private long t0;
    private long windowStart;
    private long windowEnd;
    private EventLoopGroup group;
    private Bootstrap bootstrap;
    private ClientSupport.Transport transport;

    private StreamLoad(Config cfg) {
        this.cfg = cfg;
        this.request = ClientSupport.chatRequest(
                cfg.host(), cfg.port(), cfg.model(), cfg.maxTokens(), cfg.prompt(), cfg.keepAlive());
    }

    public static void main(String[] argv) throws Exception {
        Config cfg;
        try {
            cfg = parse(new Args(argv));
        } catch (IllegalArgumentException e) {
            System.err.println("StreamLoad: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        ClientSupport.configure();
        int rc = new StreamLoad(cfg).run();
        System.exit(rc);
    }

    static final String USAGE = """
            usage: StreamLoad [--host 127.0.0.1] [--port 8000] [--model gpt-4o-mini] [--max-tokens 16384]
                              [--prompt TEXT] [--concurrency 2000] [--duration 30s] [--ramp 2s] [--warmup 5s]
                              [--itl 20ms] [--requests-per-conn 0] [--keep-alive true] [--io-threads 1]
                              [--transport auto|epoll|nio] [--poll-interval 0ms] [--server-pid PID]
                              [--server-metrics true] [--series true]
              --itl is the server's configured inter-token latency, used for the ideal rate only.
              --requests-per-conn 0 reuses a connection for as many streams as fit in the duration.
              --server-metrics reads the server's /metrics ITL histogram at the window's start and end.
              --poll-interval > 0 makes the client poll instead of blocking (cheaper, timestamps that much coarser).""";

    static Config parse(Args a) {
        Config c = new Config(
                a.str("host", "127.0.0.1"),
                a.integer("port", 8000),
                a.str("model", "gpt-4o-mini"),
                a.integer("max-tokens", 16384),
                a.str("prompt", "Tell me a long story."),
                a.integer("concurrency", 2000),
                a.nanos("duration", "30s"),
                a.nanos("ramp", "2s"),
                a.nanos("warmup", "5s"),
                a.nanos("itl", "20ms"),
                a.integer("requests-per-conn", 0),
                a.bool("keep-alive", true),
                a.integer("io-threads", 1),
                a.str("transport", "auto"),
                a.nanos("poll-interval", "0ms"),
                a.has("server-pid") ? Long.parseLong(a.str("server-pid", "0")) : -1,
                a.bool("server-metrics", true),
                a.bool("series", true));
        a.checkAllUsed();
        if (c.concurrency() < 1) {
            throw new IllegalArgumentException("--concurrency must be >= 1");
        }
        if (c.warmupNanos() < c.rampNanos()) {
            throw new IllegalArgumentException("--warmup must be at least --ramp (the window starts after ramp-up)");
        }
        if (c.durationNanos() <= c.warmupNanos()) {
            throw new IllegalArgumentException("--duration must be longer than --warmup");
        }
        if (c.itlNanos() <= 0) {
            throw new IllegalArgumentException("--itl must be positive");
        }
        return c;
    }

    // ---- called by connections

    LoopStats stats(EventExecutor loop) {
        return statsByLoop.get(loop);
    }

    byte[] requestBytes() {
        return request;
    }

    boolean running() {
        return !stopped && System.nanoTime() < windowEnd;
    }

    boolean mayReuse(int requestsSoFar) {
        return cfg.requestsPerConn() <= 0 || requestsSoFar < cfg.requestsPerConn();
    }

    /** Back-off before a new request or connection after an error. */
    static final long RETRY_DELAY_MS = 100;

    /** Opens one connection now ({@code delayMs == 0}) or after a delay. */
    void connectAfter(long delayMs) {
        if (delayMs <= 0) {
            connect();
        } else {
            group.schedule(this::connect, delayMs, TimeUnit.MILLISECONDS);
        }
    }

    /** Opens one connection; a failed connect is retried after 200 ms while the test runs. */
    void connect() {
        if (!running()) {
            return;
        }
        connectAttempts.incrementAndGet();
        bootstrap.connect(cfg.host(), cfg.port()).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                long n = connectFailures.incrementAndGet();
                if (n <= 3) {
                    System.err.println("connect failed: " + f.cause());
                }
                if (running()) {
                    f.channel().eventLoop().schedule(this::connect, 200, TimeUnit.MILLISECONDS);
                }
            }
        });
    }

    // ---- the run

    private int run() throws Exception {
        transport = ClientSupport.transport(cfg.transport(), cfg.pollNanos());
        group = ClientSupport.group(transport, cfg.ioThreads(), "streamload");
        bootstrap = ClientSupport.bootstrap(group, transport).handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast("stream", new StreamConnection(StreamLoad.this));
            }
        });
        t0 = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        windowStart = t0 + cfg.warmupNanos();
        windowEnd = t0 + cfg.durationNanos();
        for (EventExecutor loop : group) {
            statsByLoop.put(loop, new LoopStats(t0, windowStart, windowEnd, windowEnd));
        }
        printHeader();

        int n = cfg.concurrency();
        for (int i = 0; i < n; i++) {
            long at = t0 + (n == 1 ? 0 : cfg.rampNanos() * i / n);
            group.schedule(this::connect, at - System.nanoTime(), TimeUnit.NANOSECONDS);
        }
        List<Future<?>> starts = new ArrayList<>();
        for (EventExecutor loop : group) {
            LoopStats s = statsByLoop.get(loop);
            starts.add(loop.schedule(
                    () -> {
                        s.activeAtWindowStart = s.countActive();
                    },
                    windowStart - System.nanoTime(),
                    TimeUnit.NANOSECONDS));
        }

        sleepUntil(windowStart);
        CpuSample before = CpuSample.take(cfg.serverPid());
        ServerItl itlBefore = cfg.serverMetrics() ? ServerItl.scrape(cfg.host(), cfg.port()) : null;
        long lastPrint = System.nanoTime();
        while (System.nanoTime() < windowEnd) {
            sleepUntil(Math.min(windowEnd, lastPrint + TimeUnit.SECONDS.toNanos(5)));
            lastPrint = System.nanoTime();
            if (lastPrint < windowEnd) {
                System.out.printf(Locale.ROOT, "  ... %.0f s%n", (lastPrint - t0) / 1e9);
            }
        }
        CpuSample after = CpuSample.take(cfg.serverPid());
        ServerItl itlAfter = cfg.serverMetrics() ? ServerItl.scrape(cfg.host(), cfg.port()) : null;

        List<Future<?>> stops = new ArrayList<>();
        for (EventExecutor loop : group) {
            LoopStats s = statsByLoop.get(loop);
            stops.add(loop.submit(() -> {
                stopped = true;
                s.activeAtWindowEnd = s.countActive();
                for (StreamConnection c : new ArrayList<>(s.connections)) {
                    c.stop(windowEnd);
                }
            }));
        }
        stopped = true;
        for (Future<?> f : stops) {
            f.await(5, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 3, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        for (Future<?> f : starts) {
            f.cancel(false);
        }

        LoopStats total = new LoopStats(t0, windowStart, windowEnd, windowEnd);
        for (LoopStats s : statsByLoop.values()) {
            total.add(s);
        }
        return report(total, before, after, itlBefore, itlAfter);
    }

    private static void sleepUntil(long deadline) throws InterruptedException {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(Math.min(left, 100_000_000L));
        }
    }

    private void printHeader() {
        System.out.printf(
                Locale.ROOT,
                "StreamLoad: %d streams -> %s:%d, model %s, max_tokens %d, %s, %d client I/O "
                        + "thread(s), keep-alive %s, requests/conn %s%n",
                cfg.concurrency(),
                cfg.host(),
                cfg.port(),
                cfg.model(),
                cfg.maxTokens(),
                transport.name(),
                cfg.ioThreads(),
                cfg.keepAlive(),
                cfg.requestsPerConn() <= 0 ? "unlimited" : cfg.requestsPerConn());
        System.out.printf(
                Locale.ROOT,
                "  ramp %.1f s, warm-up %.1f s, duration %.1f s -> steady window [%.1f s, %.1f s)"
                        + " = %.1f s; expected ITL %.3f ms%n",
                cfg.rampNanos() / 1e9,
                cfg.warmupNanos() / 1e9,
                cfg.durationNanos() / 1e9,
                cfg.warmupNanos() / 1e9,
                cfg.durationNanos() / 1e9,
                (cfg.durationNanos() - cfg.warmupNanos()) / 1e9,
                cfg.itlNanos() / 1e6);
    }

    private int report(LoopStats t, CpuSample before, CpuSample after, ServerItl itlBefore, ServerItl itlAfter) {
        double windowSec = (windowEnd - windowStart) / 1e9;
        double perStream = 1e9 / cfg.itlNanos();
        double ideal = cfg.concurrency() * perStream;
        double achieved = t.tokensInWindow / windowSec;
        double idealActive = (t.activeNanosInWindow / (double) cfg.itlNanos() + t.firstTokensInWindow) / windowSec;

        System.out.printf(
                Locale.ROOT,
                "streams: started %d, completed %d (without [DONE]: %d); producing at window "
                        + "start %d, at window end %d, of %d%n",
                t.streamsStarted,
                t.streamsCompleted,
                t.streamsWithoutDone,
                t.activeAtWindowStart,
                t.activeAtWindowEnd,
                cfg.concurrency());
        System.out.printf(
                Locale.ROOT,
                "connections: opened %d, connect attempts %d, connect failures %d; "
                        + "the last connection's first token came at %.2f s%n",
                t.connects,
                connectAttempts.get(),
                connectFailures.get(),
                t.lastFirstToken == 0 ? Double.NaN : (t.lastFirstToken - t0) / 1e9);
        long errors = t.httpErrors
                + t.notEventStream
                + t.parseErrors
                + t.prematureCloses
                + t.ioErrors
                + connectFailures.get();
        System.out.printf(
                Locale.ROOT,
                "errors: %d (http status %s, not event-stream %d, parse %d, premature close %d, "
                        + "i/o %d, connect %d)%n",
                errors,
                t.statuses.isEmpty() ? "none" : t.statuses.toString(),
                t.notEventStream,
                t.parseErrors,
                t.prematureCloses,
                t.ioErrors,
                connectFailures.get());
        System.out.printf(Locale.ROOT, "tokens: %d received, %d in the steady window%n", t.tokens, t.tokensInWindow);
        System.out.printf(
                Locale.ROOT,
                "token rate (steady window): %.0f tok/s; ideal %d x %.1f = %.0f tok/s; " + "ratio %.4f%n",
                achieved,
                cfg.concurrency(),
                perStream,
                ideal,
                achieved / ideal);
        System.out.printf(
                Locale.ROOT,
                "  ideal for the measured producing time of the streams: %.0f tok/s; ratio " + "%.4f%n",
                idealActive,
                idealActive > 0 ? achieved / idealActive : Double.NaN);
        printHistogram("ITL (steady window)", t.itlWindow);
        long lateThreshold = cfg.itlNanos() * 5 / 4 / 1000;
        if (t.itlWindow.getTotalCount() > 0) {
            long late = t.itlWindow.getTotalCount() - t.itlWindow.getCountBetweenValues(0, lateThreshold);
            long coalesced = t.itlWindow.getCountBetweenValues(0, 1000);
            System.out.printf(
                    Locale.ROOT,
                    "  gaps > %.1f ms: %.3f%%; gaps < 1 ms (tokens arriving together): %.3f%%%n",
                    lateThreshold / 1e3,
                    100.0 * late / t.itlWindow.getTotalCount(),
                    100.0 * coalesced / t.itlWindow.getTotalCount());
        }
        if (itlBefore != null && itlAfter != null) {
            printServerItl(t.itlWindow, itlBefore, itlAfter);
        }
        printHistogram("ITL (whole run)", t.itlAll);
        printHistogram("TTFT (whole run, includes server warm-up)", t.ttft);
        printHistogram("TTFT (streams starting in the steady window)", t.ttftWindow);
        printCpu(before, after);
        if (cfg.series()) {
            printSeries(t);
        }
        return errors == 0 ? 0 : 1;
    }

    private static void printHistogram(String name, Histogram h) {
        if (h.getTotalCount() == 0) {
            System.out.printf("%s: no samples%n", name);
            return;
        }
        System.out.printf(
                Locale.ROOT,
                "%s, ms: p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f  mean %.3f  " + "(n=%d)%n",
                name,
                ms(h.getValueAtPercentile(50)),
                ms(h.getValueAtPercentile(90)),
                ms(h.getValueAtPercentile(99)),
                ms(h.getValueAtPercentile(99.9)),
                ms(h.getMaxValue()),
                h.getMean() / 1e3,
                h.getTotalCount());
    }

    /**
     * The server's own view of the same window: its vllm:inter_token_latency_seconds histogram (gaps between the
     * steps it emitted, measured when it wrote them) against the client's gaps, at the server's bucket bounds. If
     * both show the same late gaps, the lateness is the server's; if only the client does, it is the client's
     * (or the network's).
     */
    private static void printServerItl(Histogram client, ServerItl a, ServerItl b) {
        long n = b.count - a.count;
        if (n <= 0 || client.getTotalCount() == 0) {
            return;
        }
        StringBuilder sb = new StringBuilder("  server-side ITL in the window (its /metrics histogram), share of gaps"
                + " <= bound, server vs client:");
        for (double le : new double[] {0.001, 0.01, 0.025, 0.05, 0.1}) {
            Long sa = a.buckets.get(le);
            Long sb2 = b.buckets.get(le);
            if (sa == null || sb2 == null) {
                continue;
            }
            double server = 100.0 * (sb2 - sa) / n;
            double cl = 100.0 * client.getCountBetweenValues(0, Math.round(le * 1e6)) / client.getTotalCount();
            sb.append(String.format(Locale.ROOT, "  <=%.0fms %.2f%% vs %.2f%%;", le * 1e3, server, cl));
        }
        sb.append(String.format(Locale.ROOT, " (server n=%d)", n));
        System.out.println(sb);
    }

    /** Cumulative bucket counts of the server's ITL histogram, summed over models. */
    private record ServerItl(Map<Double, Long> buckets, long count) {
        private static final String BUCKET = "vllm:inter_token_latency_seconds_bucket{";
        private static final String COUNT = "vllm:inter_token_latency_seconds_count";

        static ServerItl scrape(String host, int port) {
            try (HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(2))
                    .build()) {
                String body = http.send(
                                HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/metrics"))
                                        .timeout(Duration.ofSeconds(5))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                Map<Double, Long> buckets = new TreeMap<>();
                long count = 0;
                for (String line : body.split("\n")) {
                    if (line.startsWith(BUCKET)) {
                        int le = line.indexOf("le=\"");
                        int end = le < 0 ? -1 : line.indexOf('"', le + 4);
                        if (end < 0) {
                            continue;
                        }
                        String bound = line.substring(le + 4, end);
                        double v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                        if (!bound.equals("+Inf")) {
                            buckets.merge(Double.parseDouble(bound), (long) v, Long::sum);
                        }
                    } else if (line.startsWith(COUNT)) {
                        count += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    }
                }
                return new ServerItl(buckets, count);
            } catch (Exception e) {
                System.err.println("could not read the server's /metrics: " + e);
                return null;
            }
        }
    }

    private static double ms(long us) {
        return us / 1e3;
    }

    private void printCpu(CpuSample a, CpuSample b) {
        double sec = (b.wallNanos - a.wallNanos) / 1e9;
        if (sec <= 0) {
            return;
        }
        StringBuilder sb = new StringBuilder("CPU in the steady window (100% = one core): client ");
        sb.append(String.format(Locale.ROOT, "%.0f%%", 100.0 * (b.selfCpuNanos - a.selfCpuNanos) / 1e9 / sec));
        double client = 100.0 * (b.selfCpuNanos - a.selfCpuNanos) / 1e9 / sec;
        double server = Double.NaN;
        if (a.serverTicks >= 0 && b.serverTicks >= 0) {
            server = 100.0 * (b.serverTicks - a.serverTicks) / ClientSupport.USER_HZ / sec;
            sb.append(String.format(Locale.ROOT, ", server %.0f%%", server));
        }
        if (a.machine != null && b.machine != null) {
            long total = b.machine[0] - a.machine[0];
            long idle = b.machine[1] - a.machine[1];
            int cores = Runtime.getRuntime().availableProcessors();
            double busyCores = total > 0 ? cores * 100.0 * (total - idle) / total : Double.NaN;
            sb.append(String.format(Locale.ROOT, ", whole machine %.0f%% of %d00%%", busyCores, cores));
            if (!Double.isNaN(server)) {
                sb.append(String.format(
                        Locale.ROOT,
                        " (other processes and kernel threads ~%.0f%%)",
                        Math.max(0, busyCores - client - server)));
            }
        }
        sb.append(String.format(
                Locale.ROOT, "; client GC: %d collections, %d ms", b.gcCount - a.gcCount, b.gcMillis - a.gcMillis));
        System.out.println(sb);
    }

    private void printSeries(LoopStats t) {
        StringBuilder sb = new StringBuilder("tokens/s per second since start:");
        int perSec = (int) (1_000_000_000L / LoopStats.BUCKET_NANOS);
        int seconds = (int) ((windowEnd - t0) / 1_000_000_000L);
        for (int s = 0; s < seconds; s++) {
            long sum = 0;
            for (int k = s * perSec; k < (s + 1) * perSec && k < t.tokenBuckets.length; k++) {
                sum += t.tokenBuckets[k];
            }
            sb.append(s % 10 == 0 ? "\n  " : " ").append(sum);
        }
        System.out.println(sb);
    }

    /** CPU counters at one instant. */
    private record CpuSample(
            long wallNanos, long selfCpuNanos, long serverTicks, long[] machine, long gcCount, long gcMillis) {
        static CpuSample take(long serverPid) {
            long gcCount = 0;
            long gcMillis = 0;
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                gcCount += Math.max(0, gc.getCollectionCount());
                gcMillis += Math.max(0, gc.getCollectionTime());
            }
            long self =
                    ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                            ? os.getProcessCpuTime()
                            : -1;
            return new CpuSample(
                    System.nanoTime(),
                    self,
                    serverPid > 0 ? ClientSupport.procCpuTicks(serverPid) : -1,
                    ClientSupport.machineTicks(),
                    gcCount,
                    gcMillis);
        }
    }
}
