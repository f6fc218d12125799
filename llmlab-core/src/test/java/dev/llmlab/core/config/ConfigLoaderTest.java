package dev.llmlab.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.llmlab.core.config.TestConfigs.Item;
import dev.llmlab.core.config.TestConfigs.Mode;
import dev.llmlab.core.config.TestConfigs.Model;
import dev.llmlab.core.config.TestConfigs.Root;
import dev.llmlab.core.config.TestConfigs.SimConfig;
import dev.llmlab.core.dist.Distributions;
import dev.llmlab.core.dist.Distributions.Unit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {

    private static final String VALID = """
            server:
              host: localhost
              port: 8080
              idle_timeout: 30s
            time_scale: 1.5
            mode: Engine
            models:
              - name: small
                ttft: lognormal(p50=80ms,p99=300ms)
                itl: 20ms
                output_tokens: uniform(min=10, max=100)
                extra_lengths: [128, "fixed(value=3)"]
                timeouts: {connect: 5s, read: 1m}
              - name: big
                ttft: empirical(p50=200ms,p90=400ms,p99=1s)
            """;

    @Test
    void parse_validDocument_bindsEverything() {
        SimConfig c = ConfigLoader.parse(VALID, "sim.yaml", SimConfig.class);

        assertThat(c.server().host()).isEqualTo("localhost");
        assertThat(c.server().port()).isEqualTo(8080);
        assertThat(c.server().idleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.timeScale()).isEqualTo(1.5);
        assertThat(c.mode()).isEqualTo(Mode.ENGINE);
        assertThat(c.models()).hasSize(2);
        Model small = c.models().getFirst();
        assertThat(small.ttft()).isEqualTo(Distributions.parse("lognormal(p50=80ms,p99=300ms)", Unit.SECONDS));
        assertThat(small.itl().mean()).isEqualTo(0.020);
        assertThat(small.outputTokens()).isEqualTo(Distributions.uniform(10, 100));
        assertThat(small.extraLengths()).containsExactly(Distributions.fixed(128), Distributions.fixed(3));
        assertThat(small.timeouts()).isEqualTo(Map.of("connect", Duration.ofSeconds(5), "read", Duration.ofMinutes(1)));
        assertThat(c.models().get(1).ttft().describe()).isEqualTo("empirical(p50=200ms,p90=400ms,p99=1s)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "---\n", "null\n", "# only a comment\n"})
    void parse_emptyDocument_bindsLikeEmptyMapping(String yaml) {
        SimConfig c = ConfigLoader.parse(yaml, "sim.yaml", SimConfig.class);
        assertThat(c.server()).isNull();
        assertThat(c.models()).isEmpty();
        assertThat(c.timeScale()).isZero();
    }

    @Test
    void parse_unknownKey_pointsAtKeyAndListsValidOnes() {
        ConfigException e = error("""
                server:
                  host: localhost
                  prot: 8080
                """);
        assertLocated(e, 3, 3, "server.prot");
        assertThat(e.problem())
                .isEqualTo("unknown key \"prot\" (did you mean \"port\"?); valid keys: host, idle_timeout, port");
        assertThat(e).hasMessage("sim.yaml:3:3: server.prot: " + e.problem());
    }

    @Test
    void parse_unknownKeyInListElement_pointsAtKey() {
        ConfigException e = error("""
                models:
                  - name: a
                  - name: b
                  - name: c
                    colour: red
                """);
        assertLocated(e, 5, 5, "models[2].colour");
        assertThat(e.problem()).startsWith("unknown key \"colour\"; valid keys: extra_lengths, itl, name,");
    }

    @Test
    void parse_wrongType_pointsAtValue() {
        ConfigException e = error("""
                server:
                  host: localhost
                  port: eighty
                """);
        assertLocated(e, 3, 9, "server.port");
        assertThat(e.problem()).isEqualTo("expected an integer, got \"eighty\"");
    }

    @Test
    void parse_fractionForInteger_isRejected() {
        ConfigException e = error("server:\n  port: 80.5\n");
        assertLocated(e, 2, 9, "server.port");
        assertThat(e.problem()).isEqualTo("expected an integer, got \"80.5\"");
    }

    @Test
    void parse_scalarForList_isRejected() {
        ConfigException e = error("time_scale: 1\nmodels: small\n");
        assertLocated(e, 2, 9, "models");
        assertThat(e.problem()).isEqualTo("expected a list, got a string");
    }

    @Test
    void parse_listForRecord_isRejected() {
        ConfigException e = error("server: [a, b]\n");
        assertLocated(e, 1, 9, "server");
        assertThat(e.problem()).isEqualTo("expected a mapping (Server), got a list");
    }

    @Test
    void parse_badEnum_listsValues() {
        ConfigException e = error("mode: turbo\n");
        assertLocated(e, 1, 7, "mode");
        assertThat(e.problem()).isEqualTo("expected one of profile, engine, got \"turbo\"");
    }

    @Test
    void parse_nullForPrimitive_isRejected() {
        ConfigException e = error("server:\n  port:\n");
        assertThat(e.field()).isEqualTo("server.port");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.problem()).isEqualTo("expected an integer, got null");
    }

    @Test
    void parse_badDuration_explainsForm() {
        ConfigException e = error("""
                server:
                  idle_timeout: 30
                """);
        assertLocated(e, 2, 17, "server.idle_timeout");
        assertThat(e.problem())
                .startsWith("invalid duration \"30\": missing unit; expected a non-negative number followed by a unit");
    }

    @Test
    void parse_badDurationInMap_namesKey() {
        ConfigException e = error("""
                models:
                  - name: a
                    timeouts:
                      connect: 5s
                      read: soon
                """);
        assertLocated(e, 5, 13, "models[0].timeouts.read");
        assertThat(e.problem()).startsWith("invalid duration \"soon\"");
    }

    @Test
    void parse_badDistribution_pointsAtSpec() {
        ConfigException e = error("""
                models:
                  - name: a
                  - name: b
                  - name: c
                    ttft: lognormal(p50=80ms, p99=30ms)
                """);
        assertLocated(e, 5, 11, "models[2].ttft");
        assertThat(e.problem())
                .isEqualTo(
                        "invalid distribution spec \"lognormal(p50=80ms, p99=30ms)\": p99 (30ms) must be >= p50 (80ms)");
        assertThat(e).hasMessage("sim.yaml:5:11: models[2].ttft: " + e.problem());
    }

    @Test
    void parse_durationInCountDistribution_isRejected() {
        ConfigException e = error("""
                models:
                  - name: a
                    output_tokens: 20ms
                """);
        assertLocated(e, 3, 20, "models[0].output_tokens");
        assertThat(e.problem()).contains("value: expected a plain number, got \"20ms\"");
    }

    @Test
    void parse_badElementOfAnnotatedList_namesIndex() {
        ConfigException e = error("""
                models:
                  - name: a
                    extra_lengths:
                      - 5
                      - 7s
                """);
        assertLocated(e, 5, 9, "models[0].extra_lengths[1]");
    }

    @Test
    void parse_mappingForDistribution_isRejected() {
        ConfigException e = error("""
                models:
                  - name: a
                    ttft: {p50: 80ms}
                """);
        assertLocated(e, 3, 11, "models[0].ttft");
        assertThat(e.problem())
                .isEqualTo("expected a distribution spec: a value or kind(param=value,...), got a mapping");
    }

    @Test
    void parse_constructorRejectsNamedField_pointsAtThatField() {
        ConfigException e = error("""
                server:
                  host: localhost
                  port: 70000
                """);
        assertLocated(e, 3, 9, "server.port");
        assertThat(e.problem()).isEqualTo("port must be in 0..65535, got 70000");
        assertThat(e.getCause()).hasRootCauseInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parse_constructorRejectsTopLevelField_pointsAtIt() {
        ConfigException e = error("""
                models: []
                time_scale: -2
                """);
        assertLocated(e, 2, 13, "time_scale");
        assertThat(e.problem()).isEqualTo("time_scale must be >= 0, got -2.0");
    }

    @Test
    void parse_constructorRequiresAbsentField_pointsAtObject() {
        ConfigException e = error("""
                models:
                  - name: a
                  - ttft: 10ms
                    itl: 1ms
                """);
        assertLocated(e, 3, 5, "models[1].name");
        assertThat(e.problem()).isEqualTo("name is required");
    }

    @Test
    void parse_constructorMessageMentionsFields_pointsAtFirstMentioned() {
        ConfigException e = error("""
                server:
                  port: 1
                models:
                  - name: a
                    ttft: 1ms
                    itl: 10ms
                """);
        assertLocated(e, 5, 11, "models[0].ttft");
        assertThat(e.problem()).isEqualTo("a model whose ttft is below its itl is implausible");
    }

    @Test
    void parse_constructorRejectsObjectIntroducedByKey_pointsAtKey() {
        ConfigException e = catchThrowableOfType(
                ConfigException.class,
                () -> ConfigLoader.parse("name: x\nlimits:\n  min: 5\n  max: 1\n", "r.yaml", Root.class));
        assertLocated(e, 2, 1, "limits");
        assertThat(e).hasMessage("r.yaml:2:1: limits: the lower bound exceeds the upper bound");
    }

    @Test
    void parse_syntaxError_pointsAtProblem() {
        ConfigException e = error("""
                server:
                 port: 1
                  host: x
                """);
        assertLocated(e, 3, 7, "");
        assertThat(e.problem()).isEqualTo("invalid YAML: mapping values are not allowed here");
        assertThat(e).hasMessage("sim.yaml:3:7: invalid YAML: mapping values are not allowed here");
    }

    @Test
    void parse_unclosedFlowSequence_saysWhereItStarted() {
        ConfigException e = error("server:\n  port: [1\n");
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.problem())
                .isEqualTo(
                        "invalid YAML: expected ',' or ']', but got <stream end> (while parsing a flow sequence started at line 2, column 9)");
    }

    @Test
    void parse_duplicateKey_isRejected() {
        ConfigException e = error("""
                server:
                  port: 1
                  port: 2
                """);
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.problem()).contains("Duplicate").contains("\"port\"");
    }

    @Test
    void load_file_bindsAndNamesFileInErrors(@TempDir Path dir) throws IOException {
        Path good = Files.writeString(dir.resolve("good.yaml"), VALID);
        assertThat(ConfigLoader.load(good, SimConfig.class).models()).hasSize(2);

        Path bad = Files.writeString(dir.resolve("bad.yaml"), "server:\n  port: x\n");
        assertThatThrownBy(() -> ConfigLoader.load(bad, SimConfig.class))
                .isInstanceOf(ConfigException.class)
                .hasMessage(bad + ":2:9: server.port: expected an integer, got \"x\"");
    }

    @Test
    void load_missingFile_namesPath(@TempDir Path dir) {
        Path missing = dir.resolve("missing.yaml");
        ConfigException e =
                catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(missing, SimConfig.class));
        assertThat(e.source()).isEqualTo(missing.toString());
        assertThat(e.line()).isZero();
        assertThat(e.column()).isZero();
        assertThat(e.field()).isEmpty();
        assertThat(e).hasMessageStartingWith(missing + ": no such file");
    }

    @Test
    void load_directory_isRejected(@TempDir Path dir) {
        assertThatThrownBy(() -> ConfigLoader.load(dir, SimConfig.class))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(dir.toString());
    }

    @Test
    void configException_leavesOutUnknownParts() {
        assertThat(new ConfigException("a.yaml", 0, 0, "", "boom", null)).hasMessage("a.yaml: boom");
        assertThat(new ConfigException("a.yaml", 3, 0, "x", "boom", null)).hasMessage("a.yaml:3: x: boom");
        assertThat(new ConfigException("a.yaml", 3, 4, "x.y[1]", "boom", null)).hasMessage("a.yaml:3:4: x.y[1]: boom");
    }

    @Test
    void snakeCase_matchesJacksonNaming() {
        assertThat(ConfigLoader.snakeCase("timeScale")).isEqualTo("time_scale");
        assertThat(ConfigLoader.snakeCase("outputTokens")).isEqualTo("output_tokens");
        assertThat(ConfigLoader.snakeCase("name")).isEqualTo("name");
        assertThat(Suggestions.editDistance("prot", "port")).isEqualTo(1);
    }

    @Test
    void parse_listRoot_isRejected() {
        ConfigException e = catchThrowableOfType(
                ConfigException.class, () -> ConfigLoader.parse("- a\n- b\n", "l.yaml", Item.class));
        assertLocated(e, 1, 1, "");
        assertThat(e.problem()).isEqualTo("expected a mapping (Item), got a list");
        assertThat(List.of(e.getMessage())).containsExactly("l.yaml:1:1: expected a mapping (Item), got a list");
    }

    private static ConfigException error(String yaml) {
        ConfigException e = catchThrowableOfType(
                ConfigException.class, () -> ConfigLoader.parse(yaml, "sim.yaml", SimConfig.class));
        assertThat(e).as("expected a ConfigException").isNotNull();
        assertThat(e.source()).isEqualTo("sim.yaml");
        return e;
    }

    private static void assertLocated(ConfigException e, int line, int column, String field) {
        assertThat(e).as("expected a ConfigException").isNotNull();
        assertThat(e.field()).as("field of: %s", e.getMessage()).isEqualTo(field);
        assertThat(e.line()).as("line of: %s", e.getMessage()).isEqualTo(line);
        assertThat(e.column()).as("column of: %s", e.getMessage()).isEqualTo(column);
    }
}
