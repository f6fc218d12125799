package dev.llmlab.sim.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmlab.core.config.ConfigLoader;
import dev.llmlab.sim.config.SimConfig;
import dev.llmlab.sim.engine.EngineSpec;
import org.junit.jupiter.api.Test;

class EnginesTest {
    private static Catalog build(String yaml) {
        SimConfig user = ConfigLoader.parse(yaml, "t.yaml", SimConfig.class);
        return Catalog.build(Catalog.builtin().overlay(user), Catalog.LatencyOverride.NONE);
    }

    @Test
    void profileMode_onlyModelsWithAnEngineBlockBatch() {
        Catalog c = build("{}");
        assertThat(c.find("gpt-4o").engine()).isNull();
        EngineSpec llama = c.find("meta-llama/Llama-3.1-8B-Instruct").engine().spec();
        assertThat(llama.maxNumSeqs()).isEqualTo(1024);
        assertThat(llama.numBlocks()).isEqualTo(27_500);
        assertThat(llama.cost().c0Nanos()).isEqualTo(6e6);
        assertThat(c.find("meta-llama/Meta-Llama-3.1-8B-Instruct").engine())
                .isSameAs(c.find("meta-llama/Llama-3.1-8B-Instruct").engine());
        assertThat(c.find("meta-llama/Llama-3.1-70B-Instruct")
                        .engine()
                        .spec()
                        .cost()
                        .c0Nanos())
                .isEqualTo(15e6);
    }

    @Test
    void batchingMode_putsEveryChatModelOnThePreset_andReplicasOverride() {
        Catalog c = build("{engine: batching, preset: llama-3.1-70b-h100-tp4, replicas: 4}");
        EngineSpec gpt = c.find("gpt-4o").engine().spec();
        assertThat(gpt.cost().c0Nanos()).isEqualTo(15e6);
        assertThat(gpt.replicas()).isEqualTo(4);
        assertThat(c.find("text-embedding-3-small").engine()).isNull();
        // a model's own block keeps its own preset
        assertThat(c.find("meta-llama/Llama-3.1-8B-Instruct")
                        .engine()
                        .spec()
                        .cost()
                        .c0Nanos())
                .isEqualTo(6e6);
        assertThat(c.find("meta-llama/Llama-3.1-8B-Instruct").engine().spec().replicas())
                .isEqualTo(4);
    }

    @Test
    void aModelsBlock_overridesItsPresetFieldByField() {
        Catalog c = build("""
        models: [{id: m, engine: {preset: llama-3.1-70b-h100-tp4, max_num_seqs: 8, routing: prefix_affinity,
                                  decode_per_seq: 1ms}}]
        """);
        EngineSpec s = c.find("m").engine().spec();
        assertThat(s.maxNumSeqs()).isEqualTo(8);
        assertThat(s.routing()).isEqualTo(EngineSpec.Routing.PREFIX_AFFINITY);
        assertThat(s.cost().decodeNanosPerSeq()).isEqualTo(1e6);
        assertThat(s.cost().c0Nanos()).isEqualTo(15e6);
        assertThat(s.numBlocks()).isEqualTo(29_000);
    }

    @Test
    void badEngineSettings_areNamed() {
        assertThatThrownBy(() -> build("models: [{id: m, engine: {preset: nope}}]"))
                .hasMessageContaining("models[id=m].engine.preset")
                .hasMessageContaining("unknown engine preset 'nope'");
        assertThatThrownBy(() -> build("models: [{id: text-embedding-3-small, engine: {}}]"))
                .hasMessageContaining("chat models only");
        assertThatThrownBy(
                        () -> build("models: [{id: m, engine: {chunked_prefill: false, max_num_batched_tokens: 8}}]"))
                .hasMessageContaining("models[id=m].engine")
                .hasMessageContaining("max_num_batched_tokens");
    }

    @Test
    void anUnchangedEngine_survivesARebuild_aChangedOneIsNew() {
        SimConfig config = Catalog.builtin();
        Catalog first = Catalog.build(config, Catalog.LatencyOverride.NONE);
        Catalog same = Catalog.build(config, Catalog.LatencyOverride.NONE, first);
        assertThat(same.find("meta-llama/Llama-3.1-8B-Instruct").engine())
                .isSameAs(first.find("meta-llama/Llama-3.1-8B-Instruct").engine());
        Catalog changed = Catalog.build(
                config.overlay(ConfigLoader.parse("replicas: 2", "t.yaml", SimConfig.class)),
                Catalog.LatencyOverride.NONE,
                first);
        assertThat(changed.find("meta-llama/Llama-3.1-8B-Instruct").engine())
                .isNotSameAs(first.find("meta-llama/Llama-3.1-8B-Instruct").engine());
    }
}
