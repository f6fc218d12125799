package dev.llmlab.gateway.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.llmlab.api.Usage;
import org.junit.jupiter.api.Test;

class CostTest {
    @Test
    void of_cachedTokens_billedAtTheCachedPrice() {
        // gpt-4o: 2.50 in, 1.25 cached, 10.00 out per million. 1,000 prompt tokens of which 400 cached, 200 out:
        // (600 * 2.50 + 400 * 1.25 + 200 * 10.00) / 1e6 = 4000 / 1e6 dollars.
        Price p = Prices.builtIn().find("gpt-4o").orElseThrow();
        Cost c = Cost.of(p, TokenUsage.reported(new Usage(1000, 200, 400)));
        assertThat(c.usd()).isCloseTo(0.004, within(1e-12));
    }

    @Test
    void of_noCachedPrice_billsCachedTokensAtTheInputPrice() {
        Price p = new Price("m", 1.0, Double.NaN, 2.0, "s", "d");
        Cost c = Cost.of(p, new TokenUsage(1_000_000, 500_000, 250_000, false));
        assertThat(c.usd()).isCloseTo(1.0 + 1.0, within(1e-12));
    }

    @Test
    void of_missingPriceOrUsage_isUnknown() {
        assertThat(Cost.of(null, new TokenUsage(1, 1, 0, false))).isEqualTo(Cost.UNKNOWN);
        assertThat(Cost.of(Price.configured("m", 1, 1, 1), null).known()).isFalse();
    }
}
