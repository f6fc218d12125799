package dev.llmlab.sim.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Builders name the fields they set, leave the rest unset, and validate as the constructors do. */
class SimConfigTest {

    @Test
    void builder_namedFields_setOnlyThose() {
        SimConfig c = SimConfig.builder()
                .server(ServerConfig.builder().host("127.0.0.1").port(0).build())
                .seed(7L)
                .preset("llama-3.1-8b-h100")
                .build();
        assertThat(c.server().host()).isEqualTo("127.0.0.1");
        assertThat(c.server().port()).isZero();
        assertThat(c.server().ioThreads()).isNull();
        assertThat(c.seed()).isEqualTo(7L);
        assertThat(c.preset()).isEqualTo("llama-3.1-8b-h100");
        assertThat(c.timeScale()).isNull();
        assertThat(c.profiles()).as("normalised as by the constructor").isEmpty();
        assertThat(c.models()).isEmpty();
        assertThat(SimConfig.builder().build()).isEqualTo(SimConfig.empty());
    }

    @Test
    void toBuilder_changesNamedFieldsAndKeepsTheRest() {
        SimConfig base = SimConfig.builder()
                .seed(1L)
                .models(List.of(ModelConfig.builder().id("m").maxQueue(3).build()))
                .rateLimits(RateLimitConfig.NONE)
                .build();
        SimConfig changed = base.toBuilder().seed(2L).build();
        assertThat(changed.seed()).isEqualTo(2L);
        assertThat(changed.models()).isEqualTo(base.models());
        assertThat(changed.rateLimits()).isSameAs(base.rateLimits());
        assertThat(base.toBuilder().build()).isEqualTo(base);
    }

    @Test
    void build_badValue_isRefusedAsByTheConstructor() {
        assertThatThrownBy(() -> ServerConfig.builder().port(70_000).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("port must be within 0..65535");
        assertThatThrownBy(() -> ModelConfig.builder().contextWindow(10).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model needs an 'id'");
        assertThatThrownBy(() -> EngineConfig.builder().routing("random").build())
                .hasMessageContaining("routing must be");
        assertThatThrownBy(() -> FaultRule.builder().probability(0.5).build()).hasMessageContaining("kind is required");
    }

    @Test
    void builder_equalsTheConstructorWithTheSameFields() {
        assertThat(EngineConfig.builder()
                        .preset("p")
                        .replicas(2)
                        .stepTime(Duration.ofMillis(6))
                        .build())
                .isEqualTo(new EngineConfig(
                        "p",
                        2,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        Duration.ofMillis(6),
                        null,
                        null,
                        null,
                        null));
        assertThat(GenerationConfig.builder().mode("echo").tokensPerChunk(4).build())
                .isEqualTo(new GenerationConfig("echo", null, null, null, 4, null));
        assertThat(SimConfig.builder().enginePresets(Map.of()).build()).isEqualTo(SimConfig.empty());
    }
}
