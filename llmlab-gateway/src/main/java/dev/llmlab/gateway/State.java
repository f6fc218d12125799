package dev.llmlab.gateway;

import dev.llmlab.gateway.admin.AdminApi;
import dev.llmlab.gateway.cache.ExactCache;
import dev.llmlab.gateway.config.ClientKey;
import dev.llmlab.gateway.config.GatewayConfig;
import dev.llmlab.gateway.config.StateConfig;
import dev.llmlab.gateway.config.TeamConfig;
import dev.llmlab.gateway.limits.BudgetSeed;
import dev.llmlab.gateway.limits.LedgerGuard;
import dev.llmlab.gateway.limits.Limiter;
import dev.llmlab.gateway.limits.LimitsEvents;
import dev.llmlab.gateway.limits.LocalLimiter;
import dev.llmlab.gateway.limits.RedisLimiter;
import dev.llmlab.gateway.observe.GatewayMetrics;
import dev.llmlab.gateway.proxy.Settings;
import dev.llmlab.gateway.route.Deployment;
import dev.llmlab.gateway.spend.LedgerSeed;
import dev.llmlab.gateway.spend.SpendLog;
import dev.llmlab.gateway.state.Database;
import dev.llmlab.gateway.state.RedisConnection;
import dev.llmlab.gateway.state.SharedCooldowns;
import dev.llmlab.gateway.tenants.Directory;
import dev.llmlab.gateway.tenants.TenantStore;
import dev.llmlab.http.Router;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gateway's state beyond its config: the database (virtual keys, teams, the spend ledger, the
 * audit log), the limiter, and the {@link Settings} snapshot requests read, rebuilt when the config
 * is reloaded or the stored keys change.
 *
 * <p>Stored keys and teams are read whole into a {@link Directory}. This gateway rebuilds its
 * settings right after a change it made through the admin API; every second it also asks the
 * database for its version and reloads when another gateway changed something, so a key revoked
 * anywhere stops working everywhere within about a second.
 *
 * <p>Thread-safe: rebuilds are serialised on this object; requests read the snapshot without a lock.
 */
final class State implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(State.class);
    static final long RELOAD_EVERY_MILLIS = 1_000;

    private final Database db;
    /** The shared Redis of {@code state.redis}, or null: one connection for all that keeps state there. */
    private final RedisConnection redis;

    private final TenantStore store;
    private final SpendLog spend;
    private final Limiter limiter;
    /** The limits in Redis, or null: closed before the connection, to give its credit back. */
    private final RedisLimiter shared;

    private final ExactCache cache;
    /** Provider keys' cooldowns shared in Redis; null without one. */
    private final SharedCooldowns cooldowns;

    private final GatewayMetrics metrics;
    private final AtomicReference<Settings> settings = new AtomicReference<>();
    private final Map<Object, Deployment> carried = new HashMap<>();
    private final ScheduledExecutorService poller;
    private final ExecutorService work = Executors.newVirtualThreadPerTaskExecutor();
    /** The config in effect: written under this object's lock, read by the admin API's checks too. */
    private volatile GatewayConfig config;

    /** The stored keys last read: written under this object's lock, read by the poller without it. */
    private volatile Directory directory;

    private boolean warnedDown;

    private State(Database db, GatewayConfig config, GatewayMetrics metrics) {
        this.db = db;
        this.config = config;
        this.metrics = metrics;
        StateConfig sc = config.state();
        this.store = new TenantStore(db.dataSource(), () -> keyNames(this.config), () -> teamNames(this.config));
        // Rows that wait for the database are journaled on local disk too (not with the memory store,
        // which keeps nothing), so that a gateway killed without warning loses none of them.
        this.spend = sc.kind() == StateConfig.Store.MEMORY
                ? new SpendLog(db.dataSource(), sc.spendBuffer())
                : new SpendLog(
                        db.dataSource(),
                        sc.spendBuffer(),
                        java.nio.file.Path.of(sc.path() + "-journal"),
                        "spend-" + config.server().port());
        RedisConnection r = null;
        RedisLimiter sharedLimits = null;
        try {
            // a Redis that cannot be reached now does not stop the start: the failure policy applies until it answers
            r = sc.redis() == null ? null : RedisConnection.open(sc.redis());
            BudgetSeed seed = new LedgerSeed(db.dataSource());
            boolean budgetsOpen = sc.onFailure().budgetsPolicy() == StateConfig.Failure.OPEN;
            sharedLimits = r == null ? null : redisLimiter(config, r, metrics, seed);
            Limiter counting = r == null ? new LocalLimiter(seed, budgetsOpen) : sharedLimits;
            this.limiter = new LedgerGuard(counting, spend::full, budgetsOpen);
            metrics.spendLedger(spend);
            this.cache = new ExactCache(config.cache(), r, metrics::cacheSharedError);
            metrics.cacheSize(cache::entries, cache::bytes);
            this.directory = store.directory();
            settings.set(SettingsBuilder.build(config, directory, null, carried, metrics, limiter, cache));
            this.cooldowns = r == null ? null : new SharedCooldowns(r);
            this.redis = r;
            this.shared = sharedLimits;
            if (cooldowns != null) cooldowns.attach(carried.values());
        } catch (RuntimeException e) {
            spend.close(0);
            if (sharedLimits != null) sharedLimits.close();
            if (r != null) r.close();
            throw e;
        }
        this.poller = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("llmlab-state").factory());
        poller.scheduleWithFixedDelay(this::poll, RELOAD_EVERY_MILLIS, RELOAD_EVERY_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Opens the config's database, migrates it and reads the stored keys.
     *
     * @throws IllegalStateException when the database cannot be opened
     */
    static State open(GatewayConfig config, GatewayMetrics metrics) {
        Database db = Database.open(config.state());
        try {
            State s = new State(db, config, metrics);
            LOG.info(
                    "keys, teams and spend in {}: {} stored keys, {} stored teams",
                    db.where(),
                    s.directory.keys().size(),
                    s.directory.teams().size());
            return s;
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    private static java.util.Set<String> keyNames(GatewayConfig c) {
        return c.clientKeys().stream().map(ClientKey::name).collect(Collectors.toSet());
    }

    private static java.util.Set<String> teamNames(GatewayConfig c) {
        return c.teams().stream().map(TeamConfig::name).collect(Collectors.toSet());
    }

    Settings settings() {
        return settings.get();
    }

    AtomicReference<Settings> snapshot() {
        return settings;
    }

    SpendLog spend() {
        return spend;
    }

    /** A new config: everything rebuilt, deployments and counts carried over. */
    synchronized void reload(GatewayConfig c) {
        config = c;
        settings.set(SettingsBuilder.build(c, directory, settings.get(), carried, metrics, limiter, cache));
        if (cooldowns != null) cooldowns.attach(carried.values());
    }

    /** Reads the stored keys and teams again and serves them. */
    synchronized void refresh() {
        directory = store.directory();
        Settings s = settings.get();
        settings.set(SettingsBuilder.withDirectory(s, config, directory, limiter, cache));
    }

    private void poll() {
        if (cooldowns != null) {
            List<Deployment> now;
            synchronized (this) {
                now = List.copyOf(carried.values());
            }
            cooldowns.poll(now);
        }
        try {
            if (store.version() != directory.version()) refresh();
            if (warnedDown) LOG.warn("the gateway's database is back: stored keys are read again");
            warnedDown = false;
        } catch (RuntimeException e) {
            // Keep serving the keys last read; say so once per outage.
            if (!warnedDown)
                LOG.warn("cannot read stored keys from {} ({}); serving those last read", db.where(), e.getMessage());
            warnedDown = true;
        }
    }

    /**
     * Limits counted in the shared Redis. A reservation's lease outlives the longest request: the
     * retry deadline when there is one, else 15 minutes (a stream that runs longer frees its hold
     * early; its use still counts when it ends). A budget missing from Redis (its first request of
     * a period, or a Redis that lost its data) starts from the spend ledger ({@code seed}).
     */
    private static RedisLimiter redisLimiter(
            GatewayConfig config, RedisConnection redis, GatewayMetrics metrics, BudgetSeed seed) {
        StateConfig.FailurePolicy p = config.state().onFailure();
        Duration deadline = config.retry().deadline();
        Duration lease = deadline.isZero() ? Duration.ofMinutes(15) : deadline.plusMinutes(1);
        LimitsEvents events = new LimitsEvents() {
            @Override
            public void storeError(String operation) {
                metrics.limitsStoreError(operation);
            }

            @Override
            public void storeUp(boolean up) {
                metrics.limitsStoreUp(up);
            }

            @Override
            public void checked(boolean onCredit) {
                metrics.limitsChecked(onCredit);
            }

            @Override
            public void fallback(boolean open) {
                metrics.limitsFallback(open ? "open" : "closed");
            }
        };
        return new RedisLimiter(
                redis,
                new RedisLimiter.OnFailure(
                        p.ratesPolicy() == StateConfig.Failure.OPEN, p.budgetsPolicy() == StateConfig.Failure.OPEN),
                seed,
                lease,
                events,
                true);
    }

    /** The shared Redis, or null. */
    RedisConnection redis() {
        return redis;
    }

    /** Adds the admin API to {@code routes}. */
    void addAdminTo(Router.Builder routes) {
        AdminApi.addTo(routes, () -> config.admin(), store, db.dataSource(), spend, work, this::refresh, () -> {
            GatewayConfig c;
            synchronized (this) {
                c = config;
            }
            return c.clientKeys().stream()
                    .map(k -> new AdminApi.ConfiguredKey(k.name(), k.team()))
                    .toList();
        });
    }

    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    /** Writes what spend waits, closes the stores; once (later calls do nothing). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        // no interrupt: a poll inside H2's file I/O would close its file
        poller.shutdown();
        try {
            poller.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        work.shutdown();
        try {
            work.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        spend.close();
        db.close();
        if (shared != null) shared.close();
        if (redis != null) redis.close(); // after the last request ended: its settle has been sent
    }
}
