package dev.llmlab.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EndpointsTest {
    @Test
    void requestId_keepsAPlainOne_andMakesOneOtherwise() {
        assertThat(Endpoints.requestId("req-42")).isEqualTo("req-42");
        assertThat(Endpoints.requestId("has space")).matches("llmlab-[0-9a-f]{32}");
        assertThat(Endpoints.requestId("x".repeat(129))).matches("llmlab-[0-9a-f]{32}");
        assertThat(Endpoints.requestId(null)).matches("llmlab-[0-9a-f]{32}");
        assertThat(Endpoints.requestId(null)).isNotEqualTo(Endpoints.requestId(null));
    }

    @Test
    void millis_hasThreeDecimals() {
        assertThat(Flight.millis(0)).isEqualTo("0.000");
        assertThat(Flight.millis(42_000)).isEqualTo("0.042");
        assertThat(Flight.millis(1_234_567)).isEqualTo("1.235");
        assertThat(Flight.millis(12_300_000)).isEqualTo("12.300");
        assertThat(Flight.millis(-5)).isEqualTo("0.000");
    }
}
