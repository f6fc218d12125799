package dev.llmlab.gateway.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmlab.gateway.account.Cost;
import dev.llmlab.gateway.account.TokenUsage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class AccessLogTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static RequestRecord record(String id, TokenUsage usage, Cost cost) {
        return new RequestRecord(
                id,
                1_765_000_000_123L,
                "team-a",
                Ingress.OPENAI_CHAT,
                "gpt-4o",
                "openai-east",
                "openai",
                "gpt-4o",
                200,
                null,
                true,
                3,
                1,
                12_345_678L,
                40_000_000L,
                30_000_000L,
                123_456L,
                usage,
                cost,
                "miss");
    }

    @Test
    void write_oneRecord_allFieldsAndNullsForTheUnknown() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AccessLog.write(record("req-1", new TokenUsage(100, 20, 40, true), new Cost(0.0125)), out);
        JsonNode j = JSON.readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(j.get("time").asString()).isEqualTo("2025-12-06T05:46:40.123Z");
        assertThat(j.get("request_id").asString()).isEqualTo("req-1");
        assertThat(j.get("client_key").asString()).isEqualTo("team-a");
        assertThat(j.get("ingress").asString()).isEqualTo("openai.chat_completions");
        assertThat(j.get("status").asInt()).isEqualTo(200);
        assertThat(j.get("error_type").isNull()).isTrue();
        assertThat(j.get("attempts").asInt()).isEqualTo(3);
        assertThat(j.get("retries").asInt()).isEqualTo(1);
        assertThat(j.get("fallbacks").asInt()).isEqualTo(1);
        assertThat(j.get("ttft_ms").asDouble()).isEqualTo(12.346);
        assertThat(j.get("overhead_ms").asDouble()).isEqualTo(0.123);
        assertThat(j.get("cached_input_tokens").asLong()).isEqualTo(40);
        assertThat(j.get("usage_estimated").asBoolean()).isTrue();
        assertThat(j.get("cost_usd").asDouble()).isEqualTo(0.0125);
        assertThat(j.get("cache").asString()).isEqualTo("miss");

        out.reset();
        AccessLog.write(record("req-2", null, Cost.UNKNOWN), out);
        JsonNode k = JSON.readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(k.get("input_tokens").isNull()).isTrue();
        assertThat(k.get("cost_usd").isNull()).isTrue();
    }

    @Test
    void log_toAFile_oneLinePerRecordAfterClose(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("access.jsonl");
        GatewayMetrics metrics = new GatewayMetrics();
        try (AccessLog log = AccessLog.open(AccessLogConfig.file(file), metrics)) {
            for (int i = 0; i < 100; i++) log.log(record("r" + i, null, Cost.UNKNOWN));
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(100);
        for (int i = 0; i < 100; i++) {
            assertThat(JSON.readTree(lines.get(i)).get("request_id").asString()).isEqualTo("r" + i);
        }
    }

    @Test
    void log_fullQueue_dropsCountsAndWarnsWithoutBlocking() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        OutputStream blocked = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                writing.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                sink.write(b, off, len);
            }
        };
        AtomicInteger drops = new AtomicInteger();
        AtomicLong now = new AtomicLong();
        AccessLog log = new AccessLog(blocked, true, 2, drops::incrementAndGet, now::get);
        log.log(record("first", null, Cost.UNKNOWN));
        writing.await(); // the writer holds "first" and is stuck in the destination
        log.log(record("q1", null, Cost.UNKNOWN));
        log.log(record("q2", null, Cost.UNKNOWN));
        for (int i = 0; i < 5; i++) log.log(record("dropped", null, Cost.UNKNOWN));
        assertThat(log.dropped()).isEqualTo(5);
        assertThat(drops.get()).isEqualTo(5);
        release.countDown();
        log.close();
        String written = sink.toString(StandardCharsets.UTF_8);
        assertThat(written.lines().map(l -> JSON.readTree(l).get("request_id").asString()))
                .containsExactly("first", "q1", "q2");
    }

    @Test
    void open_off_writesNothing() throws IOException {
        try (AccessLog log = AccessLog.open(AccessLogConfig.off(), new GatewayMetrics())) {
            log.log(record("x", null, Cost.UNKNOWN));
            assertThat(log.dropped()).isZero();
        }
    }

    @Test
    void config_badShapes_nameTheField() {
        assertThatThrownBy(() -> new AccessLogConfig(AccessLogConfig.Destination.FILE, null, 0))
                .hasMessageContaining("access_log.file");
        assertThatThrownBy(() -> new AccessLogConfig(null, Path.of("x"), 0)).hasMessageContaining("destination");
        assertThatThrownBy(() -> new AccessLogConfig(null, null, -1)).hasMessageContaining("access_log.queue");
        assertThat(new AccessLogConfig(null, null, 0)).isEqualTo(AccessLogConfig.stdout());
    }

    @Test
    void occasionalWarning_firstThenEveryTenSecondsWithTheCount() {
        AtomicLong now = new AtomicLong(5);
        OccasionalWarning w = new OccasionalWarning(now::get);
        assertThat(w.count()).isEqualTo(1);
        now.addAndGet(1_000_000_000L);
        assertThat(w.count()).isEqualTo(-1);
        assertThat(w.count()).isEqualTo(-1);
        now.addAndGet(OccasionalWarning.EVERY_NANOS);
        assertThat(w.count()).isEqualTo(3);
    }
}
