package dev.llmlab.gateway.spend;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the spend ledger without ever making a request wait for the database.
 *
 * <p>A request that ends hands its row to {@link #add}, which only puts it in a bounded queue. One
 * writer thread takes what has gathered (up to {@value #BATCH} rows) and inserts it in one
 * transaction. While the database is down the rows stay queued and the batch is retried, waiting
 * longer each time (0.1 s doubling to 5 s); when it is back they are written, in order. Each row
 * has its own random id and is inserted with {@code on conflict do nothing}, so a batch whose
 * commit was sent but not acknowledged (the connection cut at the wrong moment) and is then sent
 * again counts once.
 *
 * <p>The queue is bounded ({@code capacity} rows): a database down for long enough fills it. Then
 * {@link #add} refuses rows, each refusal is counted and logged (at most every 10 s), and {@link
 * #full} says so, which is how the limits' failure policy learns it: budgets that fail closed
 * refuse requests until there is room again, so that no spend goes unrecorded, and those that fail
 * open let them through, their spend unrecorded (counted in {@link #dropped}).
 *
 * <p>{@link #close} writes what is queued, waiting up to a deadline for a database that is down.
 *
 * <p>Thread-safe.
 */
public final class SpendLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SpendLog.class);
    static final int BATCH = 500;
    private static final long MIN_BACKOFF_MS = 100, MAX_BACKOFF_MS = 5_000;
    private static final String COLUMNS =
            "spend (id, at, request_id, key_name, team, route, model, input_tokens, output_tokens, micro_usd)";
    private static final String VALUES = " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /** PostgreSQL's way to skip a row whose id is there; H2's (a MERGE writes the same values again). */
    private static final String INSERT_PG = "insert into " + COLUMNS + VALUES + " on conflict (id) do nothing",
            INSERT_H2 = "merge into " + COLUMNS + " key (id)" + VALUES;

    private final DataSource db;
    private final ArrayBlockingQueue<SpendEntry> queue;
    private final Thread writer;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong journalFailures = new AtomicLong();
    private final SpendJournal journal;
    private long lastRotation = System.nanoTime();
    private volatile boolean closing;
    private volatile boolean databaseUp = true;
    private volatile long lastDropWarning;
    /** Rows accepted and not yet written: the queue and the batch being written, without a gap between. */
    private final AtomicLong pending = new AtomicLong();

    /** @param capacity how many rows may wait for the database */
    public SpendLog(DataSource db, int capacity) {
        this(db, capacity, null, null);
    }

    /**
     * A ledger whose rows also go to a journal on local disk until they are in the database (see
     * {@link SpendJournal}); rows an earlier process left there are written first.
     *
     * @param journalDir  where the journal lives; null for none (rows waiting in memory are lost
     *                    with the process)
     * @param journalName its name, one per gateway
     * @throws IllegalStateException when the journal is another gateway's, or what it holds cannot
     *     be written to the database now
     */
    public SpendLog(DataSource db, int capacity, Path journalDir, String journalName) {
        this.db = db;
        this.queue = new ArrayBlockingQueue<>(capacity);
        if (journalDir != null) {
            this.journal = SpendJournal.open(journalDir, journalName, rows -> {
                try {
                    for (int i = 0; i < rows.size(); i += BATCH)
                        insert(rows.subList(i, Math.min(rows.size(), i + BATCH)));
                } catch (SQLException e) {
                    throw new java.io.IOException("cannot write the rows it holds: " + e.getMessage(), e);
                }
                LOG.info("spend ledger: wrote {} rows a previous gateway left in its journal", rows.size());
            });
        } else {
            this.journal = null;
        }
        this.writer = Thread.ofPlatform().daemon().name("llmlab-spend").unstarted(this::run);
        writer.start();
    }

    /** Queues a row; false (and counted) when the queue is full. Never blocks. */
    public boolean add(SpendEntry e) {
        if (journal == null) {
            pending.incrementAndGet();
            if (queue.offer(e)) return true;
            pending.decrementAndGet();
        } else {
            // in the journal in the order of the queue, so that rows reach the database in the
            // order they were journaled (what lets a segment be deleted by a count)
            synchronized (journal) {
                pending.incrementAndGet();
                if (!queue.offer(e)) pending.decrementAndGet();
                else {
                    try {
                        journal.append(e);
                    } catch (java.io.UncheckedIOException x) {
                        journalFailures.incrementAndGet();
                    }
                    return true;
                }
            }
        }
        dropped.incrementAndGet();
        long now = System.nanoTime();
        if (now - lastDropWarning > 10_000_000_000L) {
            lastDropWarning = now;
            LOG.error(
                    "spend ledger: {} rows wait for the database and there is no room for more; {} rows"
                            + " not recorded so far (state.spend_buffer sets the room)",
                    queue.size(),
                    dropped.get());
        }
        return false;
    }

    /** Whether there is no room for another row now. */
    public boolean full() {
        return queue.remainingCapacity() == 0;
    }

    /** Rows waiting to be written. */
    public long buffered() {
        return pending.get();
    }

    public long written() {
        return written.get();
    }

    /** Rows refused because the queue was full: spend that is not in the ledger. */
    public long dropped() {
        return dropped.get();
    }

    /** Batches that failed (and were retried). */
    public long failures() {
        return failures.get();
    }

    /** Whether the last write reached the database. */
    public boolean databaseUp() {
        return databaseUp;
    }

    private void run() {
        List<SpendEntry> batch = new ArrayList<>(BATCH);
        long backoff = MIN_BACKOFF_MS;
        while (true) {
            if (dead) return;
            if (batch.isEmpty()) {
                try {
                    SpendEntry first = queue.poll(200, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        journal(written.get());
                        if (closing) return;
                        continue;
                    }
                    batch.add(first);
                } catch (InterruptedException e) {
                    if (closing) return;
                    continue;
                }
                queue.drainTo(batch, BATCH - 1);
            }
            if (dead) return;
            try {
                insert(batch);
                int n = batch.size();
                long w = written.addAndGet(n);
                batch.clear();
                pending.addAndGet(-n);
                journal(w);
                if (!databaseUp) LOG.warn("spend ledger: the database is back; writing what was buffered");
                databaseUp = true;
                backoff = MIN_BACKOFF_MS;
            } catch (SQLException | RuntimeException e) {
                failures.incrementAndGet();
                if (databaseUp)
                    LOG.warn(
                            "spend ledger: cannot write to the database ({}); buffering, {} rows waiting",
                            brief(e),
                            buffered());
                databaseUp = false;
                if (closing && System.nanoTime() > closeDeadline) return;
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(closing ? MIN_BACKOFF_MS : backoff));
                backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
            }
        }
    }

    /** Starts a new journal segment every few seconds, and deletes those whose rows are all written. */
    private void journal(long writtenSoFar) {
        if (journal == null) return;
        try {
            long now = System.nanoTime();
            if (now - lastRotation > ROTATE_NANOS) {
                synchronized (journal) {
                    journal.rotate();
                }
                lastRotation = now;
            }
            journal.written(writtenSoFar);
        } catch (java.io.IOException e) {
            journalFailures.incrementAndGet();
        }
    }

    private static final long ROTATE_NANOS = 5_000_000_000L;

    /** Rows that could not be appended to the journal (a full or failing disk): they are in memory only. */
    public long journalFailures() {
        return journalFailures.get();
    }

    /** An error in a line: the innermost cause's first line, cut short (a batch's message lists its SQL). */
    public static String brief(Throwable e) {
        Throwable t = e;
        if (t instanceof SQLException s && s.getNextException() != null) t = s.getNextException();
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String m = t.getMessage() == null
                ? t.getClass().getSimpleName()
                : t.getMessage().lines().findFirst().orElse("");
        return m.length() > 200 ? m.substring(0, 200) + "..." : m;
    }

    private void insert(List<SpendEntry> batch) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            boolean h2 = c.getMetaData().getDatabaseProductName().equals("H2");
            try (PreparedStatement p = c.prepareStatement(h2 ? INSERT_H2 : INSERT_PG)) {
                for (SpendEntry e : batch) {
                    p.setString(1, e.id());
                    p.setTimestamp(2, Timestamp.from(e.at()));
                    p.setString(3, e.requestId());
                    p.setString(4, e.keyName());
                    p.setString(5, e.team());
                    p.setString(6, e.route());
                    p.setString(7, e.model());
                    p.setLong(8, e.inputTokens());
                    p.setLong(9, e.outputTokens());
                    p.setLong(10, e.microUsd());
                    p.addBatch();
                }
                p.executeBatch();
                c.commit();
            } catch (SQLException e) {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // the connection is gone; the batch is retried on a new one
                }
                throw e;
            }
        }
    }

    private volatile long closeDeadline = Long.MAX_VALUE;

    /**
     * What each key and team spent since {@code from}, from the rows written (the queue is not
     * counted: call {@link #close} on a gateway that stops, so that a restart finds everything).
     *
     * @throws SQLException when the database cannot be read
     */
    public static SpendTotals totalsSince(DataSource db, Instant from) throws SQLException {
        Map<String, Long> tokens = new HashMap<>();
        Map<String, Long> micro = new HashMap<>();
        // one statement, so one snapshot: a row written meanwhile is in both sums or in neither
        try (Connection c = db.getConnection();
                PreparedStatement p = c.prepareStatement("select key_name, team, sum(input_tokens + output_tokens),"
                        + " sum(micro_usd) from spend where at >= ? group by key_name, team")) {
            p.setTimestamp(1, Timestamp.from(from));
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    long t = r.getLong(3), m = r.getLong(4);
                    for (String subject : new String[] {
                        r.getString(1) == null ? null : "key:" + r.getString(1),
                        r.getString(2) == null ? null : "team:" + r.getString(2)
                    }) {
                        if (subject == null) continue;
                        tokens.merge(subject, t, Long::sum);
                        micro.merge(subject, m, Long::sum);
                    }
                }
            }
        }
        return new SpendTotals(tokens, micro);
    }

    /**
     * Writes what is queued and stops, waiting at most {@code timeoutMillis} for a database that is
     * down; what could not be written by then is logged as lost, with its count.
     */
    public void close(long timeoutMillis) {
        if (closing && !writer.isAlive() && (journal == null || closedJournal)) return; // closed already
        closeDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        // No interrupt: H2 closes its file when a thread in its I/O is interrupted. The writer
        // polls every 200 ms and sees closing then.
        closing = true;
        try {
            writer.join(timeoutMillis + 1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long left = buffered();
        if (journal != null) {
            if (left == 0) journal.allWritten();
            journal.close();
            closedJournal = true;
            if (left > 0)
                LOG.error(
                        "spend ledger: {} rows could not be written before the gateway stopped; they stay in its"
                                + " journal, and are written when it starts again",
                        left);
        } else if (left > 0)
            LOG.error("spend ledger: {} rows could not be written before the gateway stopped; they are lost", left);
    }

    @Override
    public void close() {
        close(10_000);
    }

    /**
     * For tests: what kill -9 leaves. The writer stops where it is, nothing more is written, and
     * the journal's files stay as they are (its lock released, as the kernel releases a dead
     * process's).
     */
    void dieForTest() throws InterruptedException {
        closeDeadline = 0;
        closing = true;
        dead = true;
        writer.join(10_000);
        if (journal != null) journal.abandon();
    }

    private volatile boolean dead;
    private volatile boolean closedJournal;
}
