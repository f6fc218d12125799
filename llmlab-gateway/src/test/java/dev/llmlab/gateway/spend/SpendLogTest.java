package dev.llmlab.gateway.spend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.gateway.servers.Databases;
import dev.llmlab.gateway.state.Database;
import dev.llmlab.testkit.PostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SpendLogTest {
    private static final Instant DAY = Instant.parse("2026-12-07T00:00:00Z");

    private static SpendEntry row(String key, String team, Instant at, long in, long out, long micro) {
        return new SpendEntry(UUID.randomUUID().toString(), at, "req", key, team, "gpt-4o", "gpt-4o", in, out, micro);
    }

    private static long count(Database db) throws Exception {
        try (Connection c = db.connection();
                ResultSet r = c.createStatement().executeQuery("select count(*) from spend")) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void totalsSince_sumPerKeyAndPerTeamFromTheGivenInstant() throws Exception {
        try (Database db = Databases.memory()) {
            SpendLog log = new SpendLog(db.dataSource(), 1000);
            log.add(row("a", "ml", DAY.minusSeconds(1), 1000, 1000, 9)); // yesterday
            log.add(row("a", "ml", DAY.plusSeconds(1), 10, 5, 100));
            log.add(row("b", "ml", DAY.plusSeconds(2), 20, 0, 200));
            log.add(row("c", null, DAY.plusSeconds(3), 1, 1, 1));
            log.close();
            assertThat(log.written()).isEqualTo(4);
            SpendTotals t = SpendLog.totalsSince(db.dataSource(), DAY);
            assertThat(t.tokens()).isEqualTo(Map.of("key:a", 15L, "key:b", 20L, "key:c", 2L, "team:ml", 35L));
            assertThat(t.microUsd()).isEqualTo(Map.of("key:a", 100L, "key:b", 200L, "key:c", 1L, "team:ml", 300L));
        }
    }

    @Test
    void aRowWrittenTwice_countsOnce() throws Exception {
        try (Database db = Databases.memory()) {
            SpendEntry e = row("a", null, DAY, 1, 2, 3);
            SpendLog log = new SpendLog(db.dataSource(), 10);
            log.add(e);
            log.add(e);
            log.close();
            assertThat(count(db)).isEqualTo(1);
        }
    }

    @Test
    void full_refusesAndCountsRowsBeyondItsRoom() throws Exception {
        try (Database db = Databases.memory()) {
            // A database that refuses every write: the rows wait, and the room runs out.
            try (Connection c = db.connection()) {
                c.createStatement().execute("alter table spend add constraint no_rows check (input_tokens < 0)");
            }
            SpendLog log = new SpendLog(db.dataSource(), 3);
            int accepted = 0;
            for (int i = 0; i < 10; i++) if (log.add(row("a", null, DAY, 1, 1, 1))) accepted++;
            // The writer may hold one batch (up to 3) in hand, freeing the queue for up to 3 more.
            assertThat(accepted).isBetween(3, 6);
            assertThat(log.dropped()).isEqualTo(10 - accepted);
            assertThat(log.buffered()).isEqualTo(accepted);
            log.close(300);
            assertThat(log.databaseUp()).isFalse();
            assertThat(count(db)).isZero();
        }
    }

    @Test
    void postgresDown_rowsAreBufferedAndWrittenWhenItIsBack() throws Exception {
        try (PostgresServer pg = PostgresServer.start();
                Database db = Databases.postgres(pg)) {
            SpendLog log = new SpendLog(db.dataSource(), 10_000);
            for (int i = 0; i < 100; i++) log.add(row("a", "ml", DAY, 1, 1, 1));
            // Wait for the first hundred to land: polled, not slept on.
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (log.written() < 100 && System.nanoTime() < deadline)
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            assertThat(log.written()).isEqualTo(100);

            pg.stop();
            for (int i = 0; i < 1000; i++)
                assertThat(log.add(row("a", "ml", DAY, 1, 1, 1))).isTrue();
            deadline = System.nanoTime() + 30_000_000_000L;
            while (log.databaseUp() && System.nanoTime() < deadline)
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            assertThat(log.databaseUp()).isFalse();
            assertThat(log.buffered()).isEqualTo(1000);

            pg.startAgain();
            log.close(30_000);
            assertThat(log.buffered()).isZero();
            assertThat(log.dropped()).isZero();
            assertThat(count(db)).isEqualTo(1100);
            assertThat(SpendLog.totalsSince(db.dataSource(), DAY).tokens()).containsEntry("team:ml", 2200L);
        }
    }

    private static void refuseWrites(Database db, boolean refuse) throws Exception {
        try (Connection c = db.connection()) {
            c.createStatement()
                    .execute(
                            refuse
                                    ? "alter table spend add constraint no_rows check (input_tokens < 0)"
                                    : "alter table spend drop constraint no_rows");
        }
    }

    private static long segments(java.nio.file.Path dir) throws Exception {
        try (var files = java.nio.file.Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".jsonl")).count();
        }
    }

    @Test
    void aGatewayKilledWithRowsInMemory_losesNone_theNextOneWritesThem(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        try (Database db = Databases.memory()) {
            refuseWrites(db, true); // the database is down: rows wait
            SpendLog first = new SpendLog(db.dataSource(), 1000, dir, "spend-4000");
            for (int i = 0; i < 100; i++) first.add(row("a", "ml", DAY, 1, 2, 3));
            first.dieForTest(); // kill -9: the 100 rows in memory are gone with it
            assertThat(count(db)).isZero();

            refuseWrites(db, false); // the database is back
            SpendLog next = new SpendLog(db.dataSource(), 1000, dir, "spend-4000");
            assertThat(count(db)).isEqualTo(100);
            next.close();
            assertThat(segments(dir)).isZero();
        }
    }

    @Test
    void rowsWrittenBeforeTheKill_areNotCountedTwice(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        try (Database db = Databases.memory()) {
            SpendLog first = new SpendLog(db.dataSource(), 1000, dir, "spend-4000");
            for (int i = 0; i < 50; i++) first.add(row("a", "ml", DAY, 1, 2, 3));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (first.written() < 50 && System.nanoTime() < deadline)
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            first.dieForTest(); // its journal still names the 50, written or not
            SpendLog next = new SpendLog(db.dataSource(), 1000, dir, "spend-4000");
            assertThat(count(db)).isEqualTo(50);
            next.close();
        }
    }

    @Test
    void twoGateways_cannotShareAJournal(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        try (Database db = Databases.memory()) {
            SpendLog one = new SpendLog(db.dataSource(), 10, dir, "spend-4000");
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> new SpendLog(db.dataSource(), 10, dir, "spend-4000"))
                    .hasMessageContaining("is in use by another gateway");
            one.close();
        }
    }
}
