package dev.llmlab.sim.config;

import dev.llmlab.core.config.DistributionUnit;
import dev.llmlab.core.dist.Distribution;
import dev.llmlab.core.dist.Distributions.Unit;
import java.util.List;
import java.util.Set;

/**
 * A served model. Null fields inherit from the built-in entry of the same id, or take defaults.
 *
 * @param aliases        further ids served with the same settings (dated snapshots, for example)
 * @param type           chat (chat and legacy completions), or embedding
 * @param encoding       the tokenizer's BPE encoding: o200k_base or cl100k_base
 * @param outputTokens   distribution of a reply's natural length in tokens, before max_tokens
 * @param maxConcurrency requests generated at once (0 = unlimited); beyond it requests wait in a
 *                       FIFO queue, which {@code vllm:num_requests_waiting} reports
 * @param maxQueue       waiting requests beyond which new ones are refused with 429
 * @param api            the API family that serves it: openai (default), anthropic or gemini; a model is
 *                       not found on the other family's endpoints, as with the real providers
 * @param engine         serve it on the batching engine with these settings (a preset and overrides)
 *                       instead of its latency profile; see docs/engine.md
 */
public record ModelConfig(
        String id,
        List<String> aliases,
        String type,
        String ownedBy,
        Long created,
        String encoding,
        Integer contextWindow,
        Integer maxOutputTokens,
        @DistributionUnit(Unit.COUNT) Distribution outputTokens,
        String profile,
        Integer dimensions,
        Integer maxConcurrency,
        Integer maxQueue,
        String api,
        EngineConfig engine) {

    public static final Set<String> TYPES = Set.of("chat", "embedding");
    public static final Set<String> APIS = Set.of("openai", "anthropic", "gemini");

    public ModelConfig {
        if (id == null || id.isBlank()) throw new IllegalArgumentException("model needs an 'id'");
        if (type != null && !TYPES.contains(type)) {
            throw new IllegalArgumentException("type must be chat or embedding, got '" + type + "'");
        }
        if (contextWindow != null && contextWindow < 1)
            throw new IllegalArgumentException("context_window must be >= 1");
        if (maxOutputTokens != null && maxOutputTokens < 1)
            throw new IllegalArgumentException("max_output_tokens must be >= 1");
        if (dimensions != null && dimensions < 1) throw new IllegalArgumentException("dimensions must be >= 1");
        if (maxConcurrency != null && maxConcurrency < 0)
            throw new IllegalArgumentException("max_concurrency must be >= 0");
        if (maxQueue != null && maxQueue < 0) throw new IllegalArgumentException("max_queue must be >= 0");
        if (api != null && !APIS.contains(api)) {
            throw new IllegalArgumentException("api must be openai, anthropic or gemini, got '" + api + "'");
        }
        aliases = aliases == null ? null : List.copyOf(aliases);
    }

    ModelConfig overlay(ModelConfig top) {
        return new ModelConfig(
                id,
                top.aliases != null ? top.aliases : aliases,
                top.type != null ? top.type : type,
                top.ownedBy != null ? top.ownedBy : ownedBy,
                top.created != null ? top.created : created,
                top.encoding != null ? top.encoding : encoding,
                top.contextWindow != null ? top.contextWindow : contextWindow,
                top.maxOutputTokens != null ? top.maxOutputTokens : maxOutputTokens,
                top.outputTokens != null ? top.outputTokens : outputTokens,
                top.profile != null ? top.profile : profile,
                top.dimensions != null ? top.dimensions : dimensions,
                top.maxConcurrency != null ? top.maxConcurrency : maxConcurrency,
                top.maxQueue != null ? top.maxQueue : maxQueue,
                top.api != null ? top.api : api,
                engine == null ? top.engine : engine.overlay(top.engine));
    }

    /** A builder that names each field it sets; the others stay null (unset). */
    public static Builder builder() {
        return new Builder();
    }

    /** A model entry, field by field; {@link #build} validates as the constructor does. */
    public static final class Builder {
        private String id;
        private List<String> aliases;
        private String type;
        private String ownedBy;
        private Long created;
        private String encoding;
        private Integer contextWindow;
        private Integer maxOutputTokens;
        private Distribution outputTokens;
        private String profile;
        private Integer dimensions;
        private Integer maxConcurrency;
        private Integer maxQueue;
        private String api;
        private EngineConfig engine;

        private Builder() {}

        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder aliases(List<String> aliases) {
            this.aliases = aliases;
            return this;
        }

        public Builder type(String type) {
            this.type = type;
            return this;
        }

        public Builder ownedBy(String ownedBy) {
            this.ownedBy = ownedBy;
            return this;
        }

        public Builder created(Long created) {
            this.created = created;
            return this;
        }

        public Builder encoding(String encoding) {
            this.encoding = encoding;
            return this;
        }

        public Builder contextWindow(Integer contextWindow) {
            this.contextWindow = contextWindow;
            return this;
        }

        public Builder maxOutputTokens(Integer maxOutputTokens) {
            this.maxOutputTokens = maxOutputTokens;
            return this;
        }

        public Builder outputTokens(Distribution outputTokens) {
            this.outputTokens = outputTokens;
            return this;
        }

        public Builder profile(String profile) {
            this.profile = profile;
            return this;
        }

        public Builder dimensions(Integer dimensions) {
            this.dimensions = dimensions;
            return this;
        }

        public Builder maxConcurrency(Integer maxConcurrency) {
            this.maxConcurrency = maxConcurrency;
            return this;
        }

        public Builder maxQueue(Integer maxQueue) {
            this.maxQueue = maxQueue;
            return this;
        }

        public Builder api(String api) {
            this.api = api;
            return this;
        }

        public Builder engine(EngineConfig engine) {
            this.engine = engine;
            return this;
        }

        public ModelConfig build() {
            return new ModelConfig(
                    id,
                    aliases,
                    type,
                    ownedBy,
                    created,
                    encoding,
                    contextWindow,
                    maxOutputTokens,
                    outputTokens,
                    profile,
                    dimensions,
                    maxConcurrency,
                    maxQueue,
                    api,
                    engine);
        }
    }
}
