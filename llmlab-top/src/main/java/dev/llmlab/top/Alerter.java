package dev.llmlab.top;

import dev.llmlab.http.client.Call;
import dev.llmlab.http.client.ClientException;
import dev.llmlab.http.client.HttpClient;
import dev.llmlab.http.client.Origin;
import dev.llmlab.http.client.RequestHead;
import dev.llmlab.http.client.ResponseHead;
import dev.llmlab.http.client.ResponseListener;
import dev.llmlab.http.client.TlsOptions;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * POSTs an SLO's alert to a webhook when it fires, changes severity, or resolves: one JSON object
 * per change (defined in docs/top.md), never one per refresh. A delivery that fails is not retried
 * (the next change is sent anyway); the last failure is kept for the view to show, because an
 * on-call engineer who trusts a silent webhook misses the page.
 *
 * <p>Called from top's refresh thread only.
 */
final class Alerter implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI webhook;
    private final Duration timeout;
    private final HttpClient http;
    private final RequestHead post;
    private final Map<String, String> firing = new HashMap<>();
    private volatile String error;

    Alerter(URI webhook, Duration timeout, TlsOptions tls) {
        this.webhook = webhook;
        this.timeout = timeout;
        this.http = HttpClient.builder()
                .ioThreads(1)
                .threadName("llmlab-top-webhook")
                .connectTimeout(timeout)
                .totalTimeout(timeout)
                .tls(tls)
                .build();
        String path = (webhook.getRawPath() == null || webhook.getRawPath().isEmpty() ? "/" : webhook.getRawPath())
                + (webhook.getRawQuery() == null ? "" : "?" + webhook.getRawQuery());
        this.post = RequestHead.of(Origin.of(webhook), "POST", path, Map.of("content-type", "application/json"));
    }

    /** Sends what changed since the last call. */
    void update(List<SloStatus> now) {
        Map<String, SloStatus> seen = new HashMap<>();
        for (SloStatus s : now) {
            String key = s.slo() + "\u0000" + s.model();
            seen.put(key, s);
            String before = firing.get(key);
            if (s.alert() != null && !s.alert().equals(before)) {
                firing.put(key, s.alert());
                send(s, "firing", s.alert());
            } else if (s.alert() == null && before != null) {
                firing.remove(key);
                send(s, "resolved", before);
            }
        }
        firing.keySet().retainAll(seen.keySet());
    }

    /** Why the last delivery failed, or null. */
    String error() {
        return error;
    }

    private void send(SloStatus s, String status, String severity) {
        byte[] body = body(s, status, severity);
        http.send(post, body, new ResponseListener() {
            @Override
            public Body onHead(Call call, ResponseHead head) {
                error = head.status() / 100 == 2 ? null : "the webhook " + webhook + " answered HTTP " + head.status();
                return Body.WHOLE;
            }

            @Override
            public void onEnd(Call call, byte[] answer, int length) {}

            @Override
            public void onFailure(Call call, ClientException e) {
                error = "the webhook " + webhook + " could not be reached: " + e.reason(timeout);
            }
        });
    }

    static byte[] body(SloStatus s, String status, String severity) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringProperty("status", status);
            g.writeStringProperty("severity", severity);
            g.writeStringProperty("slo", s.slo());
            g.writeStringProperty("model", s.model());
            g.writeStringProperty("objective", s.objective());
            g.writeStringProperty("at", Instant.now().toString());
            g.writeObjectPropertyStart("burn_rates");
            for (SloStatus.Window w : s.windows()) g.writeNumberProperty(w.label(), round(w.burnRate()));
            g.writeEndObject();
            g.writeStringProperty(
                    "summary",
                    "llmlab top: " + s.slo() + " on " + s.model() + " (" + s.objective() + ") "
                            + (status.equals("firing") ? "burning its error budget: " + severity : "resolved"));
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : 0;
    }

    @Override
    public void close() {
        http.close();
    }
}
