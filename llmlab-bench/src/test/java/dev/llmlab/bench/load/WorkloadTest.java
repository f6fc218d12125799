package dev.llmlab.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.api.client.ClientApi;
import dev.llmlab.core.dist.Distributions;
import dev.llmlab.core.token.Tokenizer;
import dev.llmlab.core.token.Tokenizers;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorkloadTest {
    static final Tokenizer TOK = Tokenizers.forEncoding("o200k_base");

    static Workload of(String nonce) {
        return Workload.synthetic(
                ClientApi.OPENAI_CHAT,
                "m",
                true,
                50,
                Distributions.parse("uniform(min=20,max=200)", Distributions.Unit.COUNT),
                null,
                16,
                TOK,
                7,
                nonce);
    }

    static String prompt(Workload w, int i) {
        String body = new String(w.get(i).body(), StandardCharsets.UTF_8);
        int at = body.indexOf("\"content\":\"") + "\"content\":\"".length();
        return body.substring(at, body.indexOf('"', at));
    }

    @Test
    void twoRunsOfOneSeed_shareNoPrefix_butKeepTheirLengthsAndText() {
        Workload first = of(Workload.freshNonce());
        Workload second = of(Workload.freshNonce());
        for (int i = 0; i < first.size(); i++) {
            String a = prompt(first, i);
            String b = prompt(second, i);
            assertThat(a.substring(0, 11))
                    .as("each run opens with its own nonce")
                    .isNotEqualTo(b.substring(0, 11));
            assertThat(first.get(i).inputTokens()).isEqualTo(second.get(i).inputTokens());
            assertThat(first.get(i).maxTokens()).isEqualTo(second.get(i).maxTokens());
            // the seed's text follows the nonce
            assertThat(a.substring(11, Math.min(a.length(), 40))).isEqualTo(b.substring(11, Math.min(b.length(), 40)));
        }
    }

    @Test
    void theNonce_isLessThanAKvBlock_andFreshEachTime() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String n = Workload.freshNonce();
            assertThat(n).matches("\\[[0-9a-f]{8}\\] ");
            assertThat(TOK.count(n)).isLessThan(16);
            seen.add(n);
        }
        assertThat(seen).hasSizeGreaterThan(95);
    }

    @Test
    void withoutANonce_theSeedsExactPromptsAreSentAgain() {
        Workload a = of("");
        Workload b = of("");
        for (int i = 0; i < a.size(); i++)
            assertThat(a.get(i).body()).isEqualTo(b.get(i).body());
        assertThat(prompt(a, 3)).startsWith("3:");
    }
}
