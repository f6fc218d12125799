package dev.llmlab.gateway.cache;

import java.time.Duration;
import java.util.Locale;

/**
 * What one request says of the cache: {@code Cache-Control: no-cache} (do not answer from the
 * cache, but keep the new answer), {@code no-store} (neither), and {@code x-llmlab-cache-ttl:
 * SECONDS} (keep the answer for at most that long; never longer than the route's {@code ttl}).
 * Other {@code Cache-Control} directives are ignored, as HTTP caches ignore what they do not know.
 *
 * @param read  whether the answer may come from the cache
 * @param store whether the answer may be kept
 * @param ttl   how long it is kept
 */
public record CacheDirectives(boolean read, boolean store, Duration ttl) {
    /** The request header that shortens how long its answer is kept. */
    public static final String TTL_HEADER = "x-llmlab-cache-ttl";

    /**
     * @param cacheControl the request's {@code Cache-Control}, or null
     * @param ttlHeader    its {@value #TTL_HEADER}, or null
     * @param routeTtl     the route's {@code ttl}, the most an answer is kept
     * @throws IllegalArgumentException for a TTL header that is not a whole number of seconds above 0
     */
    public static CacheDirectives of(String cacheControl, String ttlHeader, Duration routeTtl) {
        boolean read = true;
        boolean store = true;
        if (cacheControl != null) {
            for (String d : cacheControl.split(",")) {
                String directive = d.strip().toLowerCase(Locale.ROOT);
                if (directive.equals("no-cache")) read = false;
                else if (directive.equals("no-store")) {
                    read = false;
                    store = false;
                }
            }
        }
        Duration ttl = routeTtl;
        if (ttlHeader != null) {
            long seconds;
            try {
                seconds = Long.parseLong(ttlHeader.strip());
            } catch (NumberFormatException e) {
                seconds = -1;
            }
            if (seconds <= 0)
                throw new IllegalArgumentException(
                        TTL_HEADER + " must be a whole number of seconds above 0, got '" + ttlHeader + "'");
            if (seconds < routeTtl.toSeconds()) ttl = Duration.ofSeconds(seconds);
        }
        return new CacheDirectives(read, store, ttl);
    }

    /** Whether the request bypasses the cache's answers. */
    public boolean bypass() {
        return !read;
    }
}
