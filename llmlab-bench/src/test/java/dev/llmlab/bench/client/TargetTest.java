package dev.llmlab.bench.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmlab.api.client.ClientApi;
import java.util.List;
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

    @Test
    void headers_keepTheirOrder_asTheClientSendsThem() {
        Map<String, String> extra = new java.util.LinkedHashMap<>();
        for (int i = 15; i >= 0; i--) extra.put("x-h" + i, "v" + i);
        Target t = Target.of("http://127.0.0.1:8000/v1", ClientApi.OPENAI_CHAT, "m", false, "k", extra);
        java.util.List<String> expected = new java.util.ArrayList<>(List.of("accept", "authorization"));
        expected.addAll(extra.keySet()); // the codec's first, then the user's in their order
        assertThat(t.headers().keySet()).containsExactlyElementsOf(expected);
        assertThatThrownBy(() -> t.headers().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    /** One rule, the client's: what Target accepts, RequestHead sends. */
    @Test
    void aHeaderTheClientWouldRefuse_isRefusedWhenTheTargetIsMade() {
        for (String name : new String[] {"näme", "a b", "a:b", "", "Content-Length", "transfer-encoding"}) {
            assertThatThrownBy(() -> Target.of(
                            "http://127.0.0.1:8000/v1", ClientApi.OPENAI_CHAT, "m", false, null, Map.of(name, "v")))
                    .as(name)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("header '" + name + "'");
        }
        assertThatThrownBy(() -> Target.of(
                        "http://127.0.0.1:8000/v1", ClientApi.OPENAI_CHAT, "m", false, null, Map.of("x", "a\r\nb: c")))
                .hasMessageContaining("line break");
    }
}
