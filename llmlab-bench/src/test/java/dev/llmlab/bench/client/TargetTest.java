package dev.llmlab.bench.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.api.client.ClientApi;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a target keeps of --url, --api, --api-key and --header. */
class TargetTest {

    @Test
    void toString_leavesOutTheHeaderValues_soNoKeyIsPrinted() {
        Target t = Target.of(
                "https://api.example.com/v1",
                ClientApi.OPENAI_CHAT,
                "gpt-4o-mini",
                true,
                "sk-secret-key",
                Map.of("x-extra", "also-secret"));
        assertThat(t.headers()).containsEntry("authorization", "Bearer sk-secret-key");
        assertThat(t.toString())
                .doesNotContain("sk-secret-key")
                .doesNotContain("also-secret")
                .contains("https://api.example.com/v1/chat/completions")
                .contains("authorization")
                .contains("x-extra");
    }
}
