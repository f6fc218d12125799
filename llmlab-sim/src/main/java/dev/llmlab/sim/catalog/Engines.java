package dev.llmlab.sim.catalog;

import dev.llmlab.core.time.Durations;
import dev.llmlab.sim.config.EngineConfig;
import dev.llmlab.sim.config.ModelConfig;
import dev.llmlab.sim.config.SimConfig;
import dev.llmlab.sim.engine.CostModel;
import dev.llmlab.sim.engine.EngineSpec;
import java.time.Duration;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Resolves a model's engine settings: the default preset, then the named preset, then the model's
 * own engine block, then a global {@code replicas}. Stateless.
 */
final class Engines {
    private Engines() {}

    /** The engine settings of preset {@code name} alone, laid over the default preset as a model's would be. */
    static EngineSpec preset(SimConfig config, String name) {
        ModelConfig model = ModelConfig.builder()
                .id(name)
                .engine(EngineConfig.builder().preset(name).build())
                .build();
        return resolve(config, model, false, "preset " + name);
    }

    /** The model's engine settings, or null when its latency profile times it. */
    static EngineSpec resolve(SimConfig config, ModelConfig m, boolean embedding, String where) {
        EngineConfig block = m.engine();
        if (block == null && !config.allBatching()) return null;
        if (embedding) {
            if (block != null)
                throw new IllegalArgumentException(where + ".engine: the batching engine serves chat models only");
            return null;
        }
        String presetName = block != null && block.preset() != null
                ? block.preset()
                : config.preset() != null ? config.preset() : SimConfig.DEFAULT_PRESET;
        EngineConfig base = config.enginePresets().get(SimConfig.DEFAULT_PRESET);
        EngineConfig preset = config.enginePresets().get(presetName);
        if (preset == null) {
            throw new IllegalArgumentException(
                    (block != null && block.preset() != null ? where + ".engine.preset" : "preset")
                            + ": unknown engine preset '" + presetName + "' (known: "
                            + String.join(
                                    ", ", new TreeSet<>(config.enginePresets().keySet())) + ")");
        }
        EngineConfig c = (base != null ? base.overlay(preset) : preset).overlay(block);
        if (config.replicas() != null) c = c.overlay(EngineConfig.replicasOnly(config.replicas()));
        try {
            return new EngineSpec(
                    or(c.replicas(), 1),
                    EngineSpec.Routing.valueOf(
                            (c.routing() != null ? c.routing() : "least_outstanding").toUpperCase(Locale.ROOT)),
                    or(c.maxNumSeqs(), 256),
                    or(c.maxNumBatchedTokens(), 8192),
                    or(c.maxWaiting(), 1024),
                    or(c.numBlocks(), 10_000),
                    or(c.blockSize(), 16),
                    c.prefixCaching() == null || c.prefixCaching(),
                    c.chunkedPrefill() == null || c.chunkedPrefill(),
                    new CostModel(
                            nanos(c.stepTime()),
                            nanos(c.prefillPerToken()),
                            nanos(c.decodePerSeq()),
                            nanos(c.attentionPerKvToken()),
                            c.jitter() != null ? c.jitter() : 0));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ".engine: " + e.getMessage());
        }
    }

    private static int or(Integer v, int dflt) {
        return v != null ? v : dflt;
    }

    private static double nanos(Duration d) {
        return d == null ? 0 : Durations.toSeconds(d) * 1e9;
    }
}
