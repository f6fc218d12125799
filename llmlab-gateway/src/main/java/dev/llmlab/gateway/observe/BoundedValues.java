package dev.llmlab.gateway.observe;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The values one label may take: the first {@code max} distinct values seen are kept, later ones
 * (and any longer than 128 characters) read as {@link #OTHER}, so that no client input can grow the
 * number of series without bound. Routes, deployments and models come from the config and stay
 * far below the bound; it is the backstop for wildcard routes, whose provider model is the
 * client's string. Each value refused is counted through {@code overflow}. Thread-safe; a value
 * already admitted costs one map lookup.
 */
final class BoundedValues {
    /** OpenTelemetry's fallback value for {@code error.type}, used for every label. */
    static final String OTHER = "_OTHER";

    private static final int MAX_LENGTH = 128;

    private final ConcurrentHashMap<String, String> admitted = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();
    private final int max;
    private final Runnable overflow;

    BoundedValues(int max, Runnable overflow) {
        this.max = max;
        this.overflow = overflow;
    }

    /** {@code value} itself when admitted (or now admitted), else {@link #OTHER}. */
    String admit(String value) {
        String v = admitted.get(value);
        if (v != null) return v;
        if (value.length() > MAX_LENGTH) {
            overflow.run();
            return OTHER;
        }
        synchronized (this) {
            v = admitted.get(value);
            if (v != null) return v;
            if (size.get() >= max) {
                overflow.run();
                return OTHER;
            }
            admitted.put(value, value);
            size.incrementAndGet();
            return value;
        }
    }
}
