package dev.llmlab.sim.limit;

/**
 * A budget of {@code capacity} units that refills continuously at {@code capacity} per minute, as
 * the providers describe their limits ("a limit of 60 RPM is enforced as 1 request per second",
 * OpenAI; Anthropic: "tokens are continuously replenished up to the maximum limit"). A request
 * that needs more than is left is refused and told when enough will be back. Time is passed in,
 * so tests drive it with a virtual clock. Thread-safe.
 */
final class TokenBucket {
    private static final double NANOS_PER_MINUTE = 60e9;

    private final long capacity;
    private double level;
    private long updated;

    TokenBucket(long capacity, long now) {
        this.capacity = capacity;
        this.level = capacity;
        this.updated = now;
    }

    long capacity() {
        return capacity;
    }

    /** Takes {@code n} units if they are there; either way the level afterwards is observable. */
    synchronized boolean tryTake(long n, long now) {
        refill(now);
        if (level + 1e-9 < n) return false;
        level -= n;
        return true;
    }

    /** Gives back units taken for a request that another budget then refused. */
    synchronized void giveBack(long n, long now) {
        refill(now);
        level = Math.min(capacity, level + n);
    }

    synchronized long remaining(long now) {
        refill(now);
        return (long) Math.floor(level + 1e-9);
    }

    /** Nanoseconds until {@code n} units are available (0 if they are now). */
    synchronized long nanosUntil(long n, long now) {
        refill(now);
        double missing = Math.min(n, capacity) - level;
        return missing <= 0 ? 0 : (long) Math.ceil(missing * NANOS_PER_MINUTE / capacity);
    }

    /** Nanoseconds until the bucket is full again (what the reset headers report). */
    synchronized long nanosUntilFull(long now) {
        refill(now);
        return (long) Math.ceil((capacity - level) * NANOS_PER_MINUTE / capacity);
    }

    private void refill(long now) {
        if (now > updated) {
            level = Math.min(capacity, level + (now - updated) * capacity / NANOS_PER_MINUTE);
            updated = now;
        }
    }
}
