package dev.llmlab.bench.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.api.client.ClientApi;
import dev.llmlab.bench.client.BenchClient;
import dev.llmlab.bench.client.Target;
import dev.llmlab.bench.load.Schedule;
import dev.llmlab.bench.load.Workload;
import dev.llmlab.bench.measure.Recorder;
import dev.llmlab.core.config.ConfigLoader;
import dev.llmlab.core.dist.Distributions;
import dev.llmlab.core.token.Tokenizer;
import dev.llmlab.core.token.Tokenizers;
import dev.llmlab.sim.Simulator;
import dev.llmlab.sim.catalog.Catalog.LatencyOverride;
import dev.llmlab.sim.config.SimConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * bench drives every API the simulator serves, streamed and whole, through the APIs' client codecs:
 * each answer is complete, its token events are its tokens, and the server's usage agrees with the
 * client's own count.
 */
class EveryApiTest {
    static Simulator sim;
    static Tokenizer tok;

    @BeforeAll
    static void start() {
        SimConfig c = ConfigLoader.parse(
                "server: {host: 127.0.0.1, port: 0, io_threads: 1}\nseed: 1\n", "t.yaml", SimConfig.class);
        sim = Simulator.start(c, new LatencyOverride(Distributions.fixed(0.001), Distributions.fixed(0.0005)));
        tok = Tokenizers.forEncoding("o200k_base");
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    static List<Arguments> apis() {
        return List.of(ClientApi.values()).stream()
                .flatMap(api -> api.streams()
                        ? java.util.stream.Stream.of(Arguments.of(api, true), Arguments.of(api, false))
                        : java.util.stream.Stream.of(Arguments.of(api, false)))
                .toList();
    }

    @ParameterizedTest(name = "{0}, stream {1}")
    @MethodSource("apis")
    void everyApi_isMeasuredWholeAndStreamed(ClientApi api, boolean stream) {
        Recorder rec = new Recorder(false, List.of());
        String base = "http://127.0.0.1:" + sim.port() + api.basePath();
        String model = api.defaultModel();
        try (BenchClient c =
                new BenchClient(Target.of(base, api, model, stream, null, Map.of()), 1, Duration.ofSeconds(10), tok)) {
            Workload w = Workload.synthetic(api, model, stream, 8, Distributions.fixed(20), null, 16, tok, 1);
            Runner.run(c, w, new LoadPlan(2, 0, null, 0, 0, 8, 0, 0, Schedule.Ramp.NONE, 0, 1), rec::record);
        }
        Recorder.Summary s = rec.summary(1);
        assertThat(s.errors()).isEmpty();
        assertThat(s.requestsCompleted()).isEqualTo(8);
        assertThat(s.usageMismatches()).isZero();
        assertThat(s.usageChecked()).isEqualTo(8);
        if (!api.generates()) {
            assertThat(s.outputTokenThroughput()).isZero();
            return;
        }
        // at most 16 tokens (the cap; the Responses API's least) an answer
        assertThat(s.outputTokenThroughput()).isBetween(8.0, 8 * 16.0);
        if (stream) {
            // every answer has a first token, and one chunk per token: as many inter-token gaps as
            // tokens after the first
            assertThat(s.metrics().get("ttft").count()).isEqualTo(8);
            assertThat(s.metrics().get("itl").count()).isEqualTo((long) s.outputTokenThroughput() - 8);
        }
    }
}
