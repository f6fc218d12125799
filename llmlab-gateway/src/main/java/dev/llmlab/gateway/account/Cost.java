package dev.llmlab.gateway.account;

/**
 * What one request cost in US dollars, or {@link #UNKNOWN} when its model has no price (or it has
 * no usage). An unknown cost is never reported as 0: the metrics count it apart and the access log
 * writes {@code null}.
 *
 * <p>The formula is the providers' own: {@code (input - cached) * inputPrice + cached *
 * cachedPrice + output * outputPrice}, each price per million tokens. Not modelled: Anthropic's
 * cache writes (billed by Anthropic at 1.25x or 2x the input price, here at the input price),
 * long-context tiers (Gemini 2.5 Pro and Claude above 200K prompt tokens), batch and priority
 * tiers, and per-image or per-second prices.
 */
public record Cost(double usd) {
    /** No price for the model, or no usage to price. */
    public static final Cost UNKNOWN = new Cost(Double.NaN);

    public Cost {
        if (!Double.isNaN(usd) && !(usd >= 0 && !Double.isInfinite(usd))) {
            throw new IllegalArgumentException("a cost is a finite number >= 0, or unknown; got " + usd);
        }
    }

    /** The cost of {@code usage} at {@code price}; {@link #UNKNOWN} when either is null. */
    public static Cost of(Price price, TokenUsage usage) {
        if (price == null || usage == null) return UNKNOWN;
        double micro = usage.uncachedInputTokens() * price.inputPerMillion()
                + usage.cachedInputTokens() * price.effectiveCachedInputPerMillion()
                + usage.outputTokens() * price.outputPerMillion();
        return new Cost(micro / 1_000_000.0);
    }

    public boolean known() {
        return !Double.isNaN(usd);
    }
}
