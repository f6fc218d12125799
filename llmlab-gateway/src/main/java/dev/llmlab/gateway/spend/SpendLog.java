package dev.llmlab.gateway.spend;

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
    private volatile boolean closing;
    private volatile boolean databaseUp = true;
    private volatile long lastDropWarning;
    /** The batch being written: counted as buffered until it is. */
    private volatile int inHand;

    /** @param capacity how many rows may wait for the database */
    public SpendLog(DataSource db, int capacity) {
        this.db = db;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.writer = Thread.ofPlatform().daemon().name("llmlab-spend").unstarted(this::run);
        writer.start();
    }

    /** Queues a row; false (and counted) when the queue is full. Never blocks. */
    public boolean add(SpendEntry e) {
        if (queue.offer(e)) return true;
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
        return queue.size() + inHand;
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
            if (batch.isEmpty()) {
                try {
                    SpendEntry first = queue.poll(200, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        if (closing) return;
                        continue;
                    }
                    batch.add(first);
                } catch (InterruptedException e) {
                    if (closing) return;
                    continue;
                }
                queue.drainTo(batch, BATCH - 1);
                inHand = batch.size();
            }
            try {
                insert(batch);
                written.addAndGet(batch.size());
                batch.clear();
                inHand = 0;
                if (!databaseUp) LOG.warn("spend ledger: the database is back; writing what was buffered");
                databaseUp = true;
                backoff = MIN_BACKOFF_MS;
            } catch (SQLException | RuntimeException e) {
                failures.incrementAndGet();
                if (databaseUp)
                    LOG.warn(
                            "spend ledger: cannot write to the database ({}); buffering, {} rows waiting",
                            e.getMessage(),
                            buffered());
                databaseUp = false;
                if (closing && System.nanoTime() > closeDeadline) return;
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(closing ? MIN_BACKOFF_MS : backoff));
                backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
            }
        }
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
        try (Connection c = db.getConnection()) {
            for (String[] by : new String[][] {{"key_name", "key:"}, {"team", "team:"}}) {
                try (PreparedStatement p = c.prepareStatement("select " + by[0]
                        + ", sum(input_tokens + output_tokens), sum(micro_usd) from spend where at >= ? and "
                        + by[0] + " is not null group by " + by[0])) {
                    p.setTimestamp(1, Timestamp.from(from));
                    try (ResultSet r = p.executeQuery()) {
                        while (r.next()) {
                            tokens.put(by[1] + r.getString(1), r.getLong(2));
                            micro.put(by[1] + r.getString(1), r.getLong(3));
                        }
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
        if (left > 0)
            LOG.error("spend ledger: {} rows could not be written before the gateway stopped; they are lost", left);
    }

    @Override
    public void close() {
        close(10_000);
    }
}
