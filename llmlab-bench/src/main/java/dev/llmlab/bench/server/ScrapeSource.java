package dev.llmlab.bench.server;

import dev.llmlab.bench.result.Server;
import dev.llmlab.metrics.Exposition;
import dev.llmlab.metrics.Quantity;
import dev.llmlab.metrics.ServerKind;
import dev.llmlab.metrics.ServerReading;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLException;

/**
 * One scraped URL: its samples so far, the engine kind its page showed, and why the last GET failed.
 *
 * <p>At most one GET is outstanding per URL ({@link #poll} returns at once while one is): a server
 * slower than the interval gets sampled less often instead of receiving a pile of requests, which
 * would load the very server being measured. Thread-safe: polls run on virtual threads, the result
 * is read once by {@link #result} after the scraper stopped.
 */
final class ScrapeSource {
    private final URI url;
    private final HttpRequest request;
    private final Duration timeout;
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private final List<Point> samples = new ArrayList<>();
    private ServerKind kind = ServerKind.UNKNOWN;
    private String error;
    private boolean closed;

    /** One sample: seconds since the run's origin, and the three gauges read (null: not exported). */
    record Point(double second, Double running, Double waiting, Double kvCacheUsage) {}

    ScrapeSource(URI url, Duration timeout) {
        this.url = url;
        this.timeout = timeout;
        this.request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Accept", "text/plain;version=0.0.4;q=0.9,application/openmetrics-text;q=0.5,*/*;q=0.1")
                .GET()
                .build();
    }

    boolean busy() {
        return inFlight.get();
    }

    /**
     * One GET and its sample, on the calling thread; returns at once if a GET is already out. The
     * sample's time is the middle of the GET: the best estimate of when the server read its gauges.
     */
    void poll(HttpClient http, LongSupplier clock, long originNanos) {
        if (!inFlight.compareAndSet(false, true)) return;
        try {
            long sent = clock.getAsLong();
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            long received = clock.getAsLong();
            if (r.statusCode() / 100 != 2) {
                failed("HTTP " + r.statusCode());
                return;
            }
            Exposition page = Exposition.parse(r.body());
            if (page.isEmpty()) {
                failed("no Prometheus metrics in the response");
                return;
            }
            ServerKind k = ServerKind.detect(page);
            ServerReading reading = k.read(page);
            double second = (sent + (received - sent) / 2 - originNanos) / 1e9;
            Point point = new Point(
                    second,
                    reading.value(Quantity.RUNNING),
                    reading.value(Quantity.WAITING),
                    reading.value(Quantity.KV_CACHE_USAGE));
            synchronized (this) {
                if (closed) return;
                if (k != ServerKind.UNKNOWN) kind = k;
                samples.add(point);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            failed(describe(e));
        } finally {
            inFlight.set(false);
        }
    }

    private synchronized void failed(String why) {
        if (!closed) error = why;
    }

    /** No sample is taken after this, so a GET cut short by the stop cannot record its failure. */
    synchronized void close() {
        closed = true;
    }

    synchronized List<Point> samples() {
        return List.copyOf(samples);
    }

    /** What it read: {@code error} only when not one sample could be read; a figure it lacked is NaN. */
    synchronized Server.Source result() {
        List<Server.Sample> out = new ArrayList<>();
        for (Point p : samples) {
            out.add(new Server.Sample(
                    Math.round(p.second() * 1000) / 1000.0,
                    figure(p.running()),
                    figure(p.waiting()),
                    figure(p.kvCacheUsage())));
        }
        return new Server.Source(
                url.toString(),
                kind.label(),
                samples.isEmpty() ? (error != null ? error : "no sample was taken") : null,
                out);
    }

    private static double figure(Double v) {
        return v == null || !Double.isFinite(v) ? Double.NaN : v;
    }

    /** A short reason for the report, not a stack trace: what a user can act on. */
    private String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpConnectTimeoutException)
                return "connect timed out after " + timeout.toMillis() + " ms";
            if (t instanceof HttpTimeoutException) return "no response within " + timeout.toMillis() + " ms";
            if (t instanceof ConnectException) return "connection refused";
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return "unknown host " + url.getHost();
            }
            if (t instanceof SSLException) return "TLS: " + t.getMessage();
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
