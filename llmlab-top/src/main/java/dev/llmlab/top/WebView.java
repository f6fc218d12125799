package dev.llmlab.top;

import dev.llmlab.http.ErrorRenderer;
import dev.llmlab.http.Exchange;
import dev.llmlab.http.HttpServer;
import dev.llmlab.http.Router;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code llmlab top --web}: the snapshots in a browser. {@code GET /} is one self-contained page
 * (uPlot and the view's script inlined, nothing fetched from elsewhere); {@code GET /events} is a
 * Server-Sent Events stream of one {@code snapshot} event per refresh, its data the snapshot's
 * JSON on one line ({@link SnapshotJson}), the latest sent at once on connect; {@code GET
 * /snapshot.json} is the latest snapshot. The page keeps the last ten minutes of them for its
 * charts.
 *
 * <p>Every {@code interval} the view takes the snapshot of the last {@code window} and sends it to
 * every open stream; a reader too slow for them skips some rather than queueing them
 * ({@link WebStreams}). Bound to a loopback address, the view answers only requests addressed to
 * a loopback name, so that a web page elsewhere cannot read it through DNS rebinding.
 *
 * <p>Thread-safe. Closing it ends the streams and stops the server; the {@link Top} it reads is
 * the caller's to close.
 */
public final class WebView implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WebView.class);
    /** At most this many {@code /events} streams at once; more are answered 503. */
    static final int MAX_STREAMS = 100;

    private final Supplier<Snapshot> source;
    private final WebStreams streams;
    private final int maxStreams;
    private final HttpServer server;
    private final ScheduledExecutorService timer;
    private final byte[] page = WebPage.html();
    private volatile boolean closing;

    /** @param interval null: refreshed only when {@link #refresh} is called (tests) */
    WebView(Supplier<Snapshot> source, InetSocketAddress bind, Duration interval, int maxStreams) {
        this.source = source;
        this.maxStreams = maxStreams;
        this.streams = new WebStreams();
        refresh();
        boolean loopback = !bind.isUnresolved() && bind.getAddress().isLoopbackAddress();
        this.server = HttpServer.builder()
                .host(bind.getHostString())
                .port(bind.getPort())
                .ioThreads(1)
                .drainTimeout(Duration.ofSeconds(2))
                .router(routes(loopback))
                .errorRenderer(new PlainErrors())
                .start();
        if (interval == null) timer = null;
        else {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "llmlab-top-web");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleAtFixedRate(this::refresh, interval.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Serves the view of {@code top} on {@code bind}, refreshed every {@code interval} with the
     * snapshot of the last {@code window}.
     *
     * @throws IllegalStateException when the address cannot be bound (the port is taken); the
     *                               message names the address and why
     */
    public static WebView start(Top top, InetSocketAddress bind, Duration interval, Duration window) {
        if (interval.isNegative() || interval.isZero())
            throw new IllegalArgumentException("the refresh interval must be more than 0");
        top.snapshot(window); // a window out of range fails here, not on the timer
        return new WebView(() -> top.snapshot(window), bind, interval, MAX_STREAMS);
    }

    /**
     * The address {@code --web} names: {@code :PORT} (on 127.0.0.1), {@code HOST:PORT} or {@code
     * [IPv6]:PORT}; port 0 picks a free one.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static InetSocketAddress bindAddress(String spec) {
        String s = spec == null ? "" : spec.strip();
        int colon = s.lastIndexOf(':');
        if (colon < 0 || (s.startsWith("[") && !s.substring(0, colon).endsWith("]")))
            throw new IllegalArgumentException("--web wants :PORT or HOST:PORT, got '" + spec + "'");
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        else if (host.contains(":"))
            throw new IllegalArgumentException(
                    "--web: write an IPv6 address in brackets, as [::1]:PORT, got '" + spec + "'");
        if (host.isEmpty()) host = "127.0.0.1";
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535)
            throw new IllegalArgumentException("--web: the port must be a number from 0 to 65535, got '" + spec + "'");
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--web: unknown host '" + host + "'");
        }
    }

    /** Takes a snapshot and sends it to every stream (every interval; by hand in tests). */
    void refresh() {
        try {
            streams.publish(source.get());
        } catch (RuntimeException e) { // a scheduled task that throws is never run again
            LOG.warn("top: the web view's refresh failed", e);
        }
    }

    WebStreams streams() {
        return streams;
    }

    public InetSocketAddress address() {
        return server.localAddress();
    }

    public int port() {
        return server.port();
    }

    /** Where a browser finds the page, e.g. {@code http://127.0.0.1:8080/}. */
    public String url() {
        InetAddress a = address().getAddress();
        String host = a.getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host.replaceFirst("%.*", "") + "]" : host) + ":" + port() + "/";
    }

    /** Stops refreshing, ends every stream and stops the server. Idempotent. */
    @Override
    public void close() {
        closing = true; // no stream starts after the others were ended, to hold up the server's drain
        if (timer != null) timer.shutdownNow();
        streams.endAll();
        server.close();
    }

    private Router routes(boolean loopback) {
        return Router.builder()
                .add("GET", "/", ex -> page(ex, loopback))
                .add("HEAD", "/", ex -> page(ex, loopback))
                .add("GET", "/snapshot.json", ex -> json(ex, loopback))
                .add("HEAD", "/snapshot.json", ex -> json(ex, loopback))
                .add("GET", "/events", ex -> events(ex, loopback))
                .build();
    }

    private void page(Exchange ex, boolean loopback) {
        if (refused(ex, loopback)) return;
        ex.responseHeaders()
                .set("content-security-policy", WebPage.CSP)
                .set("x-content-type-options", "nosniff")
                .set("referrer-policy", "no-referrer")
                .set("cache-control", "no-store");
        ex.respond(200, "text/html; charset=utf-8", Unpooled.wrappedBuffer(page));
    }

    private void json(Exchange ex, boolean loopback) {
        if (refused(ex, loopback)) return;
        WebStreams.Frame f = streams.latest();
        if (f == null) { // the first refresh failed (logged)
            ex.respond(503, "text/plain; charset=utf-8", text(ex.alloc(), "no snapshot yet\n"));
            return;
        }
        ex.responseHeaders().set("cache-control", "no-store").set("x-content-type-options", "nosniff");
        ex.respond(200, "application/json", Unpooled.wrappedBuffer(f.json()));
    }

    private void events(Exchange ex, boolean loopback) {
        if (refused(ex, loopback)) return;
        if (closing) {
            ex.respond(503, "text/plain; charset=utf-8", text(ex.alloc(), "top is stopping\n"));
            return;
        }
        if (streams.open() >= maxStreams) { // one event loop: no two streams start at once
            ex.respond(503, "text/plain; charset=utf-8", text(ex.alloc(), "too many open views\n"));
            return;
        }
        streams.subscribe(ex.startSse(), ex.eventLoop());
    }

    /**
     * A view bound to loopback answers only requests whose Host is a loopback name: a page
     * elsewhere whose name was rebound to 127.0.0.1 sends its own name, and is refused.
     */
    private static boolean refused(Exchange ex, boolean loopback) {
        if (!loopback) return false;
        String host = ex.requestHeaders().get("host");
        if (host == null || loopbackName(host)) return false;
        ex.respond(
                403,
                "text/plain; charset=utf-8",
                text(ex.alloc(), "this view answers only requests to localhost or a loopback address\n"));
        return true;
    }

    static boolean loopbackName(String hostHeader) {
        String h = hostHeader.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end > 0 && h.substring(1, end).equals("::1");
        }
        int colon = h.indexOf(':');
        if (colon >= 0) h = h.substring(0, colon);
        if (h.equals("localhost") || h.endsWith(".localhost")) return true;
        return h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    private static ByteBuf text(ByteBufAllocator alloc, String s) {
        return ByteBufUtil.writeUtf8(alloc, s);
    }

    /** The server's own errors (404, 405, ...) as one line of text. */
    private static final class PlainErrors implements ErrorRenderer {
        @Override
        public ByteBuf render(ByteBufAllocator alloc, int status, String message) {
            return text(alloc, message + "\n");
        }

        @Override
        public String contentType() {
            return "text/plain; charset=utf-8";
        }
    }
}
