package dev.llmlab.sim.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.core.dist.Distributions;
import dev.llmlab.core.random.Seeds;
import org.junit.jupiter.api.Test;

class LatencyOverrideTest {
    @Test
    void aFixedTtft_isFixed_withNoPrefillPerPromptToken() {
        Catalog profiled = Catalog.build(Catalog.builtin(), Catalog.LatencyOverride.NONE);
        // the built-in profile of gpt-4o-mini adds prefill per prompt token...
        LatencyProfile p = profiled.find("gpt-4o-mini").profile();
        assertThat(p.prefillSecondsPerToken()).isPositive();
        // ...which --ttft replaces: 100 ms whatever the prompt
        Catalog fixed = Catalog.build(
                Catalog.builtin(), new Catalog.LatencyOverride(Distributions.fixed(0.1), Distributions.fixed(0.02)));
        LatencyProfile f = fixed.find("gpt-4o-mini").profile();
        assertThat(f.ttftNanos(Seeds.rng(1), 10_000)).isEqualTo(100_000_000L);
        assertThat(f.itlNanos(Seeds.rng(1))).isEqualTo(20_000_000L);
        // and zero for both is an instant server
        Catalog zero = Catalog.build(
                Catalog.builtin(), new Catalog.LatencyOverride(Distributions.fixed(0), Distributions.fixed(0)));
        assertThat(zero.find("gpt-4o-mini").profile().instant()).isTrue();
    }
}
