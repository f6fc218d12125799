package dev.llmlab.bench.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class ResultJsonTest {
    /** Results written by schema version 1 (the code before the result was typed), one of each kind. */
    static final List<String> V1 = List.of(
            "run", "baseline", "shard-0", "shard-1", "merged", "sweep", "slo-search", "breaking-point", "stress");

    static final JsonMapper RAW = JsonMapper.builder().build();

    @TempDir
    Path dir;

    static String v1(String name) {
        try (InputStream in = ResultJsonTest.class.getResourceAsStream("v1/" + name + ".json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new AssertionError("missing fixture " + name, e);
        }
    }

    /**
     * A version-1 tree as version 2 writes the same result: the documented changes applied
     * (docs/bench.md: plain token counts as numbers), and nothing else.
     */
    static JsonNode asVersion2(JsonNode v1) {
        ObjectNode r = (ObjectNode) v1.deepCopy();
        r.put("schema_version", 2);
        ObjectNode config = (ObjectNode) r.get("config");
        for (String f : List.of("input_tokens", "output_tokens")) {
            JsonNode n = config.get(f);
            if (n != null && n.isString() && n.asString().strip().matches("[0-9]+"))
                config.put(f, Integer.parseInt(n.asString().strip()));
        }
        addedSince(r);
        return r;
    }

    /** Fields added since version 1 (new fields may appear at any version): a run then abandoned nothing, it waited. */
    static void addedSince(JsonNode n) {
        if (n.isObject()) {
            ObjectNode o = (ObjectNode) n;
            if (o.get("summary") instanceof ObjectNode s && !s.has("requests_abandoned")) {
                ObjectNode ordered = s.objectNode();
                for (String k : s.propertyNames()) {
                    ordered.set(k, s.get(k));
                    if (k.equals("requests_failed")) ordered.put("requests_abandoned", 0);
                }
                o.set("summary", ordered);
            }
            for (String k : o.propertyNames()) addedSince(o.get(k));
        } else if (n.isArray()) {
            for (JsonNode e : n) addedSince(e);
        }
    }

    /** Where two trees differ, by path: a field one lacks, or a value that is not the same. */
    static void diff(JsonNode expected, JsonNode actual, String at, List<String> out) {
        if (expected.isObject() && actual.isObject()) {
            for (String k : expected.propertyNames()) if (!actual.has(k)) out.add(at + "/" + k + " missing");
            for (String k : actual.propertyNames()) {
                if (!expected.has(k)) out.add(at + "/" + k + " added");
                else diff(expected.get(k), actual.get(k), at + "/" + k, out);
            }
        } else if (expected.isArray() && actual.isArray() && expected.size() == actual.size()) {
            for (int i = 0; i < expected.size(); i++) diff(expected.get(i), actual.get(i), at + "/" + i, out);
        } else if (!expected.equals(actual)) {
            out.add(at + ": " + expected + " became " + actual);
        }
    }

    @Test
    void read_everyVersion1Result_keepsEveryFieldButTheDocumentedChanges() throws IOException {
        for (String name : V1) {
            Path f = Files.writeString(dir.resolve(name + ".json"), v1(name));
            BenchResult r = ResultJson.read(f);
            assertThat(r.schemaVersion()).as(name).isEqualTo(1);
            List<String> differences = new java.util.ArrayList<>();
            diff(asVersion2(RAW.readTree(v1(name))), RAW.readTree(ResultJson.write(r)), "", differences);
            assertThat(differences).as(name).isEmpty();
        }
    }

    @Test
    void read_version1_givesTheFiguresTheFileHolds() {
        BenchResult run = ResultJson.parse(v1("run"));
        JsonNode raw = RAW.readTree(v1("run"));
        assertThat(run.summary().requestsCompleted())
                .isEqualTo(raw.get("summary").get("requests_completed").asLong())
                .isPositive();
        assertThat(run.metric("ttft").p99())
                .isEqualTo(raw.get("metrics").get("ttft").get("p99").asDouble());
        assertThat(Stats.decode(run.metric("ttft").histogram()).getTotalCount())
                .isEqualTo(run.metric("ttft").count());
        assertThat(run.config().mode()).isEqualTo(RunConfig.Mode.OPEN);
        assertThat(run.config().inputTokens()).isEqualTo("128");
        assertThat(run.config().outputTokens()).isNull();
        assertThat(run.slo().targets())
                .extracting(SloVerdict.Target::kind)
                .containsExactly(
                        SloVerdict.Kind.PERCENTILE,
                        SloVerdict.Kind.PERCENTILE,
                        SloVerdict.Kind.ERROR_RATE,
                        SloVerdict.Kind.MINIMUM,
                        SloVerdict.Kind.RANGE);
        assertThat(run.slo().targets().get(3).confidence()).isNaN(); // null in the file
        assertThat(run.slo().targets().get(3).samples()).isNull(); // absent in the file
        assertThat(run.server().sources().getFirst().samples()).isNotEmpty();
        assertThat(run.timeseries().getFirst().targetRate()).isNotNull(); // an open loop's offered load
        assertThat(run.energy().available()).isFalse();

        Sweep search = ResultJson.parse(v1("slo-search")).sweep();
        assertThat(search.kind()).isEqualTo(Sweep.Kind.SLO_SEARCH);
        assertThat(search.axis()).isEqualTo(LoadAxis.CONCURRENCY);
        assertThat(search.points()).extracting(Sweep.Point::concurrency).containsExactly(1, 2, 4);
        assertThat(search.points().getFirst().rate()).isNaN();
        assertThat(search.answer().maxPassing()).isEqualTo(4.0);
        assertThat(search.answer().firstFailing()).isNaN();
        BenchResult sweep = ResultJson.parse(v1("sweep"));
        assertThat(sweep.config().inputTokens()).isEqualTo("128"); // a number in version 1's scenarios
        assertThat(sweep.config().scenario()).isEqualTo(Sweep.Kind.SWEEP);
        Stress stress = ResultJson.parse(v1("stress")).stress();
        assertThat(stress.params()).containsEntry("peak_rate", 40);
        assertThat(stress.bursts())
                .hasSize(2)
                .allSatisfy(b -> assertThat(b.recovered()).isFalse());
        BenchResult merged = ResultJson.parse(v1("merged"));
        assertThat(merged.config().mergedShards()).containsExactly("0/2", "1/2");
        assertThat(ResultJson.parse(v1("baseline")).baseline().regressed()).isEqualTo(1);
    }

    @Test
    void writeReadWrite_isIdentical() {
        for (String name : V1) {
            String once = ResultJson.write(ResultJson.parse(v1(name)));
            BenchResult back = ResultJson.parse(once);
            assertThat(ResultJson.write(back)).as(name).isEqualTo(once);
            assertThat(back.schemaVersion()).isEqualTo(ResultJson.SCHEMA_VERSION); // written in the current layout
        }
    }

    @Test
    void aResultBuiltInCode_roundTripsEveryKindOfField() {
        Map<String, Stats> metrics = Map.of("ttft", new Stats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null));
        BenchResult r = BenchResult.run(
                        RunConfig.builder()
                                .inputTokens("uniform(min=1,max=9)")
                                .outputTokens("64")
                                .mode(RunConfig.Mode.STRESS)
                                .mergedFrom(List.of("0/2", "-"))
                                .build(),
                        new Environment(
                                "v", "jdk", "os", 2, "cpu", 1, JsonNodeFactory.instance.stringNode("unavailable")),
                        new Summary(
                                1,
                                0,
                                0,
                                1,
                                1,
                                1,
                                1,
                                Double.NaN,
                                List.of(),
                                true,
                                null,
                                null,
                                0,
                                0,
                                Map.of(),
                                List.of(),
                                Summary.ScheduleLag.NONE,
                                1,
                                1),
                        metrics,
                        List.of(new Second(0, 1, 1, 0, 5, 5, null, Double.NaN, Double.NaN, null, null, null)))
                .withEnergy(Energy.measured(List.of("rapl:package-0"), 1, 1, Double.NaN, 1))
                .withServer(new Server(List.of(new Server.Source(
                        "http://x/metrics", "vllm", null, List.of(new Server.Sample(0.5, 3, 0.5, Double.NaN))))));
        String json = ResultJson.write(r);
        JsonNode tree = RAW.readTree(json);
        assertThat(tree.get("schema_version").asInt()).isEqualTo(ResultJson.SCHEMA_VERSION);
        assertThat(tree.get("config").get("input_tokens").asString()).isEqualTo("uniform(min=1,max=9)");
        assertThat(tree.get("config").get("output_tokens").isIntegralNumber()).isTrue();
        assertThat(tree.get("config").get("mode").asString()).isEqualTo("stress");
        assertThat(tree.get("config").has("scenario")).isFalse();
        assertThat(tree.get("summary").get("goodput").isNull()).isTrue();
        assertThat(tree.get("metrics").get("ttft").get("unit").asString()).isEqualTo("ms");
        assertThat(tree.get("timeseries").get(0).has("target_rate")).isFalse();
        assertThat(tree.get("timeseries").get(0).get("e2e_p50").isNull()).isTrue();
        // present but unknown is null; a part the result lacks is left out
        assertThat(tree.get("energy").get("joules_per_output_token").isNull()).isTrue();
        assertThat(tree.has("slo")).isFalse();
        JsonNode sample =
                tree.get("server").get("sources").get(0).get("samples").get(0);
        assertThat(sample.get("running").isIntegralNumber()).isTrue(); // a count of requests
        assertThat(sample.get("waiting").asDouble()).isEqualTo(0.5);
        assertThat(sample.get("kv_cache_usage").isNull()).isTrue();
        BenchResult back = ResultJson.parse(json);
        assertThat(back).isEqualTo(r);
        assertThat(ResultJson.write(back)).isEqualTo(json);
    }

    @Test
    void aPartialFile_reads_withWhatItLacksAbsentOrNaN() {
        BenchResult r = ResultJson.parse("""
                {"config": {"input_tokens": 1000, "output_tokens": 200, "seconds_per_point": 30, "time_scale": 0.1},
                 "sweep": {"points": [{"rate_achieved": 0.93, "rate_target": 0.92,
                                       "metrics": {"ttft": {"mean": 130.8}, "tpot": {"mean": 16.4}}}]}}""");
        assertThat(r.schemaVersion()).isZero();
        assertThat(r.summary()).isNull();
        assertThat(r.metrics()).isEmpty();
        assertThat(r.config().secondsPerPoint()).isEqualTo(30.0);
        assertThat(r.config().rate()).isNaN();
        Sweep.Point p = r.sweep().points().getFirst();
        assertThat(p.metric("ttft").mean()).isEqualTo(130.8);
        assertThat(p.metric("ttft").p99()).isNaN();
        assertThat(p.rate()).isNaN();
    }

    @Test
    void badFiles_sayWhereAndWhat_inTheJsonsNames() throws IOException {
        assertThatThrownBy(() -> ResultJson.read(dir.resolve("none.json"))).hasMessageContaining("cannot read");
        Path bad = Files.writeString(dir.resolve("bad.json"), "{not json");
        assertThatThrownBy(() -> ResultJson.read(bad)).hasMessageStartingWith(bad + " is not JSON");
        Path other = Files.writeString(dir.resolve("other.json"), "{\"a\": 1}");
        assertThatThrownBy(() -> ResultJson.read(other)).hasMessageContaining("not an llmlab bench result");
        Path empty = Files.writeString(dir.resolve("empty.json"), "");
        assertThatThrownBy(() -> ResultJson.read(empty)).hasMessageContaining("is not JSON");
        Path list = Files.writeString(dir.resolve("list.json"), "[1, 2]");
        assertThatThrownBy(() -> ResultJson.read(list)).hasMessage(list + ": the result: expected an object");

        assertThatThrownBy(() -> ResultJson.parse("{\"summary\": {\"requests_completed\": \"many\"}}"))
                .hasMessage("summary.requests_completed: expected a whole number");
        assertThatThrownBy(() -> ResultJson.parse("{\"metrics\": {\"ttft\": {\"p50\": \"fast\"}}}"))
                .hasMessage("metrics.ttft.p50: expected a number");
        assertThatThrownBy(() -> ResultJson.parse("{\"sweep\": {\"kind\": \"grid\"}}"))
                .hasMessage("sweep.kind: unknown value 'grid'");
        assertThatThrownBy(() -> ResultJson.parse("{\"sweep\": {\"points\": [{}, {\"failed_on\": 3}]}}"))
                .hasMessage("sweep.points[1].failed_on: expected a list");
        assertThatThrownBy(() -> ResultJson.parse("{\"summary\": {\"requests_failed\": -1}}"))
                .hasMessage("summary: request counts must not be negative");
        assertThatThrownBy(() -> ResultJson.parse("{\"energy\": {\"available\": true}}"))
                .hasMessageStartingWith("energy: a measured energy needs");
        assertThatThrownBy(() -> ResultJson.parse("{\"schema_version\": 3}"))
                .hasMessageContaining("schema version 3, newer than this llmlab reads (2)");
    }
}
