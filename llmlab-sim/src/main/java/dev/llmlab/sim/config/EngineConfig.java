package dev.llmlab.sim.config;

import java.time.Duration;
import java.util.Set;

/**
 * A batching-engine deployment as written in YAML: a named preset, with any field laid over it.
 * Null fields inherit from the preset, then take the defaults documented in docs/engine.md. See
 * {@code dev.llmlab.sim.engine} for the model these settings drive.
 *
 * @param preset              an entry of {@code engine_presets} to start from
 * @param replicas            data-parallel replicas
 * @param routing             round_robin, least_outstanding (default) or prefix_affinity
 * @param maxNumSeqs          sequences running at once per replica
 * @param maxNumBatchedTokens tokens computed per step per replica
 * @param maxWaiting          waiting requests per replica beyond which new ones are refused
 * @param numBlocks           KV cache blocks per replica
 * @param blockSize           tokens per KV block
 * @param prefixCaching       reuse cached prompt blocks by hash
 * @param chunkedPrefill      prefill long prompts over several steps
 * @param stepTime            c0: fixed time of every step
 * @param prefillPerToken     c_prefill: time per prompt token computed
 * @param decodePerSeq        c_decode: time per sequence decoding a token
 * @param attentionPerKvToken c_attn: time per cached token read by attention
 * @param jitter              relative standard deviation of each step's time
 */
public record EngineConfig(
        String preset,
        Integer replicas,
        String routing,
        Integer maxNumSeqs,
        Integer maxNumBatchedTokens,
        Integer maxWaiting,
        Integer numBlocks,
        Integer blockSize,
        Boolean prefixCaching,
        Boolean chunkedPrefill,
        Duration stepTime,
        Duration prefillPerToken,
        Duration decodePerSeq,
        Duration attentionPerKvToken,
        Double jitter) {

    public static final Set<String> ROUTINGS = Set.of("round_robin", "least_outstanding", "prefix_affinity");

    public EngineConfig {
        if (routing != null && !ROUTINGS.contains(routing)) {
            throw new IllegalArgumentException(
                    "routing must be round_robin, least_outstanding or prefix_affinity, got '" + routing + "'");
        }
        positive("replicas", replicas);
        positive("max_num_seqs", maxNumSeqs);
        positive("max_num_batched_tokens", maxNumBatchedTokens);
        positive("num_blocks", numBlocks);
        positive("block_size", blockSize);
        positive("max_waiting", maxWaiting);
        if (jitter != null && (jitter.isNaN() || jitter < 0 || jitter > 1)) {
            throw new IllegalArgumentException("jitter must be within [0, 1], got " + jitter);
        }
        for (Duration d : new Duration[] {stepTime, prefillPerToken, decodePerSeq, attentionPerKvToken}) {
            if (d != null && d.isNegative())
                throw new IllegalArgumentException("step cost durations must not be negative");
        }
    }

    private static void positive(String name, Integer v) {
        if (v != null && v < 1) throw new IllegalArgumentException(name + " must be >= 1, got " + v);
    }

    /** Only replicas set: what {@code --replicas N} lays over every deployment. */
    public static EngineConfig replicasOnly(int replicas) {
        return builder().replicas(replicas).build();
    }

    /** This configuration with {@code top}'s non-null fields laid over it. */
    public EngineConfig overlay(EngineConfig top) {
        if (top == null) return this;
        return new EngineConfig(
                top.preset != null ? top.preset : preset,
                top.replicas != null ? top.replicas : replicas,
                top.routing != null ? top.routing : routing,
                top.maxNumSeqs != null ? top.maxNumSeqs : maxNumSeqs,
                top.maxNumBatchedTokens != null ? top.maxNumBatchedTokens : maxNumBatchedTokens,
                top.maxWaiting != null ? top.maxWaiting : maxWaiting,
                top.numBlocks != null ? top.numBlocks : numBlocks,
                top.blockSize != null ? top.blockSize : blockSize,
                top.prefixCaching != null ? top.prefixCaching : prefixCaching,
                top.chunkedPrefill != null ? top.chunkedPrefill : chunkedPrefill,
                top.stepTime != null ? top.stepTime : stepTime,
                top.prefillPerToken != null ? top.prefillPerToken : prefillPerToken,
                top.decodePerSeq != null ? top.decodePerSeq : decodePerSeq,
                top.attentionPerKvToken != null ? top.attentionPerKvToken : attentionPerKvToken,
                top.jitter != null ? top.jitter : jitter);
    }

    /** A builder that names each field it sets; the others stay null (unset). */
    public static Builder builder() {
        return new Builder();
    }

    /** An engine block, field by field; {@link #build} validates as the constructor does. */
    public static final class Builder {
        private String preset;
        private Integer replicas;
        private String routing;
        private Integer maxNumSeqs;
        private Integer maxNumBatchedTokens;
        private Integer maxWaiting;
        private Integer numBlocks;
        private Integer blockSize;
        private Boolean prefixCaching;
        private Boolean chunkedPrefill;
        private Duration stepTime;
        private Duration prefillPerToken;
        private Duration decodePerSeq;
        private Duration attentionPerKvToken;
        private Double jitter;

        private Builder() {}

        public Builder preset(String preset) {
            this.preset = preset;
            return this;
        }

        public Builder replicas(Integer replicas) {
            this.replicas = replicas;
            return this;
        }

        public Builder routing(String routing) {
            this.routing = routing;
            return this;
        }

        public Builder maxNumSeqs(Integer maxNumSeqs) {
            this.maxNumSeqs = maxNumSeqs;
            return this;
        }

        public Builder maxNumBatchedTokens(Integer maxNumBatchedTokens) {
            this.maxNumBatchedTokens = maxNumBatchedTokens;
            return this;
        }

        public Builder maxWaiting(Integer maxWaiting) {
            this.maxWaiting = maxWaiting;
            return this;
        }

        public Builder numBlocks(Integer numBlocks) {
            this.numBlocks = numBlocks;
            return this;
        }

        public Builder blockSize(Integer blockSize) {
            this.blockSize = blockSize;
            return this;
        }

        public Builder prefixCaching(Boolean prefixCaching) {
            this.prefixCaching = prefixCaching;
            return this;
        }

        public Builder chunkedPrefill(Boolean chunkedPrefill) {
            this.chunkedPrefill = chunkedPrefill;
            return this;
        }

        public Builder stepTime(Duration stepTime) {
            this.stepTime = stepTime;
            return this;
        }

        public Builder prefillPerToken(Duration prefillPerToken) {
            this.prefillPerToken = prefillPerToken;
            return this;
        }

        public Builder decodePerSeq(Duration decodePerSeq) {
            this.decodePerSeq = decodePerSeq;
            return this;
        }

        public Builder attentionPerKvToken(Duration attentionPerKvToken) {
            this.attentionPerKvToken = attentionPerKvToken;
            return this;
        }

        public Builder jitter(Double jitter) {
            this.jitter = jitter;
            return this;
        }

        public EngineConfig build() {
            return new EngineConfig(
                    preset,
                    replicas,
                    routing,
                    maxNumSeqs,
                    maxNumBatchedTokens,
                    maxWaiting,
                    numBlocks,
                    blockSize,
                    prefixCaching,
                    chunkedPrefill,
                    stepTime,
                    prefillPerToken,
                    decodePerSeq,
                    attentionPerKvToken,
                    jitter);
        }
    }
}
