package dev.llmlab.bench.server;

import dev.llmlab.bench.result.Server;
import dev.llmlab.http.client.HttpClient;
import dev.llmlab.http.client.Proxies;
import dev.llmlab.http.client.TlsOptions;
import dev.llmlab.metrics.MetricsUrl;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The server's own view of a bench run: samples, once a second, the Prometheus metrics of the
 * target (requests running and waiting, KV-cache usage) so the report can put the server's queue
 * next to the client's latency. A latency knee with a growing {@code waiting} is queueing at the
 * server; one without it is somewhere else (network, client, a proxy).
 *
 * <p>Scraping is an observer and must never fail or slow the run: every error becomes the source's
 * {@code error} in the result, each GET has an 800 ms timeout, and a URL never has more than one
 * GET outstanding. One daemon timer thread ticks; the GETs go out on the project's shared client,
 * on an event loop of the scraper's own (not the load's), with the run's TLS and proxy settings, so
 * a URL that needs {@code --ca-cert} or a proxy for the target needs nothing more here. A slow URL
 * does not delay the others. Redirects are not followed (an answer other than 2xx is the source's
 * error): the URL to give is the one that answers.
 *
 * <p>Thread-safety: {@link #start} and {@link #stop} are called by one thread (the run's); the
 * sampling happens on the scraper's own threads.
 */
public final class Scraper {
    static final Duration TIMEOUT = Duration.ofMillis(800);

    private final List<ScrapeSource> sources;
    private final long originNanos;
    private final LongSupplier clock;
    private final HttpClient http;
    private final ScheduledExecutorService timer;

    private Scraper(
            List<URI> urls,
            String model,
            long originNanos,
            Duration interval,
            LongSupplier clock,
            TlsOptions tls,
            Proxies proxies) {
        this.originNanos = originNanos;
        this.clock = clock;
        List<ScrapeSource> s = new ArrayList<>();
        for (URI u : urls) s.add(new ScrapeSource(u, TIMEOUT, model));
        this.sources = List.copyOf(s);
        this.http = HttpClient.builder()
                .ioThreads(1)
                .threadName("llmlab-scrape")
                .connectTimeout(TIMEOUT)
                .totalTimeout(TIMEOUT)
                .tls(tls)
                .proxies(proxies)
                .build();
        if (interval == null) {
            this.timer = null;
        } else {
            this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "llmlab-scrape");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleAtFixedRate(this::tick, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Starts sampling every URL once a second, the first sample at once. {@code originNanos} is the
     * {@link System#nanoTime()} of the run's start: samples' {@code second} counts from it, like the
     * run's time series (samples taken before it have a negative second). Never throws for an
     * unreachable URL; validate the URLs with {@link #metricsUri} first.
     *
     * @param model   the benchmarked model: a page that labels its series by model is read for this one
     * @param tls     how https URLs are verified (the run's {@code --ca-cert} or {@code --insecure})
     * @param proxies the proxies to reach them through (the run's)
     * @throws IllegalArgumentException for a CA file that cannot be read
     */
    public static Scraper start(List<URI> urls, String model, long originNanos, TlsOptions tls, Proxies proxies) {
        return new Scraper(urls, model, originNanos, Duration.ofSeconds(1), System::nanoTime, tls, proxies);
    }

    /** For tests: any interval, or none ({@code null}: samples only when {@link #sampleNow} is called). */
    static Scraper start(List<URI> urls, String model, long originNanos, Duration interval, LongSupplier clock) {
        return new Scraper(urls, model, originNanos, interval, clock, TlsOptions.DEFAULT, Proxies.NONE);
    }

    /**
     * A {@code --scrape} argument as the URL to GET ({@link MetricsUrl#of}).
     *
     * @throws IllegalArgumentException naming the argument and what is wrong with it
     */
    public static URI metricsUri(String url) {
        return MetricsUrl.of(url);
    }

    private void tick() {
        for (ScrapeSource s : sources) s.poll(http, clock, originNanos);
    }

    /** For tests: one sample of every URL now, in order, each awaited (at most the timeout and a second). */
    void sampleNow() {
        for (ScrapeSource s : sources) {
            try {
                s.poll(http, clock, originNanos).await(TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    List<ScrapeSource> sources() {
        return sources;
    }

    /**
     * Stops sampling (a GET still out is abandoned) and returns every source's samples, or why it had
     * none. Call once.
     */
    public Server stop() {
        if (timer != null) timer.shutdownNow();
        for (ScrapeSource s : sources) s.close();
        http.close();
        List<Server.Source> out = new ArrayList<>();
        for (ScrapeSource s : sources) out.add(s.result());
        return new Server(out);
    }
}
