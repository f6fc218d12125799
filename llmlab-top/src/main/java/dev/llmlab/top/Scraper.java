package dev.llmlab.top;

import dev.llmlab.http.client.HttpClient;
import dev.llmlab.http.client.Origin;
import dev.llmlab.http.client.RequestHead;
import dev.llmlab.http.client.TlsOptions;
import dev.llmlab.metrics.Exposition;
import dev.llmlab.metrics.ServerKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * GETs each target's metrics page and hands what it read to a consumer, on the client's event loop.
 * At most one GET is out per target: a server slower than the refresh is read less often rather
 * than sent a pile of requests, which would load the very server being watched. A target that does
 * not answer within the timeout is a {@link Scrape} with its error.
 *
 * <p>The targets are the discovery's at each poll: a new one is read from that poll on, a gone one
 * no more. Thread-safe; {@link #poll} starts the GETs and returns at once.
 */
final class Scraper implements Feed {
    private static final Map<String, String> ACCEPT =
            Map.of("accept", "text/plain;version=0.0.4;q=0.9,application/openmetrics-text;q=0.5,*/*;q=0.1");

    private final HttpClient http;
    private final Duration timeout;
    private final LongSupplier clock;
    private final Consumer<Scrape> sink;
    private final Discovery discovery;
    private final Map<Target, Source> sources = new LinkedHashMap<>();
    private volatile List<Target> targets = List.of();

    private final class Source {
        final Target target;
        final RequestHead request;
        final AtomicBoolean out = new AtomicBoolean();

        Source(Target target) {
            this.target = target;
            String path = target.url().getRawPath()
                    + (target.url().getRawQuery() == null
                            ? ""
                            : "?" + target.url().getRawQuery());
            this.request = RequestHead.of(Origin.of(target.url()), "GET", path, ACCEPT);
        }

        CompletableFuture<Void> poll() {
            if (!out.compareAndSet(false, true)) return CompletableFuture.completedFuture(null);
            long sent = clock.getAsLong();
            return Get.send(http, request, timeout).thenAccept(a -> {
                try {
                    long ended = clock.getAsLong();
                    if (a.error() != null) sink.accept(new Scrape(target, ended, null, a.error()));
                    else sink.accept(read(target, sent + (ended - sent) / 2, a.status(), a.body()));
                } finally {
                    out.set(false);
                }
            });
        }
    }

    /** @throws IllegalArgumentException for a CA file that cannot be read */
    Scraper(Discovery discovery, Duration timeout, TlsOptions tls, LongSupplier clock, Consumer<Scrape> sink) {
        this.discovery = discovery;
        this.timeout = timeout;
        this.clock = clock;
        this.sink = sink;
        this.http = HttpClient.builder()
                .ioThreads(1)
                .threadName("llmlab-top-scrape")
                .connectTimeout(timeout)
                .totalTimeout(timeout)
                .tls(tls)
                .build();
    }

    /** Starts a GET of every target not already being read; the stage completes when all those ended. */
    @Override
    public CompletableFuture<Void> poll() {
        List<Target> now = discovery.targets();
        List<CompletableFuture<Void>> all = new ArrayList<>(now.size());
        synchronized (sources) {
            sources.keySet().retainAll(now);
            for (Target t : now) all.add(sources.computeIfAbsent(t, Source::new).poll());
            targets = now;
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    @Override
    public List<Target> targets() {
        return targets;
    }

    @Override
    public String error() {
        return discovery.error();
    }

    /** What a page said: its reading, or why it is not one. */
    static Scrape read(Target target, long at, int status, String body) {
        if (status / 100 != 2) return new Scrape(target, at, null, "HTTP " + status);
        Exposition page = Exposition.parse(body, Reading::wanted);
        if (page.isEmpty() && Exposition.parse(body).isEmpty()) // nothing kept: was there anything at all?
        return new Scrape(target, at, null, "no Prometheus metrics in the response");
        return new Scrape(target, at, Reading.of(ServerKind.detect(page).read(page)), null);
    }

    @Override
    public void close() {
        try {
            discovery.close();
        } finally {
            http.close();
        }
    }
}
