package dev.llmlab.sim.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.metrics.Exposition;
import dev.llmlab.metrics.MetricFamily;
import dev.llmlab.metrics.Quantity;
import dev.llmlab.metrics.ServerKind;
import dev.llmlab.metrics.ServerReading;
import dev.llmlab.metrics.VllmNames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The simulator's page, read the way bench's --scrape and the monitor read it. */
class SimMetricsTest {
    static Exposition page(SimMetrics m) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.write(out);
        return Exposition.parse(out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void page_isToldApartFromVllm_andReadUnderVllmNames() throws IOException {
        SimMetrics m = new SimMetrics();
        m.httpRequest("/v1/chat/completions", "POST", 200, 1_000_000);
        m.replica("llama", 0).state(3, 1, 0.25);
        m.replica("llama", 1).state(2, 0, 0.75);
        m.model("gpt-4o-mini").runningInc(); // a profile-timed model: engine "0" of another model name
        Exposition p = page(m);
        assertThat(p.skippedLines()).isZero();
        assertThat(ServerKind.detect(p)).isEqualTo(ServerKind.LLMLAB);
        ServerReading r = ServerKind.LLMLAB.read(p);
        assertThat(r.value(Quantity.RUNNING)).isEqualTo(6.0);
        assertThat(r.value(Quantity.WAITING)).isEqualTo(1.0);
        assertThat(r.value(Quantity.KV_CACHE_USAGE)).isEqualTo(0.5);
    }

    @Test
    void page_beforeAnyRequest_countsZero_kvUnknown() throws IOException {
        ServerReading r = ServerKind.LLMLAB.read(page(new SimMetrics()));
        assertThat(r.value(Quantity.RUNNING)).isEqualTo(0.0);
        assertThat(r.value(Quantity.WAITING)).isEqualTo(0.0);
        assertThat(r.value(Quantity.KV_CACHE_USAGE)).isNull();
    }

    @Test
    void counters_carryTheVllmNamesWithTotal_andEveryQuantityTheKindMaps_isOnThePage() throws IOException {
        SimMetrics m = new SimMetrics();
        SimMetrics.ModelMetrics g = m.model("gpt-4o");
        g.ttft(30_000_000);
        g.itl(20_000_000);
        g.finished(100_000_000, 10, 4, "stop");
        SimMetrics.ReplicaMetrics r = m.replica("llama", 0);
        r.preempted();
        r.prefixLookup(64, 32);
        Exposition p = page(m);
        assertThat(p.value(VllmNames.PROMPT_TOKENS + "_total", VllmNames.LABEL_MODEL_NAME, "gpt-4o"))
                .isEqualTo(10);
        assertThat(p.family(VllmNames.NUM_PREEMPTIONS).orElseThrow()).isInstanceOf(MetricFamily.Scalar.class);
        ServerReading reading = ServerKind.LLMLAB.read(p);
        for (Quantity q : ServerKind.LLMLAB.quantities()) {
            assertThat(reading.source(q)).as(q.name()).isPresent();
        }
        assertThat(reading.source(Quantity.ITL)).contains(VllmNames.INTER_TOKEN_LATENCY);
        assertThat(reading.value(Quantity.PREEMPTIONS)).isEqualTo(1.0);
        assertThat(reading.value(Quantity.PREFIX_CACHE_HITS)).isEqualTo(32.0);
    }
}
