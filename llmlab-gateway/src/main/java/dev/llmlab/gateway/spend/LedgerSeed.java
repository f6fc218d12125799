package dev.llmlab.gateway.spend;

import dev.llmlab.gateway.limits.BudgetSeed;
import dev.llmlab.gateway.limits.Meter;
import dev.llmlab.gateway.limits.Rule;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Budgets start from the spend ledger: what each key and team spent since the period began, summed
 * from the rows written. One query reads every subject of a period at once; its answer is kept for
 * a second, so that the many budgets made at start (or after Redis lost them) cost one query per
 * period, and a later one sees what was written since.
 *
 * <p>When the database cannot be read, it throws (and for 5 s after, without asking again): a
 * budget is never started from 0 by mistake. Its limiter then follows {@code
 * state.on_failure.budgets}: closed refuses the request with a 503, open starts the budget from 0.
 *
 * <p>Thread-safe.
 */
public final class LedgerSeed implements BudgetSeed {
    private static final Logger LOG = LoggerFactory.getLogger(LedgerSeed.class);
    private static final long KEEP_MILLIS = 1_000;

    private record Read(SpendTotals totals, long atMillis) {}

    private final DataSource db;
    private final Map<Long, Read> byStart = new HashMap<>();
    private static final long RETRY_MILLIS = 5_000;
    private long failedAtMillis = Long.MIN_VALUE / 2;

    public LedgerSeed(DataSource db) {
        this.db = db;
    }

    @Override
    public synchronized long spent(String subject, Rule rule, long periodStartMillis) {
        long now = System.currentTimeMillis();
        Read r = byStart.get(periodStartMillis);
        if (r == null || now - r.atMillis() > KEEP_MILLIS) {
            // a database that just failed is not asked again for a while: a request must not wait
            // for the pool's timeout each time
            if (now - failedAtMillis < RETRY_MILLIS)
                throw new IllegalStateException("the spend ledger cannot be read now");
            try {
                r = new Read(SpendLog.totalsSince(db, Instant.ofEpochMilli(periodStartMillis)), now);
            } catch (SQLException e) {
                failedAtMillis = now;
                LOG.warn(
                        "budgets: cannot read the spend ledger ({}); budgets that start now follow state.on_failure.budgets",
                        SpendLog.brief(e));
                throw new IllegalStateException("the spend ledger cannot be read now", e);
            }
            byStart.values().removeIf(old -> now - old.atMillis() > KEEP_MILLIS);
            byStart.put(periodStartMillis, r);
        }
        Map<String, Long> m =
                rule.meter() == Meter.TOKENS ? r.totals().tokens() : r.totals().microUsd();
        return m.getOrDefault(subject, 0L);
    }
}
