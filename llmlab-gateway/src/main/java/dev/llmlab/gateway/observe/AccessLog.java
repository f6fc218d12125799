package dev.llmlab.gateway.observe;

import dev.llmlab.gateway.account.TokenUsage;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * The access log: one JSON object per line per finished request, written from a {@link
 * RequestRecord}. It holds no prompt, no answer and no key (the client key's configured name at
 * most). The fields are in docs/gateway-metrics.md.
 *
 * <p><b>Never blocks the caller.</b> {@link #log} puts the record on a bounded queue and returns;
 * one writer thread takes them in batches, turns them into JSON and writes them, flushing whenever
 * the queue runs dry; a line reaches the destination within a few milliseconds.
 * When the queue is full (the destination is slower than the traffic: a full disk, a stalled pipe)
 * the line is dropped, counted in {@code llmlab_gateway_access_log_dropped_total}, and a warning
 * says so at most once every 10 s with the count since the last. A failed write costs its lines
 * and one warning at most every 10 s, never the gateway.
 *
 * <p>Thread-safety: {@link #log} may be called from any thread at once; {@link #close} once, after
 * the last {@link #log} (later records are ignored).
 */
public final class AccessLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AccessLog.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Object POISON = new Object();
    private static final int BATCH = 512;
    /**
     * How long the writer sleeps when the queue is empty. It polls rather than waits on the queue:
     * a waiting writer is woken by every line (a futex call and a context switch per request: a
     * tenth of the gateway's CPU at 20,000 req/s, profiled), a polling one takes them in batches.
     */
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final BlockingQueue<Object> queue;
    private final OutputStream out;
    private final boolean closeOut;
    private final Runnable onDrop;
    private final OccasionalWarning dropWarning;
    private final OccasionalWarning writeWarning;
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;
    private volatile boolean closed;

    /**
     * Opens the log {@code config} names; drops are counted in {@code metrics}.
     *
     * @throws IOException when the file cannot be opened for appending
     */
    public static AccessLog open(AccessLogConfig config, GatewayMetrics metrics) throws IOException {
        return switch (config.destination()) {
            case OFF -> new AccessLog(null, false, 1, metrics::accessLogDropped, System::nanoTime);
            case STDOUT ->
                new AccessLog(System.out, false, config.queue(), metrics::accessLogDropped, System::nanoTime);
            case FILE ->
                new AccessLog(
                        new FileOutputStream(config.file().toFile(), true),
                        true,
                        config.queue(),
                        metrics::accessLogDropped,
                        System::nanoTime);
        };
    }

    /** {@code out} null: the log is off, and nothing is queued or written. */
    AccessLog(OutputStream out, boolean closeOut, int capacity, Runnable onDrop, LongSupplier nanoTime) {
        this.out = out == null ? null : new BufferedOutputStream(out, 64 * 1024);
        this.closeOut = closeOut;
        this.onDrop = onDrop;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.dropWarning = new OccasionalWarning(nanoTime);
        this.writeWarning = new OccasionalWarning(nanoTime);
        if (out == null) {
            this.writer = null;
        } else {
            this.writer = new Thread(this::run, "llmlab-access-log");
            this.writer.setDaemon(true);
            this.writer.start();
        }
    }

    /** Queues one line; never blocks. A full queue drops the line (counted, and warned about now and then). */
    public void log(RequestRecord record) {
        if (writer == null || closed) return;
        if (queue.offer(record)) return;
        dropped.incrementAndGet();
        onDrop.run();
        long n = dropWarning.count();
        if (n > 0) {
            LOG.warn(
                    "access log: the writer's queue is full ({} lines); dropped {} line(s) since the last warning"
                            + " (all drops: {}_total)",
                    queue.remainingCapacity() + queue.size(),
                    n,
                    GatewayMetrics.ACCESS_LOG_DROPPED);
        }
    }

    /** Lines dropped so far because the queue was full. */
    public long dropped() {
        return dropped.get();
    }

    /** Writes what is queued, flushes, and closes a file; waits at most 5 s for the writer. */
    @Override
    public void close() {
        if (writer == null || closed) return;
        closed = true;
        try {
            if (!queue.offer(POISON, 5, TimeUnit.SECONDS)) writer.interrupt();
            LockSupport.unpark(writer);
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (closeOut) out.close();
            else out.flush();
        } catch (IOException e) {
            LOG.warn("access log: closing failed: {}", e.getMessage());
        }
    }

    private void run() {
        List<Object> batch = new ArrayList<>(BATCH);
        ByteArrayOutputStream line = new ByteArrayOutputStream(512);
        boolean unflushed = false;
        while (true) {
            if (queue.drainTo(batch, BATCH) == 0) {
                if (unflushed) flush();
                unflushed = false;
                if (Thread.interrupted()) return;
                LockSupport.parkNanos(IDLE_NANOS);
                continue;
            }
            for (Object o : batch) {
                if (o == POISON) {
                    flush();
                    return;
                }
                line.reset();
                write((RequestRecord) o, line);
                line.write('\n');
                emit(line);
            }
            unflushed = true;
            batch.clear();
        }
    }

    private void emit(ByteArrayOutputStream line) {
        try {
            line.writeTo(out);
        } catch (IOException e) {
            failed(e);
        }
    }

    private void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            failed(e);
        }
    }

    private void failed(IOException e) {
        long n = writeWarning.count();
        if (n > 0) LOG.warn("access log: writing failed ({} time(s) since the last warning): {}", n, e.getMessage());
    }

    /** One record as one JSON object; unknown values are null, never 0. */
    static void write(RequestRecord r, OutputStream target) {
        try (JsonGenerator g = JSON.createGenerator(target)) {
            g.writeStartObject();
            g.writeStringProperty(
                    "time", Instant.ofEpochMilli(r.startEpochMillis()).toString());
            g.writeStringProperty("request_id", r.requestId());
            g.writeStringProperty("client_key", r.clientKeyName());
            g.writeStringProperty("ingress", r.ingress().label());
            g.writeStringProperty("route", r.route());
            g.writeStringProperty("deployment", r.deployment());
            g.writeStringProperty("provider", r.provider());
            g.writeStringProperty("provider_model", r.providerModel());
            g.writeNumberProperty("status", r.status());
            g.writeStringProperty("error_type", r.errorType());
            g.writeBooleanProperty("stream", r.stream());
            g.writeNumberProperty("attempts", r.attempts());
            g.writeNumberProperty("retries", r.retries());
            g.writeNumberProperty("fallbacks", r.fallbacks());
            millis(g, "ttft_ms", r.ttftNanos());
            millis(g, "e2e_ms", r.e2eNanos());
            millis(g, "upstream_ms", r.upstreamNanos());
            millis(g, "overhead_ms", r.overheadNanos());
            TokenUsage u = r.usage();
            if (u == null) {
                g.writeNullProperty("input_tokens");
                g.writeNullProperty("output_tokens");
                g.writeNullProperty("cached_input_tokens");
                g.writeNullProperty("usage_estimated");
            } else {
                g.writeNumberProperty("input_tokens", u.inputTokens());
                g.writeNumberProperty("output_tokens", u.outputTokens());
                g.writeNumberProperty("cached_input_tokens", u.cachedInputTokens());
                g.writeBooleanProperty("usage_estimated", u.estimated());
            }
            if (r.cost().known()) g.writeNumberProperty("cost_usd", r.cost().usd());
            else g.writeNullProperty("cost_usd");
            g.writeStringProperty("cache", r.cache());
            g.writeEndObject();
        }
    }

    /** Milliseconds to the microsecond ({@code 12.346}), or null for -1; written without a double's formatting. */
    private static void millis(JsonGenerator g, String name, long nanos) {
        if (nanos < 0) {
            g.writeNullProperty(name);
            return;
        }
        long micros = (nanos + 500) / 1000;
        long frac = micros % 1000;
        g.writeName(name);
        g.writeNumber((micros / 1000) + (frac < 10 ? ".00" : frac < 100 ? ".0" : ".") + frac);
    }
}
