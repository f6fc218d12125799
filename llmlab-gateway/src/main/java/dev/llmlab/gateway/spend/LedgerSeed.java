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
 * <p>When the database cannot be read, a budget starts from 0 and a warning says so: the spend
 * of the period so far is then not counted against it.
 *
 * <p>Thread-safe.
 */
public final class LedgerSeed implements BudgetSeed {
    private static final Logger LOG = LoggerFactory.getLogger(LedgerSeed.class);
    private static final long KEEP_MILLIS = 1_000;

    private record Read(SpendTotals totals, long atMillis) {}

    private final DataSource db;
    private final Map<Long, Read> byStart = new HashMap<>();

    public LedgerSeed(DataSource db) {
        this.db = db;
    }

    @Override
    public synchronized long spent(String subject, Rule rule, long periodStartMillis) {
        long now = System.currentTimeMillis();
        Read r = byStart.get(periodStartMillis);
        if (r == null || now - r.atMillis() > KEEP_MILLIS) {
            try {
                r = new Read(SpendLog.totalsSince(db, Instant.ofEpochMilli(periodStartMillis)), now);
            } catch (SQLException e) {
                LOG.warn(
                        "budgets: cannot read the spend ledger ({}); {} starts from 0 for {}",
                        e.getMessage(),
                        subject,
                        Instant.ofEpochMilli(periodStartMillis));
                return 0;
            }
            byStart.values().removeIf(old -> now - old.atMillis() > KEEP_MILLIS);
            byStart.put(periodStartMillis, r);
        }
        Map<String, Long> m =
                rule.meter() == Meter.TOKENS ? r.totals().tokens() : r.totals().microUsd();
        return m.getOrDefault(subject, 0L);
    }
}
