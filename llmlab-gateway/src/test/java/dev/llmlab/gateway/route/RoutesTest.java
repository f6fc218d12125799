package dev.llmlab.gateway.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutesTest {
    private static Route route(String name) {
        return new Route(name, List.of(StrategyTest.deployment(name + "-d", 1, 0, 0)), Strategy.ROUND_ROBIN);
    }

    @Test
    void match_exactFirst_thenAliases_thenTheLongestWildcard() {
        Routes r = new Routes(
                List.of(route("gpt-4o"), route("openai/*"), route("openai/gpt-*"), route("*")),
                Map.of("fast", "gpt-4o"));
        assertThat(r.match("gpt-4o").route().name()).isEqualTo("gpt-4o");
        assertThat(r.match("fast")).satisfies(m -> {
            assertThat(m.route().name()).isEqualTo("gpt-4o");
            assertThat(m.model()).isEqualTo("gpt-4o"); // the route's own name goes on, not the alias
        });
        assertThat(r.match("openai/gpt-4.1")).satisfies(m -> {
            assertThat(m.route().name()).isEqualTo("openai/gpt-*");
            assertThat(m.model()).isEqualTo("4.1");
        });
        assertThat(r.match("openai/o3").model()).isEqualTo("o3");
        assertThat(r.match("llama").route().name()).isEqualTo("*");
        assertThat(r.names()).containsExactly("gpt-4o", "fast");
        assertThat(r.catchAll().name()).isEqualTo("*");
        assertThat(r.named("fast")).isNull();
        assertThat(r.named("gpt-4o")).isNotNull();
    }

    @Test
    void match_withoutACatchAll_unknownModelsMatchNothing() {
        Routes r = new Routes(List.of(route("openai/*")), Map.of());
        assertThat(r.match("openai/")).isNull(); // the * matches at least one character
        assertThat(r.match("claude")).isNull();
        assertThat(r.match(null)).isNull();
    }

    @Test
    void deploymentModel_aStarTakesTheMatchedPart() {
        Deployment d = new Deployment("d", null, "claude-*", null, null, 1, 0, 0);
        assertThat(d.model("sonnet-4-5")).isEqualTo("claude-sonnet-4-5");
        assertThat(new Deployment("d", null, null, null, null, 1, 0, 0).model("x"))
                .isEqualTo("x");
        assertThat(new Deployment("d", null, "fixed", null, null, 1, 0, 0).model("x"))
                .isEqualTo("fixed");
    }
}
