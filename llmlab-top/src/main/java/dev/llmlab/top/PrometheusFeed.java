package dev.llmlab.top;

import dev.llmlab.http.client.HttpClient;
import dev.llmlab.http.client.Origin;
import dev.llmlab.http.client.RequestHead;
import dev.llmlab.http.client.TlsOptions;
import dev.llmlab.metrics.Exposition;
import dev.llmlab.metrics.Labels;
import dev.llmlab.metrics.MetricType;
import dev.llmlab.metrics.Sample;
import dev.llmlab.metrics.ServerKind;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a fleet from a Prometheus server that already scrapes it, instead of scraping each replica:
 * how top watches a thousand pods with one GET a refresh, and without reaching the pods at all.
 *
 * <p>The read is Prometheus' federation endpoint ({@code GET /federate?match[]=...}, the one a
 * Prometheus server uses to scrape another): the latest sample of every series the selectors match,
 * each with its {@code job} and {@code instance} labels and the time Prometheus scraped it. The
 * selectors name only the series a row shows (every server kind's names for them, from
 * llmlab-metrics' alias tables), so the page is a few KB per replica, not its whole exposition. Each
 * {@code job}/{@code instance} pair is one target, read exactly as if top had scraped it: the same
 * {@link Reading}, windows, reset rule and merged buckets. Its reading's time is Prometheus' scrape
 * time, so a window spans what Prometheus saw, and a target Prometheus has not scraped again since
 * the last refresh adds no reading (its "last read" age grows to the scrape interval).
 *
 * <p>Federation declares every series {@code untyped}, histograms' buckets included; the types come
 * from Prometheus' metadata API ({@code /api/v1/metadata}), read at the first refresh, again every
 * {@value #METADATA_SECONDS} s, and within {@value #MISSING_TYPE_SECONDS} s of a series whose family it
 * did not list (Prometheus lists a family once it has scraped it, which may be after top started). A target Prometheus reports down ({@code up == 0}) in a job that has
 * LLM series is listed with that error; other jobs' targets (node exporters and the like) are not
 * shown. A window shorter than Prometheus' scrape interval cannot have two readings: rows need a
 * window of at least twice that interval.
 *
 * <p>Thread-safe: at most one read is out at a time; a refresh that comes while one is out is skipped.
 */
final class PrometheusFeed implements Feed {
    static final int METADATA_SECONDS = 60;
    /**
     * The shortest time between two reads of a live view: Prometheus' figures move only when it
     * scrapes (every 15 s by default), and a federation page of a thousand replicas is megabytes to
     * parse, so reading it every second would cost top five times what it tells.
     */
    static final Duration LIVE_PERIOD = Duration.ofSeconds(5);
    /** How soon the metadata is read again when a series has no type in it (a family new since). */
    static final int MISSING_TYPE_SECONDS = 5;

    private static final List<String> KEYS = List.of("job", "instance");
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final URI server;
    private final Duration timeout;
    private final LongSupplier nanos;
    private final LongSupplier epochMillis;
    private final Consumer<Scrape> sink;
    private final HttpClient http;
    private final RequestHead federate;
    private final RequestHead metadata;
    private final AtomicBoolean out = new AtomicBoolean();
    private final long periodNanos;
    private volatile long lastReadNanos = Long.MIN_VALUE;

    // written by one read at a time (out), read by any thread
    private volatile Map<String, MetricType> types = Map.of();
    private volatile long typesAtNanos;
    private volatile boolean typeMissing;
    private volatile List<Target> targets = List.of();
    private volatile String error;
    private final Map<Labels, Target> known = new HashMap<>();
    private final Map<Labels, Long> lastSampleMillis = new HashMap<>();

    /**
     * @param server   the Prometheus server's base URL ({@code http://prometheus:9090}, or with a
     *                 path prefix)
     * @param selector label matchers every series must also match ({@code namespace="prod"}), or
     *                 empty
     * @param period   the shortest time between two reads (0: every poll reads)
     * @throws IllegalArgumentException for a URL that is not http(s), or a CA file that cannot be read
     */
    PrometheusFeed(
            URI server,
            String selector,
            Duration period,
            Duration timeout,
            TlsOptions tls,
            LongSupplier nanos,
            LongSupplier epochMillis,
            Consumer<Scrape> sink) {
        String base = server.toString().endsWith("/") ? server.toString() : server + "/";
        this.server = URI.create(base);
        this.periodNanos = period.toNanos();
        this.timeout = timeout;
        this.nanos = nanos;
        this.epochMillis = epochMillis;
        this.sink = sink;
        Origin origin = Origin.of(this.server);
        String path =
                this.server.getRawPath() == null || this.server.getRawPath().isEmpty() ? "/" : this.server.getRawPath();
        Map<String, String> accept = Map.of("accept", "text/plain;version=0.0.4");
        this.federate = RequestHead.of(origin, "GET", path + "federate?" + query(selector), accept);
        this.metadata = RequestHead.of(origin, "GET", path + "api/v1/metadata", Map.of("accept", "application/json"));
        this.http = HttpClient.builder()
                .ioThreads(1)
                .threadName("llmlab-top-prometheus")
                .connectTimeout(timeout)
                .totalTimeout(timeout)
                .tls(tls)
                .build();
    }

    /** The federation query: the series a row shows, on every server kind, and {@code up}. */
    static String query(String selector) {
        Set<String> names = Reading.NAMES;
        String extra = selector == null || selector.isBlank() ? "" : "," + selector.strip();
        String series = "{__name__=~\"(" + String.join("|", names) + ")(_bucket|_count|_sum|_total)?\"" + extra + "}";
        String up = extra.isEmpty() ? "up" : "up{" + extra.substring(1) + "}";
        return "match[]=" + URLEncoder.encode(series, StandardCharsets.UTF_8) + "&match[]="
                + URLEncoder.encode(up, StandardCharsets.UTF_8);
    }

    @Override
    public CompletableFuture<Void> poll() {
        long now = nanos.getAsLong();
        if (lastReadNanos != Long.MIN_VALUE && now - lastReadNanos < periodNanos)
            return CompletableFuture.completedFuture(null);
        if (!out.compareAndSet(false, true)) return CompletableFuture.completedFuture(null);
        lastReadNanos = now;
        long age = nanos.getAsLong() - typesAtNanos;
        boolean stale = types.isEmpty()
                || age > METADATA_SECONDS * 1_000_000_000L
                || (typeMissing && age > MISSING_TYPE_SECONDS * 1_000_000_000L);
        CompletableFuture<Void> typed = stale
                ? Get.send(http, metadata, timeout).thenAccept(this::readMetadata)
                : CompletableFuture.completedFuture(null);
        return typed.thenCompose(v -> Get.send(http, federate, timeout))
                .thenAccept(this::readFederation)
                .whenComplete((v, e) -> out.set(false));
    }

    private record Metadata(String status, Map<String, List<Meta>> data, String error) {}

    private record Meta(String type) {}

    private void readMetadata(Get.Answer a) {
        String problem = problem(a, "its metadata (/api/v1/metadata)");
        if (problem == null) {
            try {
                Metadata m = JSON.readValue(a.body(), Metadata.class);
                if (!"success".equals(m.status()) || m.data() == null)
                    problem = "Prometheus at " + server + " refused its metadata: " + m.error();
                else {
                    Map<String, MetricType> t = new HashMap<>();
                    for (Map.Entry<String, List<Meta>> e : m.data().entrySet())
                        if (!e.getValue().isEmpty())
                            t.put(
                                    e.getKey(),
                                    MetricType.parse(String.valueOf(
                                            e.getValue().getFirst().type())));
                    types = Map.copyOf(t);
                    typesAtNanos = nanos.getAsLong();
                }
            } catch (RuntimeException e) {
                problem = server + " is not a Prometheus server: its /api/v1/metadata is not Prometheus' JSON";
            }
        }
        error = problem;
    }

    /** Why an answer is not one to read, or null. */
    private String problem(Get.Answer a, String what) {
        if (a.error() != null) return "cannot read Prometheus at " + server + ": " + a.error();
        if (a.status() != 200) {
            String body = a.body().strip();
            return "Prometheus at " + server + " answered HTTP " + a.status() + " for " + what
                    + (body.isEmpty() ? "" : ": " + body.substring(0, Math.min(200, body.length())));
        }
        return null;
    }

    private void readFederation(Get.Answer a) {
        String problem = problem(a, "/federate");
        if (problem != null) {
            error = problem;
            return;
        }
        if (types.isEmpty()) { // the metadata failed (its error stands), or lists nothing yet
            if (error == null)
                error = "Prometheus at " + server + " lists no metric metadata yet: has it scraped its targets?";
            return;
        }
        long readNanos = nanos.getAsLong();
        long readMillis = epochMillis.getAsLong();
        Map<Labels, Exposition> groups = Exposition.parse(a.body()).split(KEYS, types);
        typeMissing = groups.values().stream()
                .flatMap(g -> g.families().stream())
                .anyMatch(f -> f.type() == MetricType.UNKNOWN && !f.name().equals("up"));
        Set<String> llmJobs = new HashSet<>();
        for (Map.Entry<Labels, Exposition> g : groups.entrySet())
            if (hasSeries(g.getValue())) llmJobs.add(String.valueOf(g.getKey().get("job")));
        Map<Labels, Exposition> shown = new LinkedHashMap<>();
        for (Map.Entry<Labels, Exposition> g : groups.entrySet()) {
            boolean down = g.getValue().value("up", Labels.EMPTY) == 0;
            if (hasSeries(g.getValue())
                    || (down && llmJobs.contains(String.valueOf(g.getKey().get("job")))))
                shown.put(g.getKey(), g.getValue());
        }
        known.keySet().retainAll(shown.keySet());
        lastSampleMillis.keySet().retainAll(shown.keySet());
        Map<String, Integer> instances = new HashMap<>();
        for (Labels k : shown.keySet()) instances.merge(String.valueOf(k.get("instance")), 1, Integer::sum);
        List<Target> now = new ArrayList<>(shown.size());
        for (Labels k : shown.keySet()) now.add(known.computeIfAbsent(k, key -> target(key, instances)));
        now.sort(Comparator.comparing(Target::name));
        targets = List.copyOf(now);
        error = null;
        for (Map.Entry<Labels, Exposition> g : shown.entrySet()) {
            Target t = known.get(g.getKey());
            Exposition page = g.getValue();
            if (page.value("up", Labels.EMPTY) == 0) {
                sink.accept(new Scrape(t, readNanos, null, "Prometheus cannot scrape it (up is 0)"));
                continue;
            }
            long at = latest(page);
            Long before = lastSampleMillis.put(g.getKey(), at);
            if (before != null && before == at) continue; // not scraped again since: nothing new
            long atNanos = readNanos - Math.max(0, readMillis - at) * 1_000_000L;
            sink.accept(
                    new Scrape(t, atNanos, Reading.of(ServerKind.detect(page).read(page)), null));
        }
    }

    private static boolean hasSeries(Exposition page) {
        for (Sample s : page.samples()) if (!s.name().equals("up")) return true;
        return false;
    }

    /** When Prometheus last scraped the target: its samples' latest timestamp (ms since the epoch). */
    private static long latest(Exposition page) {
        double t = 0;
        for (Sample s : page.samples()) if (!Double.isNaN(s.timestamp())) t = Math.max(t, s.timestamp());
        return (long) t;
    }

    /** A target named by its instance, or job/instance when two jobs scrape one instance. */
    private Target target(Labels key, Map<String, Integer> instances) {
        String job = String.valueOf(key.get("job"));
        String instance = String.valueOf(key.get("instance"));
        String name = instances.get(instance) > 1 ? job + "/" + instance : instance;
        try {
            URI u = new URI(
                    server.getScheme(),
                    null,
                    server.getHost(),
                    server.getPort(),
                    server.getPath() + "federate",
                    null,
                    job + "/" + instance);
            return new Target(name, u);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e); // host and path came from a URI already
        }
    }

    @Override
    public List<Target> targets() {
        return targets;
    }

    @Override
    public String error() {
        return error;
    }

    @Override
    public void close() {
        http.close();
    }
}
