package dev.llmlab.top.kube;

import dev.llmlab.http.client.Call;
import dev.llmlab.http.client.ClientLoop;
import dev.llmlab.http.client.HttpClient;
import dev.llmlab.http.client.Origin;
import dev.llmlab.http.client.Proxies;
import dev.llmlab.http.client.RequestHead;
import dev.llmlab.http.client.ResponseListener;
import dev.llmlab.http.client.TlsOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * GETs from one API server on a client of its own (its TLS is the cluster's, not the scraped
 * targets'), with one event loop: every watch's callbacks and timers run there, one at a time, so
 * that the discovery's state needs no locks.
 *
 * <p>Timeouts: a connection and the first byte of an answer within {@link #REQUEST_TIMEOUT}; a whole
 * answer within the watch's own {@link #WATCH_SECONDS} and a margin, so that a watch whose
 * connection died silently (a NAT that forgot it) is ended and made again.
 */
final class Api implements AutoCloseable {
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** How long the API server keeps a watch open (client-go asks 5 to 10 minutes). */
    static final int WATCH_SECONDS = 300;

    final Connection connection;
    private final HttpClient http;
    private final Origin origin;
    private final String base;

    /**
     * @throws IllegalArgumentException for a CA file that cannot be read
     */
    Api(Connection connection, Proxies proxies) {
        this.connection = connection;
        this.origin = Origin.of(connection.server());
        this.base = connection.basePath();
        this.http = HttpClient.builder()
                .ioThreads(1)
                .threadName("llmlab-top-kube")
                .connectTimeout(REQUEST_TIMEOUT)
                .firstByteTimeout(REQUEST_TIMEOUT)
                .totalTimeout(Duration.ofSeconds(WATCH_SECONDS + 30))
                .tls(new TlsOptions(connection.caFile(), connection.insecure(), null))
                .proxies(proxies)
                .build();
    }

    ClientLoop loop() {
        return http.loop(0);
    }

    /** Sends {@code GET base+pathAndQuery}. */
    Call get(String pathAndQuery, ResponseListener listener) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("accept", "application/json");
        headers.put("user-agent", "llmlab-top");
        String auth = connection.authorization();
        if (auth != null) headers.put("authorization", auth);
        return http.send(RequestHead.of(origin, "GET", base + pathAndQuery, headers), null, listener);
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Must not be called on the loop. */
    @Override
    public void close() {
        try {
            http.close();
        } finally {
            connection.deleteTemporary();
        }
    }
}
