package dev.llmlab.sim.config;

import java.util.Map;

/**
 * The part of the configuration the admin API reads and changes while the simulator runs. In an
 * update, {@code profiles} merge by name into the profiles in force and {@code faults} replace
 * the fault configuration, {@code rate_limits} replace the rate limits (and start their budgets
 * full); a section left out stays as it is.
 */
public record RuntimeConfig(Map<String, ProfileConfig> profiles, FaultConfig faults, RateLimitConfig rateLimits) {}
