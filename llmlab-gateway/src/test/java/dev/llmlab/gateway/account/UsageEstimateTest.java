package dev.llmlab.gateway.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.Message;
import dev.llmlab.api.Prompt;
import dev.llmlab.core.token.Tokenizer;
import dev.llmlab.core.token.Tokenizers;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageEstimateTest {
    private final Tokenizer tok = Tokenizers.forEncoding("o200k_base");
    private final UsageEstimate estimate = new UsageEstimate(tok);

    @Test
    void estimate_chat_followsTheCookbookRecipeAndIsMarkedEstimated() {
        GenerationRequest req = GenerationRequest.plain(
                GenerationRequest.Endpoint.CHAT,
                "gpt-4o",
                List.of(Message.of("system", "You are terse."), Message.of("user", "Say hello to the world.")),
                List.of(),
                16,
                false);
        TokenUsage u = estimate.estimate(req, "Hello, world!");
        int expected = 3
                + 3
                + tok.count("system")
                + tok.count("You are terse.")
                + 3
                + tok.count("user")
                + tok.count("Say hello to the world.");
        assertThat(u.inputTokens()).isEqualTo(expected);
        assertThat(u.outputTokens()).isEqualTo(tok.count("Hello, world!"));
        assertThat(u.cachedInputTokens()).isZero();
        assertThat(u.estimated()).isTrue();
    }

    @Test
    void estimate_completionPrompts_countTextAndTokenArrays() {
        GenerationRequest req = GenerationRequest.plain(
                GenerationRequest.Endpoint.COMPLETION,
                "m",
                List.of(),
                List.of(Prompt.ofText("Once upon a time"), Prompt.ofTokens(new int[] {1, 2, 3})),
                16,
                false);
        assertThat(estimate.promptTokens(req)).isEqualTo(tok.count("Once upon a time") + 3);
    }

    @Test
    void countText_summedDeltas_matchTheWholeTextForWholeTokenPieces() {
        String answer = "The quick brown fox jumps over the lazy dog.";
        int[] ids = tok.encode(answer);
        long summed = 0;
        for (int id : ids) summed += estimate.countText(tok.decode(new int[] {id}));
        assertThat(summed).isEqualTo(estimate.countText(answer));
    }

    @Test
    void estimate_rawText_andEmptyAnswer() {
        TokenUsage u = estimate.estimate("hello there", "");
        assertThat(u.inputTokens()).isEqualTo(tok.count("hello there"));
        assertThat(u.outputTokens()).isZero();
    }
}
