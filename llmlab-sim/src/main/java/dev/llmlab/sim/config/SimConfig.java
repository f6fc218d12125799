package dev.llmlab.sim.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulator's configuration as written in YAML (snake_case keys); see docs/config.md.
 *
 * <p>Every field is optional: null means "keep the default" so that a user file, the built-in
 * catalog and command-line flags can be layered with {@link #overlay}. Validation that needs no
 * context happens in the records' constructors, so a bad value is reported with its file, line and
 * field by the config loader.
 *
 * @param seed      server seed: makes content (for requests without their own seed) and the
 *                  sequence of latency samples reproducible
 * @param timeScale multiplies every simulated delay (0.5 = twice as fast, 0 = no delays)
 * @param profile   a latency profile applied to every model, overriding each model's own
 * @param faults    fault injection: rules, a scenario, the per-request header
 * @param auth      API keys (none: every request is served) and the admin key
 * @param rateLimits provider-style request and token budgets per key and per model
 * @param engine    profile (default: each model as configured) or batching (every chat model on the
 *                  batching engine, models without an engine block on {@code preset})
 * @param preset    the engine preset for chat models without an engine block; implies batching
 * @param replicas  replicas of every batching deployment, overriding theirs
 * @param enginePresets named engine settings that models' engine blocks start from
 */
public record SimConfig(
        ServerConfig server,
        Long seed,
        Double timeScale,
        String profile,
        GenerationConfig generation,
        Map<String, ProfileConfig> profiles,
        List<ModelConfig> models,
        FaultConfig faults,
        AuthConfig auth,
        RateLimitConfig rateLimits,
        String engine,
        String preset,
        Integer replicas,
        Map<String, EngineConfig> enginePresets) {

    public static final String DEFAULT_PRESET = "llama-3.1-8b-h100";

    public SimConfig {
        if (timeScale != null && (timeScale < 0 || timeScale.isNaN() || timeScale.isInfinite())) {
            throw new IllegalArgumentException("time_scale must be a finite number >= 0, got " + timeScale);
        }
        // Insertion order is kept so that --print-config lists profiles as they were written.
        profiles = profiles == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(profiles));
        models = models == null ? List.of() : List.copyOf(models);
        if (engine != null && !engine.equals("profile") && !engine.equals("batching")) {
            throw new IllegalArgumentException("engine must be profile or batching, got '" + engine + "'");
        }
        if (replicas != null && replicas < 1)
            throw new IllegalArgumentException("replicas must be >= 1, got " + replicas);
        enginePresets =
                enginePresets == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(enginePresets));
    }

    /** Whether every chat model runs on the batching engine. */
    public boolean allBatching() {
        return engine == null ? preset != null : engine.equals("batching");
    }

    public static SimConfig empty() {
        return builder().build();
    }

    /** This configuration with {@code top}'s non-null settings laid over it; models merge by id, field by field. */
    public SimConfig overlay(SimConfig top) {
        Map<String, ProfileConfig> mergedProfiles = new LinkedHashMap<>(profiles);
        mergedProfiles.putAll(top.profiles);
        Map<String, ModelConfig> mergedModels = new LinkedHashMap<>();
        for (ModelConfig m : models) mergedModels.put(m.id(), m);
        for (ModelConfig m : top.models) mergedModels.merge(m.id(), m, ModelConfig::overlay);
        Map<String, EngineConfig> mergedPresets = new LinkedHashMap<>(enginePresets);
        for (var e : top.enginePresets.entrySet()) mergedPresets.merge(e.getKey(), e.getValue(), EngineConfig::overlay);
        return new SimConfig(
                ServerConfig.overlay(server, top.server),
                top.seed != null ? top.seed : seed,
                top.timeScale != null ? top.timeScale : timeScale,
                top.profile != null ? top.profile : profile,
                GenerationConfig.overlay(generation, top.generation),
                mergedProfiles,
                List.copyOf(mergedModels.values()),
                top.faults != null ? top.faults : faults,
                top.auth != null ? top.auth : auth,
                top.rateLimits != null ? top.rateLimits : rateLimits,
                top.engine != null ? top.engine : engine,
                top.preset != null ? top.preset : preset,
                top.replicas != null ? top.replicas : replicas,
                mergedPresets);
    }

    /** This configuration with every default written out, as {@code --print-config} shows it. */
    public SimConfig withDefaults() {
        ServerConfig s = serverOrDefault();
        GenerationConfig g = generationOrDefault();
        return toBuilder()
                .server(ServerConfig.builder()
                        .host(s.hostOrDefault())
                        .port(s.portOrDefault())
                        .maxBodyBytes(s.maxBodyBytesOrDefault())
                        .maxHeaderBytes(s.maxHeaderBytesOrDefault())
                        .idleTimeout(s.idleTimeoutOrDefault())
                        .headerTimeout(s.headerTimeoutOrDefault())
                        .bodyTimeout(s.bodyTimeoutOrDefault())
                        .drainTimeout(s.drainTimeoutOrDefault())
                        .ioThreads(s.ioThreads() != null ? s.ioThreads() : 0)
                        .transport(s.transportOrDefault())
                        .tlsCert(s.tlsCert())
                        .tlsKey(s.tlsKey())
                        .build())
                .timeScale(timeScaleOrDefault())
                .generation(GenerationConfig.builder()
                        .mode(g.modeOrDefault())
                        .fixedText(g.fixedText())
                        .corpusFile(g.corpusFile())
                        .canned(g.canned())
                        .tokensPerChunk(g.tokensPerChunkOrDefault())
                        .autoToolCallProbability(g.autoToolCallProbabilityOrDefault())
                        .build())
                .faults(new FaultConfig(
                        faultsOrDefault().headerOrDefault(),
                        faultsOrDefault().scenario(),
                        faultsOrDefault().rules()))
                .engine(engine != null ? engine : allBatching() ? "batching" : "profile")
                .build();
    }

    public RateLimitConfig rateLimitsOrDefault() {
        return rateLimits != null ? rateLimits : RateLimitConfig.NONE;
    }

    public AuthConfig authOrDefault() {
        return auth != null ? auth : AuthConfig.DEFAULT;
    }

    public FaultConfig faultsOrDefault() {
        return faults != null ? faults : FaultConfig.DEFAULT;
    }

    public ServerConfig serverOrDefault() {
        return server != null ? server : ServerConfig.DEFAULT;
    }

    public GenerationConfig generationOrDefault() {
        return generation != null ? generation : GenerationConfig.DEFAULT;
    }

    public double timeScaleOrDefault() {
        return timeScale != null ? timeScale : 1.0;
    }

    /** A builder that names each field it sets; the others stay null (unset). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's fields, to change some of them by name. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.server = server;
        b.seed = seed;
        b.timeScale = timeScale;
        b.profile = profile;
        b.generation = generation;
        b.profiles = profiles;
        b.models = models;
        b.faults = faults;
        b.auth = auth;
        b.rateLimits = rateLimits;
        b.engine = engine;
        b.preset = preset;
        b.replicas = replicas;
        b.enginePresets = enginePresets;
        return b;
    }

    /** A simulator configuration, field by field; {@link #build} validates as the constructor does. */
    public static final class Builder {
        private ServerConfig server;
        private Long seed;
        private Double timeScale;
        private String profile;
        private GenerationConfig generation;
        private Map<String, ProfileConfig> profiles;
        private List<ModelConfig> models;
        private FaultConfig faults;
        private AuthConfig auth;
        private RateLimitConfig rateLimits;
        private String engine;
        private String preset;
        private Integer replicas;
        private Map<String, EngineConfig> enginePresets;

        private Builder() {}

        public Builder server(ServerConfig server) {
            this.server = server;
            return this;
        }

        public Builder seed(Long seed) {
            this.seed = seed;
            return this;
        }

        public Builder timeScale(Double timeScale) {
            this.timeScale = timeScale;
            return this;
        }

        public Builder profile(String profile) {
            this.profile = profile;
            return this;
        }

        public Builder generation(GenerationConfig generation) {
            this.generation = generation;
            return this;
        }

        public Builder profiles(Map<String, ProfileConfig> profiles) {
            this.profiles = profiles;
            return this;
        }

        public Builder models(List<ModelConfig> models) {
            this.models = models;
            return this;
        }

        public Builder faults(FaultConfig faults) {
            this.faults = faults;
            return this;
        }

        public Builder auth(AuthConfig auth) {
            this.auth = auth;
            return this;
        }

        public Builder rateLimits(RateLimitConfig rateLimits) {
            this.rateLimits = rateLimits;
            return this;
        }

        public Builder engine(String engine) {
            this.engine = engine;
            return this;
        }

        public Builder preset(String preset) {
            this.preset = preset;
            return this;
        }

        public Builder replicas(Integer replicas) {
            this.replicas = replicas;
            return this;
        }

        public Builder enginePresets(Map<String, EngineConfig> enginePresets) {
            this.enginePresets = enginePresets;
            return this;
        }

        public SimConfig build() {
            return new SimConfig(
                    server,
                    seed,
                    timeScale,
                    profile,
                    generation,
                    profiles,
                    models,
                    faults,
                    auth,
                    rateLimits,
                    engine,
                    preset,
                    replicas,
                    enginePresets);
        }
    }
}
