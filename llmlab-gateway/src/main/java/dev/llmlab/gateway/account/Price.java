package dev.llmlab.gateway.account;

/**
 * One model's list price in US dollars per million tokens: uncached input, cached input (a prompt
 * cache hit) and output, with where the figures come from and the date of that source.
 *
 * <p>{@code cachedInputPerMillion} is NaN when the source gives no cached-input price; cached
 * tokens are then billed at the input price, which is an upper bound. {@code source} and {@code
 * sourceDate} are free text (a URL and an ISO date in the built-in table, {@code "config"} for an
 * override).
 *
 * @throws IllegalArgumentException for a blank model, or a price that is negative or not finite
 */
public record Price(
        String model,
        double inputPerMillion,
        double cachedInputPerMillion,
        double outputPerMillion,
        String source,
        String sourceDate) {
    public Price {
        if (model == null || model.isBlank()) throw new IllegalArgumentException("a price needs a model name");
        check(model, "input", inputPerMillion);
        check(model, "output", outputPerMillion);
        if (!Double.isNaN(cachedInputPerMillion)) check(model, "cached input", cachedInputPerMillion);
        if (source == null) source = "";
        if (sourceDate == null) sourceDate = "";
    }

    /** A price from the config: no published source. */
    public static Price configured(String model, double input, double cachedInput, double output) {
        return new Price(model, input, cachedInput, output, "config", "");
    }

    /** The price of one cached input token per million: the cached price, else the input price. */
    public double effectiveCachedInputPerMillion() {
        return Double.isNaN(cachedInputPerMillion) ? inputPerMillion : cachedInputPerMillion;
    }

    private static void check(String model, String what, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(
                    model + ": the " + what + " price must be a finite number >= 0 (USD per million tokens), got " + v);
        }
    }
}
