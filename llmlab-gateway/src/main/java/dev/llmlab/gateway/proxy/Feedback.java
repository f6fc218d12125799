package dev.llmlab.gateway.proxy;

import dev.llmlab.gateway.keys.Key;
import dev.llmlab.gateway.keys.RateLimitHeaders;
import dev.llmlab.gateway.observe.GatewayMetrics;
import dev.llmlab.gateway.reliability.Breaker;
import dev.llmlab.gateway.route.Deployment;
import dev.llmlab.http.client.ClientException;
import dev.llmlab.http.client.ResponseHead;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a try's answer tells the gateway for the requests after it, whichever request it was: the
 * deployment's breaker counts a success or a failure, and the key takes the provider's rate-limit
 * headers, cools down after a 429 and leaves rotation after a 401 or 403. A 429, 401 or 403 is the
 * key's fault, not the deployment's: its breaker lets the slot go uncounted, as it does for a
 * call the client cancelled.
 */
final class Feedback {
    private static final Logger log = LoggerFactory.getLogger(Feedback.class);

    private Feedback() {}

    /** A try's head arrived. */
    static void head(GatewayMetrics metrics, Deployment d, Key key, ResponseHead head, long now) {
        int status = head.status();
        Map<String, String> limits = head.rateLimitHeaders();
        if (!limits.isEmpty()) RateLimitHeaders.apply(key, limits::get, now, System.currentTimeMillis());
        if (status >= 200 && status < 300) {
            d.breaker().record(now, false);
            key.succeeded();
        } else if (status == 429) {
            long until =
                    key.rateLimited(now, RateLimitHeaders.retryAfterNanos(head::header, System.currentTimeMillis()));
            metrics.keyCooldown(d.name(), key.name(), Math.max(0, until - now) / 1e9);
        } else if (status == 401 || status == 403) {
            // a key without a secret sends nothing of the gateway's (the client's credentials go): none to take out
            if (key.secret() != null && key.removedBecause() == null) {
                key.remove("the provider answered " + status);
                metrics.keyRemoved(d.name(), key.name(), status);
                log.warn(
                        "key {} of deployment {} is out of rotation: the provider answered {} to it",
                        key.name(),
                        d.name(),
                        status);
            }
        }
    }

    /** A try's non-2xx answer ended. */
    static void failed(Deployment d, int status, long end) {
        Breaker breaker = d.breaker();
        if (status >= 500) breaker.record(end, true);
        else if (status == 429 || status == 401 || status == 403) breaker.release();
        else breaker.record(end, false);
    }

    /** A try's call failed (or was cancelled: the client went away, which says nothing of the deployment). */
    static void failed(Deployment d, ClientException failure, long now) {
        if (failure.kind() == ClientException.Kind.CANCELLED) d.breaker().release();
        else d.breaker().record(now, true);
    }
}
