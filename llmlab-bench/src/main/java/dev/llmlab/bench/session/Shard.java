package dev.llmlab.bench.session;

import dev.llmlab.bench.load.Schedule;
import dev.llmlab.bench.load.Workload;
import dev.llmlab.bench.run.LoadPlan;

/**
 * Shard {@code index} (0-based) of {@code count}: one of N processes that together run one load
 * ({@code --shard I/N}). Every shard builds the same schedule and prompts from the same settings
 * and seed, and takes every N-th request of them, starting at its index:
 * <ul>
 *   <li>an open loop (or a trace) keeps each of its requests' intended times, so each shard runs
 *       at 1/N of the rate, and N shards started together send the whole schedule;</li>
 *   <li>a closed loop gives each shard its share of the users and of the requests, the first
 *       shards one more when they do not divide evenly;</li>
 *   <li>an open loop's cap on requests in flight is split likewise, rounded up.</li>
 * </ul>
 * Their results merge into the whole run's ({@link dev.llmlab.bench.report.Merge}).
 */
public record Shard(int index, int count) {
    /** The whole run: one shard of one. */
    public static final Shard WHOLE = new Shard(0, 1);

    public Shard {
        if (count < 1 || index < 0 || index >= count)
            throw new IllegalArgumentException("a shard is I/N with 0 <= I < N, got " + index + "/" + count);
    }

    /**
     * {@code I/N} as {@code --shard} takes it.
     *
     * @throws BenchException (usage) naming what is wrong
     */
    public static Shard parse(String spec) {
        String[] parts = spec.strip().split("/");
        try {
            if (parts.length == 2) {
                int i = Integer.parseInt(parts[0].strip());
                int n = Integer.parseInt(parts[1].strip());
                if (n >= 1 && i >= 0 && i < n) return new Shard(i, n);
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw BenchException.usage("--shard must be I/N with 0 <= I < N, got '" + spec + "'");
    }

    /** {@code I/N} for a result's config; null for the whole run. */
    public String label() {
        return count == 1 ? null : index + "/" + count;
    }

    /** A shard's load: its plan, its prompts and, for an open loop, its schedule (null for a closed loop). */
    public record Part(LoadPlan plan, Workload workload, Schedule schedule) {}

    /**
     * This shard's part of a load: {@code plan} on {@code workload}, or on {@code trace}'s times when
     * given.
     *
     * @throws BenchException (usage) when a closed loop has fewer users than shards
     */
    public Part of(LoadPlan plan, Workload workload, Schedule trace) {
        if (count == 1) return new Part(plan, workload, trace);
        Workload mine = workload.shard(index, count);
        if (trace != null) return new Part(plan, mine, trace.shard(index, count));
        if (plan.openLoop()) {
            Schedule schedule = Schedule.open(
                            plan.rate(),
                            plan.arrivals(),
                            plan.seconds(),
                            plan.maxRequests(),
                            plan.ramp(),
                            plan.rampSeconds(),
                            plan.seed())
                    .shard(index, count);
            return new Part(
                    new LoadPlan(
                            0,
                            plan.rate() / count,
                            plan.arrivals(),
                            share(plan.maxConcurrency()),
                            plan.seconds(),
                            schedule.size(),
                            plan.warmupSeconds(),
                            plan.cooldownSeconds(),
                            plan.ramp(),
                            plan.rampSeconds(),
                            plan.seed()),
                    mine,
                    schedule);
        }
        if (plan.concurrency() < count) {
            throw BenchException.usage(
                    "--concurrency " + plan.concurrency() + " cannot be split into " + count + " shards");
        }
        long requests = plan.maxRequests() > 0 ? Math.max(0, (plan.maxRequests() - index + count - 1) / count) : 0;
        int users = (plan.concurrency() - index + count - 1) / count;
        return new Part(
                new LoadPlan(
                        users,
                        0,
                        plan.arrivals(),
                        0,
                        plan.seconds(),
                        requests,
                        plan.warmupSeconds(),
                        plan.cooldownSeconds(),
                        plan.ramp(),
                        plan.rampSeconds(),
                        plan.seed()),
                mine,
                null);
    }

    /** A shard's part of a cap: ceil(cap / N), 0 (none) staying 0. */
    int share(int cap) {
        return cap <= 0 ? 0 : (cap + count - 1) / count;
    }
}
