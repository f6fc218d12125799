package dev.llmlab.gateway.servers;

import dev.llmlab.core.config.Secret;
import dev.llmlab.gateway.config.StateConfig;
import dev.llmlab.gateway.state.Database;
import dev.llmlab.testkit.PostgresServer;

/** The gateway's database on each store it supports, for tests that run on all of them. */
public final class Databases {
    private Databases() {}

    /** A fresh in-memory H2, migrated. */
    public static Database memory() {
        return Database.open(StateConfig.memory());
    }

    /** A new database in the real PostgreSQL {@code pg}, migrated. */
    public static Database postgres(PostgresServer pg) throws java.sql.SQLException {
        return Database.open(new StateConfig(
                "postgres",
                null,
                new StateConfig.PostgresConfig(pg.newDatabase(), pg.user(), Secret.of("unused"), 2),
                null,
                null,
                null));
    }
}
