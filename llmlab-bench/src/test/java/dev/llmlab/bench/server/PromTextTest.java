package dev.llmlab.bench.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.bench.server.PromText.Exposition;
import dev.llmlab.bench.server.PromText.Sample;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PromTextTest {
    static String golden(String name) {
        try (InputStream in = PromTextTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Sample only(Exposition page, String name) {
        return page.samples().stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void parse_vllmPage_keepsEverySeriesWithItsLabels() {
        Exposition page = PromText.parse(golden("vllm-v1.txt"));
        assertThat(page.samples()).hasSize(24);
        assertThat(page.families()).contains("vllm:num_requests_running", "python_gc_objects_collected_total");
        Sample s = page.samples().stream()
                .filter(x -> x.name().equals("vllm:num_requests_running")
                        && x.labels().get("engine").equals("1"))
                .findFirst()
                .orElseThrow();
        assertThat(s.labels())
                .containsExactly(Map.entry("engine", "1"), Map.entry("model_name", "meta-llama/Llama-3.1-8B-Instruct"));
        assertThat(s.value()).isEqualTo(5.0);
        assertThat(s.timestamp()).isNull();
        assertThat(only(page, "process_resident_memory_bytes").value()).isEqualTo(2147483648.0);
        assertThat(only(page, "vllm:cache_config_info").labels()).containsEntry("num_gpu_blocks", "27536");
    }

    @Test
    void parse_infinitiesNaNAndExponents() {
        Exposition page = PromText.parse("""
        a{le="+Inf"} +Inf
        b -Inf
        c NaN
        d 1.5e-3
        e -0.25
        f .5
        g Inf
        """);
        assertThat(page.samples())
                .extracting(Sample::value)
                .containsExactly(
                        Double.POSITIVE_INFINITY,
                        Double.NEGATIVE_INFINITY,
                        Double.NaN,
                        0.0015,
                        -0.25,
                        0.5,
                        Double.POSITIVE_INFINITY);
        assertThat(only(page, "a").labels()).containsEntry("le", "+Inf");
    }

    @Test
    void parse_escapedLabelValues() {
        Sample s = PromText.sample("m{path=\"C:\\\\dir\\\\\",msg=\"say \\\"hi\\\"\\nbye\",odd=\"a\\tb\"} 1");
        assertThat(s.labels())
                .containsEntry("path", "C:\\dir\\")
                .containsEntry("msg", "say \"hi\"\nbye")
                .containsEntry("odd", "a\\tb");
    }

    @Test
    void parse_labelValuesMayHoldBracesCommasAndHashes() {
        Sample s = PromText.sample("m{q=\"a,b}\",r=\"# not a comment\",} 2 1700000000000");
        assertThat(s.labels()).containsEntry("q", "a,b}").containsEntry("r", "# not a comment");
        assertThat(s.value()).isEqualTo(2.0);
        assertThat(s.timestamp()).isEqualTo(1.7e12);
    }

    @Test
    void parse_whitespaceAndEmptyLabelSets() {
        assertThat(PromText.sample("m { a = \"1\" , b=\"2\" }   3").labels())
                .containsEntry("a", "1")
                .containsEntry("b", "2");
        assertThat(PromText.sample("m{} 4").labels()).isEmpty();
        assertThat(PromText.sample("m\t5").value()).isEqualTo(5.0);
    }

    @Test
    void parse_openMetrics_eofExemplarsCreatedAndQuotedNames() {
        Exposition page = PromText.parse(golden("openmetrics.txt"));
        assertThat(page.families()).contains("acme_http_requests", "acme.queue.depth");
        assertThat(only(page, "acme_http_requests_total").timestamp()).isEqualTo(1395066363.0);
        assertThat(page.samples().stream().filter(s -> s.name().equals("acme_latency_seconds_bucket")))
                .extracting(Sample::value)
                .containsExactly(8.0, 17.0);
        Sample q = only(page, "acme.queue.depth");
        assertThat(q.labels()).containsExactly(Map.entry("region", "eu-west"));
        assertThat(q.value()).isEqualTo(4.0);
        assertThat(page.samples()).hasSize(7);
    }

    @Test
    void parse_skipsMalformedLinesAndKeepsTheRest() {
        Exposition page = PromText.parse("""
        good 1
        no_value
        bad{unterminated="x 1
        bad{a="1"b="2"} 1
        bad{1a="x"} 1
        bad-name 1
        bad_value one
        bad_value 1.0d
        too many 1 2 3
        bad_ts 1 x
        {} 1
        {"a","b"} 1
        also_good{x="y"} 2\r
        """);
        assertThat(page.samples()).extracting(Sample::name).containsExactly("good", "also_good");
    }

    @Test
    void parse_notPrometheus_isEmpty() {
        assertThat(PromText.parse("<html><body>Login</body></html>").isEmpty()).isTrue();
        assertThat(PromText.parse("").isEmpty()).isTrue();
        assertThat(PromText.parse("{\"error\": \"not found\"}").isEmpty()).isTrue();
    }

    @Test
    void parse_neverThrows_onRandomBytes() {
        Random r = new Random(6);
        String alphabet = "ab_:{}\"=,\\# \n\t+-.e19InfNa";
        for (int i = 0; i < 2000; i++) {
            StringBuilder b = new StringBuilder();
            for (int j = r.nextInt(80); j > 0; j--) b.append(alphabet.charAt(r.nextInt(alphabet.length())));
            PromText.parse(b.toString());
        }
    }
}
