package dev.llmlab.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExpositionTest {
    static String page(String name) {
        try (InputStream in = ExpositionTest.class.getResourceAsStream("pages/" + name)) {
            if (in == null) throw new IllegalArgumentException("no fixture " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Sample only(Exposition page, String name) {
        List<Sample> s =
                page.samples().stream().filter(x -> x.name().equals(name)).toList();
        assertThat(s).as(name).hasSize(1);
        return s.getFirst();
    }

    static <T extends MetricFamily> T family(Exposition page, String name, Class<T> type) {
        MetricFamily f = page.family(name).orElseThrow(() -> new AssertionError("no family " + name));
        assertThat(f).isInstanceOf(type);
        return type.cast(f);
    }

    @Test
    void parse_sampleLine_keepsNameLabelsValueAndTimestamp() {
        Exposition p = Exposition.parse("m { b = \"2\" , a=\"1\",} 3 1700000000000\n");
        Sample s = only(p, "m");
        assertThat(s.labels().asMap()).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
        assertThat(s.labels()).isEqualTo(Labels.of("b", "2", "a", "1"));
        assertThat(s.value()).isEqualTo(3.0);
        assertThat(s.timestamp()).isEqualTo(1.7e12);
        assertThat(Exposition.parse("m{} 4").samples().getFirst().labels()).isEqualTo(Labels.EMPTY);
        assertThat(Exposition.parse("m\t5").samples().getFirst().timestamp()).isNaN();
    }

    @Test
    void parse_numbers_goSpellingsAndExactDecimals() {
        Exposition p = Exposition.parse("""
        a +Inf
        b -Inf
        c NaN
        d 1.5e-3
        e -0.25
        f .5
        g Inf
        h 9223372036854775794
        i 9.223372036854776e+18
        j 0.1
        k 1e+22
        l 123456789012345678901234567890
        m -0
        n +infinity
        o 4.9e-324
        """);
        assertThat(p.samples())
                .extracting(Sample::value)
                .containsExactly(
                        Double.POSITIVE_INFINITY,
                        Double.NEGATIVE_INFINITY,
                        Double.NaN,
                        0.0015,
                        -0.25,
                        0.5,
                        Double.POSITIVE_INFINITY,
                        9.223372036854775807E18,
                        9.223372036854776e18,
                        0.1,
                        1e22,
                        1.2345678901234568e29,
                        -0.0,
                        Double.POSITIVE_INFINITY,
                        4.9e-324);
        assertThat(p.skippedLines()).isZero();
    }

    @Test
    void parse_numbers_agreeWithParseDouble_onRandomDecimals() {
        Random r = new Random(13);
        StringBuilder page = new StringBuilder();
        String[] texts = new String[5000];
        for (int i = 0; i < texts.length; i++) {
            StringBuilder t = new StringBuilder();
            if (r.nextBoolean()) t.append('-');
            t.append(r.nextInt(1_000_000));
            if (r.nextBoolean()) t.append('.').append(r.nextInt(1_000_000_000));
            if (r.nextInt(3) == 0)
                t.append('e').append(r.nextBoolean() ? "-" : "+").append(r.nextInt(30));
            texts[i] = t.toString();
            page.append("x{i=\"").append(i).append("\"} ").append(t).append('\n');
        }
        List<Sample> samples = Exposition.parse(page).samples();
        assertThat(samples).hasSize(texts.length);
        for (int i = 0; i < texts.length; i++) {
            assertThat(samples.get(i).value()).as(texts[i]).isEqualTo(Double.parseDouble(texts[i]));
        }
    }

    @Test
    void parse_escapedLabelValues_unescapeTheThreeEscapes_keepOthers() {
        Sample s = Exposition.parse("m{path=\"C:\\\\dir\\\\\",msg=\"say \\\"hi\\\"\\nbye\",odd=\"a\\tb\"} 1")
                .samples()
                .getFirst();
        assertThat(s.labels().get("path")).isEqualTo("C:\\dir\\");
        assertThat(s.labels().get("msg")).isEqualTo("say \"hi\"\nbye");
        assertThat(s.labels().get("odd")).isEqualTo("a\\tb");
    }

    @Test
    void parse_labelValuesMayHoldBracesCommasAndHashes() {
        Sample s = Exposition.parse("m{q=\"a,b}\",r=\"# not a comment\",} 2 1700000000000")
                .samples()
                .getFirst();
        assertThat(s.labels().get("q")).isEqualTo("a,b}");
        assertThat(s.labels().get("r")).isEqualTo("# not a comment");
        assertThat(s.value()).isEqualTo(2.0);
    }

    @Test
    void parse_skipsMalformedLines_countsThem_andKeepsTheRest() {
        Exposition p = Exposition.parse("""
        good 1
        no_value
        bad{unterminated="x 1
        bad{a="1"b="2"} 1
        bad{1a="x"} 1
        bad-name 1
        bad_value one
        bad_value 1.0d
        bad_value 0x10
        too many 1 2 3
        bad_ts 1 x
        bad_ts 1 NaN
        dup{a="1",a="2"} 1
        {} 1
        {"a","b"} 1
        also_good{x="y"} 2\r
        """);
        assertThat(p.samples()).extracting(Sample::name).containsExactly("good", "also_good");
        assertThat(p.skippedLines()).isEqualTo(14);
    }

    @Test
    void parse_notPrometheus_isEmpty() {
        assertThat(Exposition.parse("<html><body>Login</body></html>").isEmpty())
                .isTrue();
        assertThat(Exposition.parse("").isEmpty()).isTrue();
        assertThat(Exposition.parse(null).isEmpty()).isTrue();
        assertThat(Exposition.parse("{\"error\": \"not found\"}").isEmpty()).isTrue();
    }

    @Test
    void parse_neverThrows_onRandomText() {
        Random r = new Random(6);
        String alphabet = "ab_:{}\"=,\\# \n\t+-.e19InfNa_bucket le quantile TYPE HELP counter histogram";
        for (int i = 0; i < 5000; i++) {
            StringBuilder b = new StringBuilder();
            for (int j = r.nextInt(120); j > 0; j--) b.append(alphabet.charAt(r.nextInt(alphabet.length())));
            Exposition.parse(b.toString());
        }
    }

    @Test
    void families_typeAndHelp_counterNamedWithoutTotal_inBothFormats() {
        Exposition p = Exposition.parse("""
        # HELP a_total Things.
        # TYPE a_total counter
        a_total{x="1"} 3
        # TYPE b counter
        b_total 4
        b_created 1.5e9
        # TYPE c counter
        c 5
        """);
        MetricFamily.Scalar a = family(p, "a", MetricFamily.Scalar.class);
        assertThat(a.type()).isEqualTo(MetricType.COUNTER);
        assertThat(a.help()).isEqualTo("Things.");
        assertThat(a.points()).containsExactly(new Point(Labels.of("x", "1"), 3, Double.NaN));
        assertThat(p.family("a_total")).containsSame(a);
        assertThat(family(p, "b", MetricFamily.Scalar.class).points())
                .containsExactly(new Point(Labels.EMPTY, 4, 1.5e9));
        assertThat(family(p, "c", MetricFamily.Scalar.class).points().getFirst().value())
                .isEqualTo(5);
        assertThat(p.families()).extracting(MetricFamily::name).containsExactly("a", "b", "c");
    }

    @Test
    void families_histogram_groupsBucketsBySeries_sortsThem_andKeepsCountSumCreated() {
        Exposition p = Exposition.parse("""
        # TYPE h histogram
        h_bucket{m="x",le="1"} 2
        h_bucket{m="y",le="+Inf"} 1
        h_bucket{m="x",le="+Inf"} 5
        h_bucket{m="x",le="0.5"} 1
        h_count{m="x"} 5
        h_sum{m="x"} 3.5
        h_created{m="x"} 1.7e9
        h_bucket{m="z"} 1
        """);
        MetricFamily.Histogram h = family(p, "h", MetricFamily.Histogram.class);
        assertThat(h.points()).hasSize(2);
        HistogramPoint x = h.points().getFirst();
        assertThat(x.labels()).isEqualTo(Labels.of("m", "x"));
        assertThat(x.buckets())
                .containsExactly(
                        new HistogramPoint.Bucket(0.5, 1),
                        new HistogramPoint.Bucket(1, 2),
                        new HistogramPoint.Bucket(Double.POSITIVE_INFINITY, 5));
        assertThat(x.count()).isEqualTo(5);
        assertThat(x.sum()).isEqualTo(3.5);
        assertThat(x.created()).isEqualTo(1.7e9);
        assertThat(h.points().get(1).count()).isNaN();
        assertThat(p.skippedLines()).as("a bucket without le").isEqualTo(1);
    }

    @Test
    void families_untypedSamples_formFamiliesOfTheirOwnName() {
        Exposition p = Exposition.parse("""
        # TYPE g gauge
        g 1
        stray_bucket{le="1"} 2
        g 3
        """);
        assertThat(p.families()).extracting(MetricFamily::name).containsExactly("g", "stray_bucket");
        assertThat(family(p, "stray_bucket", MetricFamily.Scalar.class).type()).isEqualTo(MetricType.UNKNOWN);
        assertThat(family(p, "g", MetricFamily.Scalar.class).points())
                .as("a repeated series: the last value stands")
                .containsExactly(new Point(Labels.EMPTY, 3, Double.NaN));
    }

    @Test
    void families_declaredWithoutSeries_areKept() {
        Exposition p = Exposition.parse("# HELP vllm:num_requests_running x\n# TYPE vllm:num_requests_running gauge\n");
        assertThat(p.isEmpty()).isFalse();
        assertThat(family(p, "vllm:num_requests_running", MetricFamily.Scalar.class)
                        .points())
                .isEmpty();
    }

    @Test
    void value_findsOneSeriesByExactLabels_NaNWhenAbsent() {
        Exposition p = Exposition.parse("m{a=\"1\",b=\"2\"} 7\nm{a=\"1\"} 8\n");
        assertThat(p.value("m", "b", "2", "a", "1")).isEqualTo(7);
        assertThat(p.value("m", "a", "1")).isEqualTo(8);
        assertThat(p.value("m")).isNaN();
        assertThat(p.value("n", "a", "1")).isNaN();
    }

    @Test
    void openMetrics_page_everyTypeEofExemplarsCreatedUnitAndQuotedNames() {
        Exposition p = Exposition.parse(page("openmetrics.txt"));
        assertThat(p.skippedLines()).isZero();
        assertThat(p.openMetrics()).isTrue();
        assertThat(p.has("after_eof_is_not_read")).isFalse();
        MetricFamily.Scalar requests = family(p, "acme_http_requests", MetricFamily.Scalar.class);
        assertThat(requests.points()).containsExactly(new Point(Labels.of("code", "200"), 1027, 1395066300.123));
        assertThat(only(p, "acme_http_requests_total").timestamp()).isEqualTo(1395066363.0);
        MetricFamily.Histogram latency = family(p, "acme_latency_seconds", MetricFamily.Histogram.class);
        assertThat(latency.unit()).isEqualTo("seconds");
        assertThat(latency.points().getFirst().buckets())
                .extracting(HistogramPoint.Bucket::count)
                .containsExactly(8.0, 15.0, 17.0);
        assertThat(latency.points().getFirst().created()).isEqualTo(1520430000.123);
        MetricFamily.Histogram queue = family(p, "acme_queue_items", MetricFamily.Histogram.class);
        assertThat(queue.type()).isEqualTo(MetricType.GAUGE_HISTOGRAM);
        assertThat(queue.points().getFirst().count()).isEqualTo(5);
        assertThat(queue.points().getFirst().sum()).isEqualTo(41);
        MetricFamily.Summary rpc = family(p, "acme_rpc_seconds", MetricFamily.Summary.class);
        assertThat(rpc.points().getFirst().quantiles())
                .containsExactly(new SummaryPoint.Quantile(0.5, 0.0012), new SummaryPoint.Quantile(0.99, 0.025));
        MetricFamily.Scalar build = family(p, "acme_build", MetricFamily.Scalar.class);
        assertThat(build.type()).isEqualTo(MetricType.INFO);
        assertThat(build.points().getFirst().labels().get("version")).isEqualTo("1.2.3");
        assertThat(p.family("acme_build_info")).containsSame(build);
        MetricFamily.Scalar feature = family(p, "acme_feature", MetricFamily.Scalar.class);
        assertThat(feature.type()).isEqualTo(MetricType.STATESET);
        assertThat(feature.points()).hasSize(2);
        MetricFamily.Scalar depth = family(p, "acme.queue.depth", MetricFamily.Scalar.class);
        assertThat(depth.points()).containsExactly(new Point(Labels.of("region", "eu-west"), 4, Double.NaN));
    }

    @Test
    void edgeCases_page_keepsEveryLine_asRealServersWriteThem() {
        String text = page("edge-cases.txt");
        Exposition p = Exposition.parse(text);
        long sampleLines = text.lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .count();
        assertThat(p.skippedLines()).isZero();
        assertThat(p.samples()).hasSize((int) sampleLines);

        assertThat(family(p, "edge_requests", MetricFamily.Scalar.class)
                        .points()
                        .getFirst()
                        .value())
                .isEqualTo(1520);
        HistogramPoint noInf = family(p, "edge_latency_seconds", MetricFamily.Histogram.class)
                .points()
                .getFirst();
        assertThat(noInf.buckets()).hasSize(2);
        assertThat(noInf.total()).isEqualTo(10);
        SummaryPoint rpc = family(p, "edge_rpc_seconds", MetricFamily.Summary.class)
                .points()
                .getFirst();
        assertThat(rpc.labels()).isEqualTo(Labels.of("method", "decode"));
        assertThat(rpc.quantiles().get(1).value()).isNaN();
        assertThat(rpc.count()).isEqualTo(40211);
        assertThat(only(p, "edge_clock_hz").labels())
                .isEqualTo(Labels.of("gpu", "0", "UUID", "GPU-1", "device", "nvidia0"));
        Labels paths = only(p, "edge_paths").labels();
        assertThat(paths.get("path")).isEqualTo("C:\\dir\\");
        assertThat(paths.get("msg")).isEqualTo("say \"hi\"\nbye");
        assertThat(paths.get("q")).isEqualTo("a,b} # not a comment");
        assertThat(p.value("edge_values", "v", "nan")).isNaN();
        assertThat(p.value("edge_values", "v", "pinf")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(p.value("edge_values", "v", "ninf")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(p.value("edge_values", "v", "inf")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(family(p, "edge_tokens", MetricFamily.Scalar.class).points())
                .as("the _created gauge folded into its counter")
                .containsExactly(new Point(Labels.of("model_name", "m"), 99, 1.7193744051287868e9));
        assertThat(p.family("edge_tokens_created")).isEmpty();
        assertThat(p.value("edge_memory_temp", "gpu", "0")).isEqualTo(9.223372036854775807E18);
        assertThat(p.value("edge_memory_temp", "gpu", "1")).isEqualTo(9.223372036854775807E18);
        assertThat(only(p, "edge_stamped").timestamp()).isEqualTo(1.7e12);
        assertThat(family(p, "edge_untyped", MetricFamily.Scalar.class).type()).isEqualTo(MetricType.UNKNOWN);
    }

    @Test
    void labels_reusedFromThePreviousLine_areEqualStrings() {
        Exposition p =
                Exposition.parse("h_bucket{le=\"1\",model_name=\"m\"} 1\nh_bucket{le=\"2\",model_name=\"m\"} 2\n");
        Labels a = p.samples().get(0).labels();
        Labels b = p.samples().get(1).labels();
        assertThat(a.get("model_name")).isSameAs(b.get("model_name"));
        assertThat(a.get("le")).isEqualTo("1");
        assertThat(b.get("le")).isEqualTo("2");
    }

    @Test
    void split_prometheusFederation_givesEachTargetItsOwnTypedPage() {
        // real output of Prometheus 2.42's /federate: every series untyped, with job, instance and a timestamp
        Exposition federation = Exposition.parse(page("prometheus-2.42-federate.txt"));
        assertThat(federation.family("vllm:time_to_first_token_seconds")).isEmpty();
        Map<String, MetricType> types = Map.of(
                "vllm:time_to_first_token_seconds", MetricType.HISTOGRAM,
                "vllm:num_preemptions_total", MetricType.COUNTER,
                "vllm:num_requests_running", MetricType.GAUGE);

        Map<Labels, Exposition> pages = federation.split(List.of("job", "instance"), types);

        assertThat(pages.keySet())
                .containsExactly(
                        Labels.of("job", "sim", "instance", "replica-1"),
                        Labels.of("job", "sim", "instance", "replica-2"));
        Exposition one = pages.get(Labels.of("job", "sim", "instance", "replica-1"));
        assertThat(one.skippedLines()).isZero();
        MetricFamily ttft = one.family("vllm:time_to_first_token_seconds").orElseThrow();
        assertThat(ttft.type()).isEqualTo(MetricType.HISTOGRAM);
        List<HistogramPoint> points = ((MetricFamily.Histogram) ttft).points();
        assertThat(points).hasSize(1);
        HistogramPoint h = points.getFirst();
        assertThat(h.labels()).isEqualTo(Labels.of("model_name", "meta-llama/Llama-3.1-8B-Instruct"));
        assertThat(h.count()).isEqualTo(3);
        assertThat(h.buckets().getLast().count()).isEqualTo(3);
        assertThat(one.family("vllm:num_preemptions").orElseThrow().type()).isEqualTo(MetricType.COUNTER);
        assertThat(one.value("up", Labels.EMPTY)).isEqualTo(1);
        assertThat(only(one, "up").timestamp()).isEqualTo(1796685768810d);
        // and the kind reads it as it would the replica's own page
        ServerReading r = ServerKind.detect(one).read(one);
        assertThat(r.kind()).isEqualTo(ServerKind.VLLM);
        assertThat(r.histograms(Quantity.TTFT)).hasSize(1);
    }
}
