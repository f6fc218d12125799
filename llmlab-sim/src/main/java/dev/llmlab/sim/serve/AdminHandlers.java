package dev.llmlab.sim.serve;

import dev.llmlab.api.ApiException;
import dev.llmlab.core.config.ConfigException;
import dev.llmlab.core.config.ConfigLoader;
import dev.llmlab.http.Exchange;
import dev.llmlab.http.Handler;
import dev.llmlab.sim.config.ConfigWriter;
import dev.llmlab.sim.config.RuntimeConfig;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The admin API, on only when an admin key is configured: {@code GET /admin/config} shows the
 * latency profiles and fault configuration in force, {@code PUT /admin/config} changes them (JSON
 * or YAML in the configuration file's shape), {@code POST /admin/reset} restores the start-up
 * configuration. Every call needs {@code Authorization: Bearer ADMIN_KEY}; the API keys of the
 * model endpoints are not admin keys. A rejected update answers 400 naming the field and changes
 * nothing.
 */
final class AdminHandlers {
    private final LiveConfig live;
    private final ApiKeys adminKey;

    AdminHandlers(LiveConfig live, String adminKey) {
        this.live = live;
        this.adminKey = new ApiKeys(List.of(adminKey));
    }

    Handler getConfig() {
        return guarded(ex -> reply(ex, live.view()));
    }

    Handler putConfig() {
        return guarded(ex -> {
            RuntimeConfig update;
            try {
                String body = ex.body().toString(StandardCharsets.UTF_8);
                update = ConfigLoader.parse(body.isBlank() ? "{}" : body, "request body", RuntimeConfig.class);
            } catch (ConfigException e) {
                Replies.error(
                        ex,
                        ApiException.invalid(e.field().isEmpty() ? null : e.field(), "invalid_config", e.getMessage()));
                return;
            }
            try {
                reply(ex, live.apply(update));
            } catch (IllegalArgumentException e) {
                Replies.error(ex, ApiException.invalid(null, "invalid_config", e.getMessage()));
            }
        });
    }

    Handler reset() {
        return guarded(ex -> reply(ex, live.reset()));
    }

    private Handler guarded(Handler h) {
        return ex -> {
            String auth = ex.requestHeaders().get("authorization");
            String key = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)
                    ? auth.substring(7).strip()
                    : null;
            if (key == null || !adminKey.accepts(key)) {
                Replies.error(
                        ex,
                        new ApiException(
                                401,
                                "invalid_request_error",
                                null,
                                "invalid_admin_key",
                                "The admin API needs Authorization: Bearer with the configured admin key."));
                return;
            }
            h.handle(ex);
        };
    }

    private static void reply(Exchange ex, RuntimeConfig view) {
        byte[] json = ConfigWriter.json(view).getBytes(StandardCharsets.UTF_8);
        ex.respond(200, Replies.JSON, ex.alloc().buffer(json.length).writeBytes(json));
    }
}
