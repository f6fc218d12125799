package dev.llmlab.sim.catalog;

import dev.llmlab.core.dist.Distribution;
import dev.llmlab.core.dist.Distributions;
import dev.llmlab.core.random.Seeds;
import dev.llmlab.core.time.Durations;
import dev.llmlab.core.token.Tokenizer;
import dev.llmlab.core.token.Tokenizers;
import dev.llmlab.sim.config.ModelConfig;
import dev.llmlab.sim.config.ProfileConfig;
import dev.llmlab.sim.config.SimConfig;
import dev.llmlab.sim.engine.EngineSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The served models, resolved from the built-in catalog with the user's configuration laid over
 * it. Built once at start-up; immutable and thread-safe afterwards.
 */
public final class Catalog {
    /** The natural reply length of chat models that configure none: most replies are short, a few long. */
    static final String DEFAULT_OUTPUT_TOKENS = "lognormal(p50=150,p99=1000)";

    static final long DEFAULT_CREATED = 1700000000L;

    private final Map<String, ModelSpec> byId;
    private final List<ModelSpec> models;

    private Catalog(Map<String, ModelSpec> byId) {
        this.byId = byId;
        this.models = List.copyOf(byId.values());
    }

    /** Command-line latency overrides: fixed TTFT and/or ITL applied to every model (null = keep). */
    public record LatencyOverride(Distribution ttft, Distribution itl) {
        public static final LatencyOverride NONE = new LatencyOverride(null, null);
    }

    /** The built-in catalog as a configuration, for layering and {@code --print-config}. */
    public static SimConfig builtin() {
        return Builtin.CONFIG;
    }

    /**
     * Built once, and callers racing a background preload wait for it. The catalog is compiled from
     * {@code llmlab/builtin.yaml} into {@link BuiltinCatalogData}, a test keeps the two equal.
     */
    private static final class Builtin {
        static final SimConfig CONFIG = BuiltinCatalogData.config();
    }

    /**
     * Resolves every model of {@code config}. Cross-references that a single record cannot check
     * (a model's profile must exist, an encoding must be known) fail here with the model named.
     */
    public static Catalog build(SimConfig config, LatencyOverride override) {
        return build(config, override, null);
    }

    /**
     * As {@link #build(SimConfig, LatencyOverride)}, but a model that {@code prior} also serves
     * keeps its admission gate, so that a run-time change of latency profiles neither forgets the
     * requests running and queued nor lets new ones past the concurrency limit.
     */
    public static Catalog build(SimConfig config, LatencyOverride override, Catalog prior) {
        double scale = config.timeScaleOrDefault();
        Map<String, LatencyProfile> profiles = new LinkedHashMap<>();
        for (var e : config.profiles().entrySet()) {
            ProfileConfig p = e.getValue();
            profiles.put(
                    e.getKey(),
                    new LatencyProfile(
                            e.getKey(),
                            override.ttft() != null ? override.ttft() : p.ttft(),
                            override.itl() != null ? override.itl() : p.itl(),
                            // a fixed TTFT is fixed: no per-prompt-token prefill on top of it
                            override.ttft() != null ? 0 : Durations.toSeconds(p.prefillPerTokenOrZero()),
                            scale));
        }
        if (config.profile() != null && !profiles.containsKey(config.profile())) {
            throw new IllegalArgumentException("unknown profile '" + config.profile() + "' (known: "
                    + String.join(", ", new TreeSet<>(profiles.keySet())) + ")");
        }
        Distribution defaultLength = Distributions.parse(DEFAULT_OUTPUT_TOKENS, Distributions.Unit.COUNT);
        Map<String, ModelSpec> byId = new LinkedHashMap<>();
        for (ModelConfig m : config.models()) {
            String where = "models[id=" + m.id() + "]";
            String profileName =
                    config.profile() != null ? config.profile() : m.profile() != null ? m.profile() : "instant";
            LatencyProfile profile = profiles.get(profileName);
            if (profile == null) {
                if (override.ttft() == null || override.itl() == null) {
                    throw new IllegalArgumentException(where + ".profile: unknown profile '" + profileName
                            + "' (known: " + String.join(", ", new TreeSet<>(profiles.keySet())) + ")");
                }
                profile = new LatencyProfile("override", override.ttft(), override.itl(), 0, scale);
            }
            String encoding = m.encoding() != null ? m.encoding() : "o200k_base";
            Tokenizer tokenizer;
            try {
                tokenizer = Tokenizers.forEncoding(encoding);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ".encoding: " + e.getMessage());
            }
            ModelSpec.Type type = "embedding".equals(m.type()) ? ModelSpec.Type.EMBEDDING : ModelSpec.Type.CHAT;
            ModelSpec.Api api = m.api() == null
                    ? ModelSpec.Api.OPENAI
                    : ModelSpec.Api.valueOf(m.api().toUpperCase(java.util.Locale.ROOT));
            if (api != ModelSpec.Api.OPENAI && type == ModelSpec.Type.EMBEDDING) {
                throw new IllegalArgumentException(where + ".type: only the openai API serves embedding models here");
            }
            int context = m.contextWindow() != null ? m.contextWindow() : 128_000;
            int maxOut = m.maxOutputTokens() != null ? m.maxOutputTokens() : Math.min(context, 16_384);
            ModelSpec before = prior != null ? prior.find(m.id()) : null;
            EngineSpec engineSpec = Engines.resolve(config, m, type == ModelSpec.Type.EMBEDDING, where);
            EngineBinding engine = engineSpec == null
                    ? null
                    : before != null
                                    && before.engine() != null
                                    && before.engine().spec().equals(engineSpec)
                            ? before.engine()
                            : new EngineBinding(m.id(), engineSpec);
            Admission admission = before != null
                    ? before.admission()
                    : new Admission(
                            m.maxConcurrency() != null ? m.maxConcurrency() : 0,
                            m.maxQueue() != null ? m.maxQueue() : 1024);
            List<String> ids = new ArrayList<>();
            ids.add(m.id());
            if (m.aliases() != null) ids.addAll(m.aliases());
            for (String id : ids) {
                String fp = "fp_" + Long.toHexString(Seeds.hash64(m.id()) & 0xffffffffffL);
                ModelSpec spec = new ModelSpec(
                        id,
                        type,
                        api,
                        m.ownedBy() != null ? m.ownedBy() : defaultOwner(id),
                        m.created() != null ? m.created() : DEFAULT_CREATED,
                        tokenizer,
                        context,
                        maxOut,
                        m.outputTokens() != null ? m.outputTokens() : defaultLength,
                        profile,
                        m.dimensions() != null ? m.dimensions() : 1536,
                        fp,
                        admission,
                        engine);
                ModelSpec previous = byId.put(id, spec);
                if (previous != null && !id.equals(m.id())) {
                    throw new IllegalArgumentException(where + ".aliases: '" + id + "' is already a served model id");
                }
            }
        }
        return new Catalog(Collections.unmodifiableMap(byId));
    }

    private static String defaultOwner(String id) {
        if (id.startsWith("claude")) return "anthropic";
        if (id.startsWith("gemini")) return "google";
        return id.startsWith("gpt-3.5")
                        || id.startsWith("text-embedding")
                        || id.startsWith("babbage")
                        || id.startsWith("davinci")
                ? "openai"
                : "system";
    }

    /**
     * The resolved engine settings of a named preset of {@code config} (the default preset laid
     * under it, as for a model that names it).
     *
     * @throws IllegalArgumentException for an unknown preset, naming the known ones
     */
    public static EngineSpec enginePreset(SimConfig config, String name) {
        return Engines.preset(config, name);
    }

    /** The engine deployments of the served models, one per configured model (aliases share it). */
    public List<EngineBinding> engines() {
        List<EngineBinding> out = new ArrayList<>();
        for (ModelSpec m : models) if (m.engine() != null && !out.contains(m.engine())) out.add(m.engine());
        return out;
    }

    /** The model with this id, or null. */
    public ModelSpec find(String id) {
        return byId.get(id);
    }

    public List<ModelSpec> models() {
        return models;
    }
}
