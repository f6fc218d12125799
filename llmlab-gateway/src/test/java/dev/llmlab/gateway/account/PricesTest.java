package dev.llmlab.gateway.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PricesTest {
    private final Prices prices = Prices.builtIn();

    @Test
    void builtIn_everyEntryHasASourceAndADate() {
        assertThat(prices.entries()).hasSizeGreaterThanOrEqualTo(15);
        for (Price p : prices.entries()) {
            assertThat(p.source()).as(p.model()).startsWith("https://");
            assertThat(p.sourceDate()).as(p.model()).isNotBlank();
        }
    }

    @Test
    void find_datedSnapshotsAndPrefixes_matchTheBaseModel() {
        assertThat(prices.find("gpt-4o-2024-08-06")).map(Price::model).contains("gpt-4o");
        assertThat(prices.find("claude-sonnet-4-5-20250929")).map(Price::model).contains("claude-sonnet-4-5");
        assertThat(prices.find("anthropic/claude-haiku-4-5-20251001"))
                .map(Price::model)
                .contains("claude-haiku-4-5");
        assertThat(prices.find("claude-sonnet-4-5@20250929")).map(Price::model).contains("claude-sonnet-4-5");
        assertThat(prices.find("models/gemini-2.5-flash")).map(Price::model).contains("gemini-2.5-flash");
        assertThat(prices.find("claude-3-5-haiku-latest")).map(Price::model).contains("claude-3-5-haiku");
        assertThat(prices.find("GPT-4o")).map(Price::model).contains("gpt-4o");
        assertThat(prices.find("claude-opus-4-20250514")).map(Price::model).contains("claude-opus-4");
        assertThat(prices.find("claude-opus-4-1-20250805")).map(Price::model).contains("claude-opus-4-1");
    }

    @Test
    void find_similarNames_doNotBorrowAPrice() {
        assertThat(prices.find("gpt-4o-mini")).map(Price::model).contains("gpt-4o-mini");
        assertThat(prices.find("gpt-4o-turbo-preview")).isEmpty();
        assertThat(prices.find("my-finetune")).isEmpty();
        assertThat(prices.find("")).isEmpty();
        assertThat(prices.find(null)).isEmpty();
    }

    @Test
    void withOverrides_replaceAndAdd_mostSpecificNameWins() {
        Prices p = prices.withOverrides(List.of(
                Price.configured("gpt-4o", 2, 1, 8),
                Price.configured("gpt-4o-2024-05-13", 5, Double.NaN, 15),
                Price.configured("llama-3.1-8b", 0.05, Double.NaN, 0.08)));
        assertThat(p.find("gpt-4o-2024-08-06").orElseThrow().inputPerMillion()).isEqualTo(2);
        assertThat(p.find("gpt-4o-2024-05-13").orElseThrow().inputPerMillion()).isEqualTo(5);
        assertThat(p.find("together/llama-3.1-8b").orElseThrow().outputPerMillion())
                .isEqualTo(0.08);
        assertThat(prices.find("gpt-4o").orElseThrow().inputPerMillion()).isEqualTo(2.5);
    }

    @Test
    void cost_unknownModel_isUnknownNotZero() {
        Cost c = prices.cost("my-finetune", new TokenUsage(1000, 10, 0, false));
        assertThat(c.known()).isFalse();
        assertThat(c.usd()).isNaN();
    }

    @Test
    void parse_badLine_namesTheLine() {
        String table = "# comment\ngpt-x\t1\t-\t2\tsrc\t2026-01-01\ngpt-y\t-1\t-\t2\tsrc\t2026\n";
        assertThatThrownBy(
                        () -> Prices.parse(new ByteArrayInputStream(table.getBytes(StandardCharsets.UTF_8)), "t.tsv"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("t.tsv:3")
                .hasMessageContaining("gpt-y");
    }
}
