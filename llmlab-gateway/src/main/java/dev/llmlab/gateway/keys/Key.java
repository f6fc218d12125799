package dev.llmlab.gateway.keys;

import dev.llmlab.core.config.Secret;

/**
 * One API key of a deployment and what is known of its limits: whether it may be used now.
 *
 * <p>A key is unusable while it cools down (after a 429, or when the provider's rate-limit headers
 * said nothing remains until a reset), while its last minute holds its requests-per-minute or
 * tokens-per-minute, and for good after a 401 or 403 (a key that is wrong or revoked does not
 * come right by waiting; the log says so, once).
 *
 * <p>Thread-safety: every method may be called from any thread; each takes the key's own lock for
 * a few steps.
 */
public final class Key {
    /** A 429 without Retry-After cools the key for 1 s, doubling per 429 in a row, up to a minute. */
    static final long FIRST_BACKOFF_NANOS = 1_000_000_000L;

    static final long MAX_BACKOFF_NANOS = 60_000_000_000L;

    private final String name;
    private final Secret secret;
    private final long configuredRpm;
    private final long configuredTpm;
    private final MinuteWindow requests = new MinuteWindow();
    private final MinuteWindow tokens = new MinuteWindow();
    private long learnedRpm;
    private long learnedTpm;
    private long coolUntil = Long.MIN_VALUE;
    /** Told of each cooldown, to share it with other gateways; or null. */
    private volatile Cooldowns shared;

    /** Where a key's cooldowns go to be shared (see {@code state.SharedCooldowns}). */
    @FunctionalInterface
    public interface Cooldowns {
        void cooled(Key key, long untilNanos);
    }

    private int rateLimitedInARow;
    private volatile String removedBecause;

    /**
     * @param rpm requests per minute, 0 for no known limit
     * @param tpm tokens per minute, 0 for no known limit
     */
    public Key(String name, Secret secret, long rpm, long tpm) {
        this.name = name;
        this.secret = secret;
        this.configuredRpm = rpm;
        this.configuredTpm = tpm;
    }

    public String name() {
        return name;
    }

    /** The key itself, or null for a deployment that sends none. */
    public Secret secret() {
        return secret;
    }

    /** Why it was taken out of rotation, or null while it is in. */
    public String removedBecause() {
        return removedBecause;
    }

    /**
     * When it may next be used: {@code nowNanos} if now, later while it cools down or its minute is
     * full, {@link Long#MAX_VALUE} once removed.
     *
     * @param tokens the tokens the request is expected to take, for the tokens-per-minute limit
     */
    public synchronized long availableAt(long nowNanos, long tokens) {
        if (removedBecause != null) return Long.MAX_VALUE;
        long at = nowNanos;
        if (coolUntil > at) at = coolUntil;
        long rpm = rpm();
        if (rpm > 0 && requests.sum(nowNanos) >= rpm) at = Math.max(at, requests.nextRelease(nowNanos));
        long tpm = tpm();
        long used = this.tokens.sum(nowNanos);
        // a request larger than the whole limit goes when the minute is empty, not never
        if (tpm > 0 && used > 0 && used + tokens > tpm) at = Math.max(at, this.tokens.nextRelease(nowNanos));
        return at;
    }

    /** A request was sent with it, expected to take {@code tokens}. */
    public synchronized void sent(long nowNanos, long tokens) {
        requests.add(nowNanos, 1);
        if (tokens > 0) this.tokens.add(nowNanos, tokens);
    }

    /** The request's tokens turned out {@code delta} more (or, negative, fewer) than expected. */
    public synchronized void correctTokens(long nowNanos, long delta) {
        if (delta != 0) tokens.add(nowNanos, delta);
    }

    /** An answer that was not a 429: the backoff starts again at its first step. */
    public synchronized void succeeded() {
        rateLimitedInARow = 0;
    }

    /**
     * A 429: cool down for {@code retryAfterNanos} when the provider said (Retry-After), else for a
     * backoff that doubles with each 429 in a row.
     *
     * @param retryAfterNanos negative when the provider did not say
     * @return until when it cools down
     */
    public synchronized long rateLimited(long nowNanos, long retryAfterNanos) {
        long wait;
        if (retryAfterNanos >= 0) {
            wait = retryAfterNanos;
        } else {
            wait = Math.min(MAX_BACKOFF_NANOS, FIRST_BACKOFF_NANOS << Math.min(rateLimitedInARow, 6));
        }
        rateLimitedInARow++;
        coolUntil = Math.max(coolUntil, nowNanos + wait);
        Cooldowns c = shared;
        if (c != null) c.cooled(this, coolUntil);
        return coolUntil;
    }

    /** The provider's headers said nothing remains until {@code untilNanos}. */
    public synchronized void exhaustedUntil(long untilNanos) {
        coolUntil = Math.max(coolUntil, untilNanos);
        Cooldowns c = shared;
        if (c != null) c.cooled(this, coolUntil);
    }

    /** Another gateway saw the provider cool this key until {@code untilNanos} (this process's clock). */
    public synchronized void cooledElsewhere(long untilNanos) {
        coolUntil = Math.max(coolUntil, untilNanos);
    }

    /** Shares this key's cooldowns from now on. */
    public void share(Cooldowns to) {
        shared = to;
    }

    /** Limits the provider announced, where the config gave none (0: not announced). */
    public synchronized void learned(long rpm, long tpm) {
        if (rpm > 0) learnedRpm = rpm;
        if (tpm > 0) learnedTpm = tpm;
    }

    /** A 401 or 403: out of rotation for good. */
    public void remove(String because) {
        removedBecause = because;
    }

    synchronized long rpm() {
        return configuredRpm > 0 ? configuredRpm : learnedRpm;
    }

    synchronized long tpm() {
        return configuredTpm > 0 ? configuredTpm : learnedTpm;
    }

    @Override
    public String toString() {
        return name;
    }
}
