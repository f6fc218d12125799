package dev.llmlab.bench.server;

import static dev.llmlab.bench.server.PromTextTest.golden;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.bench.server.PromText.Exposition;
import dev.llmlab.bench.server.ServerKind.Reading;
import dev.llmlab.sim.metrics.SimMetrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ServerKindTest {
    static Exposition page(String text) {
        return PromText.parse(text);
    }

    static String sim(SimMetrics m) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.write(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void vllmV1_sumsCountsOverEngines_averagesKv_prefersTheNewKvName() {
        Exposition p = page(golden("vllm-v1.txt"));
        assertThat(ServerKind.detect(p)).isEqualTo(ServerKind.VLLM);
        Reading r = ServerKind.VLLM.read(p);
        assertThat(r.running()).isEqualTo(12.0);
        assertThat(r.waiting()).isEqualTo(2.0);
        assertThat(r.kvCacheUsage())
                .isCloseTo(0.36, org.assertj.core.data.Offset.offset(1e-12)); // not the deprecated 0.9
    }

    @Test
    void vllmV0_readsTheOlderKvName() {
        Exposition p = page(golden("vllm-v0.txt"));
        assertThat(ServerKind.detect(p)).isEqualTo(ServerKind.VLLM);
        assertThat(ServerKind.VLLM.read(p)).isEqualTo(new Reading(4.0, 11.0, 0.9871));
    }

    @Test
    void sglang() {
        Exposition p = page(golden("sglang.txt"));
        assertThat(ServerKind.detect(p)).isEqualTo(ServerKind.SGLANG);
        assertThat(ServerKind.SGLANG.read(p)).isEqualTo(new Reading(39.0, 12.0, 0.28));
    }

    @Test
    void tgi_hasNoKvGauge() {
        Exposition p = page(golden("tgi.txt"));
        assertThat(ServerKind.detect(p)).isEqualTo(ServerKind.TGI);
        assertThat(ServerKind.TGI.read(p)).isEqualTo(new Reading(32.0, 6.0, null));
    }

    @Test
    void llmlabSim_isToldApartByItsOwnMetrics_andReadUnderVllmNames() throws IOException {
        SimMetrics m = new SimMetrics();
        m.httpRequest("/v1/chat/completions", "POST", 200, 1_000_000);
        m.replica("llama", 0).state(3, 1, 0.25);
        m.replica("llama", 1).state(2, 0, 0.75);
        m.model("gpt-4o-mini").runningInc(); // a profile-timed model: engine "0" of another model name
        Exposition p = page(sim(m));
        assertThat(ServerKind.detect(p)).isEqualTo(ServerKind.LLMLAB);
        assertThat(ServerKind.LLMLAB.read(p)).isEqualTo(new Reading(6.0, 1.0, 0.5));
    }

    @Test
    void llmlabSim_beforeAnyRequest_countsZero_kvUnknown() throws IOException {
        Exposition p = page(sim(new SimMetrics()));
        assertThat(ServerKind.detect(p)).isEqualTo(ServerKind.LLMLAB);
        assertThat(ServerKind.LLMLAB.read(p)).isEqualTo(new Reading(0.0, 0.0, null));
    }

    @Test
    void unknownServer_readsNothing() {
        Exposition p = page("# TYPE node_load1 gauge\nnode_load1 0.42\n");
        assertThat(ServerKind.detect(p)).isEqualTo(ServerKind.UNKNOWN);
        assertThat(ServerKind.UNKNOWN.read(p)).isEqualTo(new Reading(null, null, null));
    }

    @Test
    void nanSeries_areLeftOut() {
        Exposition p = page("""
        vllm:num_requests_running{engine="0"} NaN
        vllm:num_requests_running{engine="1"} 2
        vllm:kv_cache_usage_perc{engine="0"} NaN
        """);
        assertThat(ServerKind.VLLM.read(p)).isEqualTo(new Reading(2.0, null, null));
    }
}
