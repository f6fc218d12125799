package dev.llmlab.gateway.state;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.llmlab.gateway.config.StateConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The database that holds what must outlast a gateway: virtual keys, teams, the spend ledger and
 * the audit log. An H2 file by default (one gateway), PostgreSQL for several, or H2 in memory for
 * trials and tests; the same SQL runs on all three (H2 in its PostgreSQL mode). The schema is
 * brought up to date by Flyway's migrations when the gateway starts, so an empty database, or one
 * an older version made, just works.
 *
 * <p>Thread-safe: a connection pool (HikariCP).
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource pool;
    private final String where;

    private Database(HikariDataSource pool, String where) {
        this.pool = pool;
        this.where = where;
    }

    /**
     * Opens the database of {@code config} and migrates its schema.
     *
     * @throws IllegalStateException when it cannot be opened (not reachable, a file in use by
     *     another gateway, a failed migration), naming where it was looked for
     */
    public static Database open(StateConfig config) {
        HikariConfig h = new HikariConfig();
        String where;
        switch (config.kind()) {
            case MEMORY -> {
                h.setJdbcUrl("jdbc:h2:mem:llmlab-" + UUID.randomUUID() + ";MODE=PostgreSQL;DB_CLOSE_DELAY=-1");
                h.setMaximumPoolSize(4);
                where = "an in-memory database";
            }
            case EMBEDDED -> {
                Path file = Path.of(config.path()).toAbsolutePath();
                // One writer process per file: a second gateway on the same file gets a clear error
                // instead of H2's automatic server mode, which would hide that state is not shared.
                h.setJdbcUrl("jdbc:h2:file:" + file + ";MODE=PostgreSQL;FILE_LOCK=FILE");
                h.setMaximumPoolSize(4);
                where = "the embedded database " + file + ".mv.db";
            }
            case POSTGRES -> {
                StateConfig.PostgresConfig pg = config.postgres();
                h.setJdbcUrl(pg.url());
                if (pg.user() != null) h.setUsername(pg.user());
                if (pg.password() != null) h.setPassword(pg.password().reveal());
                h.setMaximumPoolSize(pg.poolSize());
                where = "PostgreSQL at " + pg.url().replaceFirst("\\?.*", "");
            }
            default -> throw new IllegalStateException();
        }
        h.setPoolName("llmlab-state");
        // A database that is down must fail a write quickly, so that spend is buffered rather than
        // a writer thread waiting; it is retried.
        h.setConnectionTimeout(2_000);
        h.setValidationTimeout(1_000);
        // Fail at start with the database's own reason (in use, refused, bad password): the
        // migration needs it anyway.
        h.setInitializationFailTimeout(1);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(h);
        } catch (RuntimeException e) {
            String why = rootMessage(e);
            if (why.contains("already in use"))
                throw new IllegalStateException("cannot open " + where + ": another process has it open (one"
                        + " gateway per file: for several gateways, share a PostgreSQL with state.store: postgres)");
            throw new IllegalStateException("cannot open " + where + ": " + why);
        }
        try {
            Flyway.configure()
                    .dataSource(pool)
                    .locations("classpath:dev/llmlab/gateway/state/migration")
                    .load()
                    .migrate();
        } catch (FlywayException | IllegalStateException e) {
            pool.close();
            throw new IllegalStateException("cannot open " + where + ": " + rootMessage(e));
        }
        return new Database(pool, where);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }

    public DataSource dataSource() {
        return pool;
    }

    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /** Where it is, in words, for messages: never a password. */
    public String where() {
        return where;
    }

    @Override
    public void close() {
        pool.close();
    }
}
