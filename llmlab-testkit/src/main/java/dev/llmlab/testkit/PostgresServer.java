package dev.llmlab.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A real PostgreSQL (Debian's package) in a fresh data directory on a free loopback port, with one
 * empty database {@code llmlab} for user {@code llmlab} (trust authentication: loopback only).
 * PostgreSQL will not run as root, so under root (as in CI) it runs as the {@code postgres} user
 * that Debian's package creates. {@link #stop} and {@link #startAgain} keep the data, as a
 * database that went down for a while does.
 */
public final class PostgresServer implements AutoCloseable {
    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asPostgres;
    private boolean running;

    private PostgresServer(Path bin, Path dir, int port, boolean asPostgres) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asPostgres = asPostgres;
    }

    public static PostgresServer start() throws IOException, InterruptedException {
        Path initdb = LocalProcess.binary("postgresql", "/usr/lib/postgresql/*/bin/initdb", "/usr/bin/initdb");
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("llmlab-pg");
        if (root) {
            UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(dir, users.lookupPrincipalByName("postgres"));
        }
        PostgresServer s = new PostgresServer(initdb.getParent(), dir, LocalProcess.freePort(), root);
        LocalProcess.run(s.as(List.of(
                initdb.toString(),
                "-D",
                dir.resolve("data").toString(),
                "-U",
                "llmlab",
                "--auth=trust",
                "--no-sync",
                "-E",
                "UTF8",
                "--locale=C")));
        s.startAgain();
        LocalProcess.run(List.of(
                s.bin.resolve("createdb").toString(),
                "-h",
                "127.0.0.1",
                "-p",
                String.valueOf(s.port),
                "-U",
                "llmlab",
                "llmlab"));
        return s;
    }

    private List<String> as(List<String> command) {
        if (!asPostgres) return command;
        List<String> c = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        c.addAll(command);
        return c;
    }

    /** {@code jdbc:postgresql://127.0.0.1:PORT/llmlab} */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/llmlab";
    }

    private int databases;

    /** The JDBC URL of a new, empty database, so that each test starts from nothing. */
    public synchronized String newDatabase() throws java.sql.SQLException {
        String name = "t" + (++databases);
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(jdbcUrl(), user(), "")) {
            c.createStatement().execute("create database " + name);
        }
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + name;
    }

    public String user() {
        return "llmlab";
    }

    public int port() {
        return port;
    }

    /** Starts it (again), on the same port with the same data, and returns once it takes connections. */
    public void startAgain() throws IOException, InterruptedException {
        LocalProcess.run(as(List.of(
                bin.resolve("pg_ctl").toString(),
                "-D",
                dir.resolve("data").toString(),
                "-l",
                dir.resolve("log").toString(),
                "-w",
                "-t",
                "60",
                "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off",
                "start")));
        running = true;
    }

    /** Stops it at once (connections are cut), keeping its data. */
    public void stop() throws IOException, InterruptedException {
        if (!running) return;
        LocalProcess.run(as(List.of(
                bin.resolve("pg_ctl").toString(),
                "-D",
                dir.resolve("data").toString(),
                "-m",
                "immediate",
                "-w",
                "stop")));
        running = false;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stop();
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
