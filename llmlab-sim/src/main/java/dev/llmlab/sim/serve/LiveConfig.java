package dev.llmlab.sim.serve;

import dev.llmlab.core.time.Clock;
import dev.llmlab.sim.catalog.Catalog;
import dev.llmlab.sim.catalog.Catalog.LatencyOverride;
import dev.llmlab.sim.config.FaultConfig;
import dev.llmlab.sim.config.ProfileConfig;
import dev.llmlab.sim.config.RateLimitConfig;
import dev.llmlab.sim.config.RuntimeConfig;
import dev.llmlab.sim.config.SimConfig;
import dev.llmlab.sim.fault.FaultPlanner;
import dev.llmlab.sim.limit.RateLimiter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The configuration in force, changed at run time by the admin API. An update is validated whole
 * (the new catalog and fault planner are built first) and only then swapped in, so a bad update
 * changes nothing. Requests already running keep the profile they started with; requests that
 * start after the swap see the new settings. Models keep their admission gates and engine
 * deployments across updates.
 * Updates are serialised; reads of the current settings by handlers take no lock.
 */
public final class LiveConfig {
    private final SimContext ctx;
    private final SimConfig startup;
    private final LatencyOverride override;
    private final EngineStarter engines;
    private SimConfig current; // guarded by this

    public LiveConfig(SimContext ctx, SimConfig startup, LatencyOverride override, EngineStarter engines) {
        this.ctx = ctx;
        this.engines = engines;
        this.startup = startup;
        this.override = override;
        this.current = startup;
    }

    synchronized RuntimeConfig view() {
        FaultConfig f = current.faultsOrDefault();
        return new RuntimeConfig(
                current.profiles(),
                new FaultConfig(f.headerOrDefault(), f.scenario(), f.rules()),
                current.rateLimitsOrDefault());
    }

    /** @throws IllegalArgumentException naming what is wrong; nothing changed then */
    synchronized RuntimeConfig apply(RuntimeConfig update) {
        Map<String, ProfileConfig> profiles = new LinkedHashMap<>(current.profiles());
        if (update.profiles() != null) profiles.putAll(update.profiles());
        FaultConfig faults = update.faults() != null ? update.faults() : current.faultsOrDefault();
        RateLimitConfig limits = update.rateLimits() != null ? update.rateLimits() : current.rateLimits();
        install(
                current.toBuilder()
                        .profiles(profiles)
                        .faults(faults)
                        .rateLimits(limits)
                        .build(),
                update.rateLimits() != null);
        return view();
    }

    /** Back to the configuration the simulator started with, rate-limit budgets full again. */
    synchronized RuntimeConfig reset() {
        install(startup, true);
        return view();
    }

    private void install(SimConfig next, boolean newLimits) {
        Catalog catalog = Catalog.build(next, override, ctx.catalog());
        FaultPlanner faults = new FaultPlanner(next.faultsOrDefault());
        engines.start(catalog);
        ctx.catalogRef().set(catalog);
        ctx.faults().set(faults);
        if (newLimits) ctx.limits().set(new RateLimiter(next.rateLimitsOrDefault(), Clock.system()));
        current = next;
    }
}
