package dev.llmlab.bench.server;

import dev.llmlab.bench.result.Server;
import dev.llmlab.http.client.Call;
import dev.llmlab.http.client.ClientException;
import dev.llmlab.http.client.HttpClient;
import dev.llmlab.http.client.Origin;
import dev.llmlab.http.client.RequestHead;
import dev.llmlab.http.client.ResponseHead;
import dev.llmlab.http.client.ResponseListener;
import dev.llmlab.metrics.Exposition;
import dev.llmlab.metrics.Quantity;
import dev.llmlab.metrics.ServerKind;
import dev.llmlab.metrics.ServerReading;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * One scraped URL: its samples so far, the engine kind its page showed, and why the last GET failed.
 *
 * <p>At most one GET is outstanding per URL ({@link #poll} returns at once while one is): a server
 * slower than the interval gets sampled less often instead of receiving a pile of requests, which
 * would load the very server being measured. Thread-safe: a poll starts on the scraper's timer and
 * ends on the shared client's event loop; the result is read once by {@link #result} after the
 * scraper stopped.
 */
final class ScrapeSource {
    private static final Map<String, String> ACCEPT =
            Map.of("accept", "text/plain;version=0.0.4;q=0.9,application/openmetrics-text;q=0.5,*/*;q=0.1");

    /** How many of a page's model names a result keeps: enough to show what was there, bounded for a router of hundreds. */
    static final int MODELS_KEPT = 32;

    private final URI url;
    private final String model;
    private final RequestHead request;
    private final Duration timeout;
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private final List<Point> samples = new ArrayList<>();
    private ServerKind kind = ServerKind.UNKNOWN;
    private String readModel;
    private java.util.SortedSet<String> pageModels = new java.util.TreeSet<>();
    private String error;
    private boolean closed;

    /** One sample: seconds since the run's origin, and the three gauges read (null: not exported). */
    record Point(double second, Double running, Double waiting, Double kvCacheUsage) {}

    /** @throws IllegalArgumentException for a URL the client cannot ask (checked by {@link Scraper#metricsUri}) */
    ScrapeSource(URI url, Duration timeout, String model) {
        this.url = url;
        this.model = model;
        this.timeout = timeout;
        String target = url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        this.request = RequestHead.of(Origin.of(url), "GET", target, ACCEPT);
    }

    boolean busy() {
        return inFlight.get();
    }

    /**
     * Starts one GET and returns; a sample is taken when its answer is read, on the client's event
     * loop. Returns at once if a GET is already out. The sample's time is the middle of the GET: the
     * best estimate of when the server read its gauges.
     *
     * @return a latch that opens when this poll ended (at once when none was started)
     */
    CountDownLatch poll(HttpClient http, LongSupplier clock, long originNanos) {
        CountDownLatch done = new CountDownLatch(1);
        if (!inFlight.compareAndSet(false, true)) {
            done.countDown();
            return done;
        }
        long sent = clock.getAsLong();
        http.send(request, null, new ResponseListener() {
            private int status;

            @Override
            public Body onHead(Call call, ResponseHead head) {
                status = head.status();
                return Body.WHOLE;
            }

            @Override
            public void onEnd(Call call, byte[] body, int length) {
                try {
                    read(
                            status,
                            new String(body, 0, length, StandardCharsets.UTF_8),
                            sent,
                            clock.getAsLong(),
                            originNanos);
                } finally {
                    inFlight.set(false);
                    done.countDown();
                }
            }

            @Override
            public void onFailure(Call call, ClientException e) {
                failed(e.reason(timeout));
                inFlight.set(false);
                done.countDown();
            }
        });
        return done;
    }

    private void read(int status, String body, long sent, long received, long originNanos) {
        if (status / 100 != 2) {
            failed("HTTP " + status);
            return;
        }
        Exposition page = Exposition.parse(body);
        if (page.isEmpty()) {
            failed("no Prometheus metrics in the response");
            return;
        }
        ServerKind k = ServerKind.detect(page);
        ServerReading reading = k.read(page);
        // A page of several models (the simulator's --preset, a router) averaged over all of them
        // reads the idle ones too: read the benchmarked model's series when the page names it.
        java.util.SortedSet<String> models = reading.models();
        if (model != null && models.contains(model)) reading = reading.forModel(model);
        double second = (sent + (received - sent) / 2 - originNanos) / 1e9;
        Point point = new Point(
                second,
                reading.value(Quantity.RUNNING),
                reading.value(Quantity.WAITING),
                reading.value(Quantity.KV_CACHE_USAGE));
        synchronized (this) {
            if (closed) return;
            if (k != ServerKind.UNKNOWN) kind = k;
            if (reading.model() != null) readModel = reading.model();
            if (pageModels.size() < MODELS_KEPT) {
                for (String m : models) {
                    if (pageModels.size() >= MODELS_KEPT) break;
                    pageModels.add(m);
                }
            }
            samples.add(point);
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
                out,
                readModel,
                List.copyOf(pageModels));
    }

    private static double figure(Double v) {
        return v == null || !Double.isFinite(v) ? Double.NaN : v;
    }
}
