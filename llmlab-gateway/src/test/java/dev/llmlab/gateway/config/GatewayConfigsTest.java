package dev.llmlab.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.core.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayConfigsTest {
    @TempDir
    Path dir;

    private static final Map<String, String> ENV = Map.of(
            "OPENAI_KEY_1", "sk-one", "OPENAI_KEY_2", "sk-two", "TEAM_A", "team-a-secret", "ANTHROPIC_KEY", "sk-ant");

    private GatewayConfig load(String yaml) throws Exception {
        Path f = dir.resolve("gateway.yaml");
        Files.writeString(f, yaml);
        return GatewayConfigs.load(f, ENV::get);
    }

    private ConfigException error(String yaml) throws Exception {
        Path f = dir.resolve("gateway.yaml");
        Files.writeString(f, yaml);
        try {
            GatewayConfigs.load(f, ENV::get);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("no error for:\n" + yaml);
    }

    static final String EXAMPLE = """
            server: {port: 4100}
            client_keys:
              - {name: team-a, key: "${TEAM_A}"}
            routes:
              - name: gpt-4o
                strategy: weighted
                sticky: x-session-id
                fallbacks: [claude]
                deployments:
                  - provider: openai
                    model: gpt-4o-2024-08-06
                    weight: 3
                    keys:
                      - {key: "${OPENAI_KEY_1}", rpm: 500}
                      - {key: "${OPENAI_KEY_2}"}
                  - provider: azure-openai
                    base_url: https://example.openai.azure.com
                    api_version: 2024-10-21
                    model: gpt-4o
              - name: claude
                deployments:
                  - {provider: anthropic, model: claude-sonnet-4-5, keys: [{key: "${ANTHROPIC_KEY}"}]}
              - name: fast
                alias: gpt-4o
              - name: "openai/*"
                deployments:
                  - {provider: openai}
            retry: {attempts: 3, deadline: 30s}
            """;

    @Test
    void load_anExample_bindsItWithDefaults() throws Exception {
        GatewayConfig c = load(EXAMPLE);
        assertThat(c.server().port()).isEqualTo(4100);
        assertThat(c.server().host()).isEqualTo("0.0.0.0");
        assertThat(c.timeouts().firstByte()).isEqualTo(Duration.ofSeconds(600));
        assertThat(c.routes()).hasSize(4);
        RouteConfig gpt = c.routes().getFirst();
        assertThat(gpt.deployments().getFirst().keys().get(1).key().reveal()).isEqualTo("sk-two");
        assertThat(gpt.deployments().getFirst().weight()).isEqualTo(3);
        assertThat(gpt.deployments().get(1).weight()).isEqualTo(1);
        assertThat(c.retry().attempts()).isEqualTo(3);
        assertThat(c.retry().budget()).isEqualTo(0.2);
        assertThat(c.breaker().enabled()).isTrue();
    }

    @Test
    void print_showsTheConfig_withEverySecretRedacted() throws Exception {
        String printed = GatewayConfigs.print(load(EXAMPLE));
        assertThat(printed)
                .contains("gpt-4o-2024-08-06")
                .contains("first_byte: \"10m\"")
                .contains("<redacted>")
                .doesNotContain("sk-one")
                .doesNotContain("sk-two")
                .doesNotContain("team-a-secret")
                .doesNotContain("sk-ant");
    }

    @Test
    void load_aWrongProviderKind_namesTheLineAndTheKinds() throws Exception {
        ConfigException e = error("routes:\n  - name: m\n    deployments:\n      - provider: openia\n");
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.field()).isEqualTo("routes[0].deployments[0].provider");
        assertThat(e.problem()).contains("openai, azure-openai, anthropic, gemini, openai-compatible");
    }

    @Test
    void load_anUnknownKey_suggestsTheNearest() throws Exception {
        ConfigException e =
                error("routes:\n  - name: m\n    stratgy: weighted\n    deployments: [{provider: openai}]\n");
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.problem()).contains("did you mean \"strategy\"");
    }

    @Test
    void load_crossReferences_areCheckedWithTheirLines() throws Exception {
        ConfigException alias =
                error("routes:\n  - {name: a, deployments: [{provider: openai}]}\n  - name: b\n" + "    alias: c\n");
        assertThat(alias.line()).isEqualTo(4);
        assertThat(alias.problem()).isEqualTo("no route is named c");
        ConfigException fallback =
                error("routes:\n  - name: a\n    fallbacks: [a]\n    deployments: [{provider: openai}]\n");
        assertThat(fallback.field()).isEqualTo("routes[0].fallbacks[0]");
        assertThat(fallback.problem()).contains("cannot fall back on itself");
        ConfigException twice = error("routes:\n  - {name: a, deployments: [{provider: openai}]}\n"
                + "  - {name: a, deployments: [{provider: openai}]}\n");
        assertThat(twice.line()).isEqualTo(3);
        assertThat(twice.problem()).contains("defined twice");
    }

    @Test
    void load_keyLimits_areBound_andABadOneIsNamed() throws Exception {
        GatewayConfig c = load("client_keys:\n  - {name: team-a, key: \"${TEAM_A}\", limits: {rpm: 60, tpm: 100000,"
                + " max_in_flight: 4, tokens_per_day: 1000000, usd_per_month: 50}}\nroutes:\n  - name: m\n"
                + "    deployments: [{provider: openai}]\n");
        assertThat(c.clientKeys().getFirst().limits())
                .isEqualTo(new dev.llmlab.gateway.config.KeyLimits(60L, 100000L, 4L, 1000000L, null, null, 50.0));
        ConfigException e = error("client_keys:\n  - {name: t, key: \"${TEAM_A}\", limits: {rpm: 0}}\nroutes:\n"
                + "  - name: m\n    deployments: [{provider: openai}]\n");
        assertThat(e.problem()).contains("rpm must be at least 1");
        assertThat(error("client_keys:\n  - {name: k, key: \"${TEAM_A}\", expires: next-year}\nroutes:\n"
                                + "  - name: m\n    deployments: [{provider: openai}]\n")
                        .problem())
                .contains("expires must be a UTC time");
        assertThat(error("client_keys:\n  - {name: k, key: \"${TEAM_A}\", models: [\"a*b\"]}\nroutes:\n"
                                + "  - name: m\n    deployments: [{provider: openai}]\n")
                        .problem())
                .contains("one '*' per name, at its end");
        assertThat(error("client_keys:\n  - {name: k, key: \"${TEAM_A}\", team: ml}\nteams: [{name: infra}]\n"
                                + "routes:\n  - name: m\n    deployments: [{provider: openai}]\n")
                        .problem())
                .contains("no team is named ml");
        assertThat(error("client_keys:\n  - {name: t, key: \"${TEAM_A}\", limits: {usd_per_mnth: 5}}\nroutes:\n"
                                + "  - name: m\n    deployments: [{provider: openai}]\n")
                        .problem())
                .contains("usd_per_month");
    }

    @Test
    void load_whatEachRecordChecks_isNamed() throws Exception {
        assertThat(error("routes:\n  - name: m\n    deployments: [{provider: azure-openai, base_url: https://x}]\n")
                        .problem())
                .contains("api_version is required for azure-openai");
        assertThat(error("routes:\n  - name: m\n    deployments: [{provider: openai-compatible}]\n")
                        .problem())
                .contains("base_url is required for openai-compatible");
        assertThat(error("routes:\n  - name: \"a*b\"\n    deployments: [{provider: openai}]\n")
                        .problem())
                .contains("one '*', at its end");
        assertThat(error("routes:\n  - name: m\n").problem()).contains("deployments is required");
        assertThat(error("routes:\n  - name: m\n    max_output_tokens: 0\n    deployments: [{provider: openai}]\n")
                        .problem())
                .contains("max_output_tokens must be 1 to 10,000,000, got 0");
        assertThat(error("server: {port: 4000}\n").problem()).contains("routes is required");
        assertThat(error("routes:\n  - name: m\n    strategy: fastest\n    deployments: [{provider: openai}]\n")
                        .field())
                .isEqualTo("routes[0].strategy");
        assertThat(error("routes:\n  - name: m\n    deployments: [{provider: openai, keys: [{key: \"${NOPE}\"}]}]\n")
                        .problem())
                .contains("NOPE is not set");
    }

    private static final String ROUTE = "routes:\n  - name: m\n    deployments: [{provider: openai}]\n";

    @Test
    void load_state_defaultsToAnEmbeddedFileBesideTheConfig_andNamesWhatIsWrong() throws Exception {
        GatewayConfig c = load(ROUTE);
        assertThat(c.state().kind()).isEqualTo(StateConfig.Store.EMBEDDED);
        assertThat(c.state().path())
                .isEqualTo(dir.resolve("llmlab-gateway").toAbsolutePath().toString());
        assertThat(c.state().onFailure().ratesPolicy()).isEqualTo(StateConfig.Failure.OPEN);
        assertThat(c.state().onFailure().budgetsPolicy()).isEqualTo(StateConfig.Failure.CLOSED);
        assertThat(c.admin().keys()).isEmpty();

        GatewayConfig pg = load("state: {store: postgres, postgres: {url: \"jdbc:postgresql://db:5432/x\", user: u,"
                + " password: \"${TEAM_A}\"}, redis: {url: \"redis://127.0.0.1:6379\", timeout: 50ms},"
                + " on_failure: {rates: closed, budgets: open}, spend_buffer: 1000}\n" + ROUTE);
        assertThat(pg.state().kind()).isEqualTo(StateConfig.Store.POSTGRES);
        assertThat(pg.state().redis().timeout()).hasMillis(50);
        assertThat(pg.state().onFailure().ratesPolicy()).isEqualTo(StateConfig.Failure.CLOSED);
        assertThat(pg.state().spendBuffer()).isEqualTo(1000);
        assertThat(GatewayConfigs.print(pg)).doesNotContain("team-a-secret");

        assertThat(error("state: {store: mysql}\n" + ROUTE).problem())
                .contains("store must be embedded, postgres or memory");
        assertThat(error("state: {store: postgres}\n" + ROUTE).problem()).contains("needs a postgres section");
        assertThat(error("state: {redis: {url: \"http://x\"}}\n" + ROUTE).problem())
                .contains("url must start with redis:// or rediss://");
        assertThat(error("state: {redis: {url: \"redis://:s3cr%t@127.0.0.1:6379\"}}\n" + ROUTE)
                        .getMessage())
                .contains("not shown")
                .doesNotContain("s3cr");
        assertThat(error("state: {on_failure: {budgets: maybe}}\n" + ROUTE).problem())
                .contains("budgets must be open or closed, got maybe");
        assertThat(error("state: {spend_buffer: 5}\n" + ROUTE).problem()).contains("spend_buffer must be 100");
    }

    @Test
    void load_admin_keysAreSecretsOfSixteenCharactersOrMore() throws Exception {
        GatewayConfig c = load("admin: {keys: [{name: ops, key: \"${TEAM_A}-0123456789\"}]}\n" + ROUTE);
        assertThat(c.admin().keys())
                .singleElement()
                .satisfies(k -> assertThat(k.name()).isEqualTo("ops"));
        assertThat(GatewayConfigs.print(c)).doesNotContain("0123456789");
        assertThat(error("admin: {keys: [{name: ops, key: short}]}\n" + ROUTE).problem())
                .contains("at least 16 characters");
        assertThat(error("admin: {keys: [{key: \"0123456789abcdefgh\"}]}\n" + ROUTE)
                        .problem())
                .contains("name is required");
    }

    @Test
    void forSimulator_routesEachFamilyOverItsOwnApi() {
        GatewayConfig c = GatewayConfigs.forSimulator("http://127.0.0.1:8080");
        assertThat(c.routes()).extracting(RouteConfig::name).containsExactly("claude-*", "gemini-*", "*");
        assertThat(c.routes().get(0).deployments().getFirst().kind()).isEqualTo(ProviderKind.ANTHROPIC);
        assertThat(c.routes().get(2).deployments().getFirst().baseUrl()).isEqualTo("http://127.0.0.1:8080/v1");
    }
}
