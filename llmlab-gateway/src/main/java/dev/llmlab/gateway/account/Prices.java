package dev.llmlab.gateway.account;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Prices by model name: the built-in table ({@code prices.tsv} next to this class, its sources and
 * dates in docs/gateway-metrics.md) with the config's overrides merged in. Immutable and
 * thread-safe.
 *
 * <h2>Matching a model name</h2>
 *
 * Clients and providers name one model many ways: {@code openai/gpt-4o} (a router's prefix),
 * {@code models/gemini-2.5-flash} (Gemini's resource name), {@code gpt-4o-2024-08-06} and {@code
 * claude-sonnet-4-5-20250929} (dated snapshots), {@code claude-sonnet-4-5@20250929} (Vertex AI),
 * {@code claude-3-5-haiku-latest}, {@code gemini-2.0-flash-001}. {@link #find} tries, in order, and
 * takes the first entry found:
 *
 * <ol>
 *   <li>the name as given, lower-cased;
 *   <li>without everything up to its last {@code /};
 *   <li>then without a version suffix: {@code @...}, {@code -YYYY-MM-DD}, {@code -YYYYMMDD},
 *       {@code -latest}, or a three-digit {@code -NNN}.
 * </ol>
 *
 * The most specific name wins, so an override for {@code gpt-4o-2024-05-13} (a snapshot with its
 * own price) is found before the table's {@code gpt-4o}. Nothing else is guessed: {@code
 * gpt-4o-mini} never falls back to {@code gpt-4o}, and a name that matches no entry has no price
 * (its cost is {@link Cost#UNKNOWN}, never 0).
 *
 * <p>Lookups are cached in a bounded cache (model names can come from clients through wildcard
 * routes), so the string work is done once per distinct name.
 */
public final class Prices {
    private static final String RESOURCE = "prices.tsv";
    private static final Pattern VERSION_SUFFIX =
            Pattern.compile("(@.*|-\\d{4}-\\d{2}-\\d{2}|-\\d{8}|-latest|-\\d{3})$");

    private final Map<String, Price> byName;
    private final Cache<String, Optional<Price>> lookups =
            Caffeine.newBuilder().maximumSize(4096).build();

    private Prices(Map<String, Price> byName) {
        this.byName = byName;
    }

    /** The built-in table. */
    public static Prices builtIn() {
        return Builtin.TABLE;
    }

    /** The given entries only (tests, or a config that replaces the table). */
    public static Prices of(Collection<Price> entries) {
        return new Prices(index(List.of(), entries));
    }

    /**
     * These prices with {@code overrides} merged in: an override replaces the entry of the same
     * (lower-cased) name and adds one otherwise.
     */
    public Prices withOverrides(Collection<Price> overrides) {
        return new Prices(index(byName.values(), overrides));
    }

    /** The price for {@code model} by the matching rule in the class comment; empty when none matches. */
    public Optional<Price> find(String model) {
        if (model == null || model.isEmpty()) return Optional.empty();
        return lookups.get(model, this::match);
    }

    /** {@link #find}, or null. */
    public Price priceOrNull(String model) {
        return find(model).orElse(null);
    }

    /** The cost of {@code usage} on {@code model}: {@link Cost#UNKNOWN} without a price. */
    public Cost cost(String model, TokenUsage usage) {
        return Cost.of(priceOrNull(model), usage);
    }

    /** Every entry, in table order then override order. */
    public List<Price> entries() {
        return List.copyOf(byName.values());
    }

    private Optional<Price> match(String model) {
        String name = model.trim().toLowerCase(Locale.ROOT);
        Price p = byName.get(name);
        if (p != null) return Optional.of(p);
        int slash = name.lastIndexOf('/');
        if (slash >= 0) {
            name = name.substring(slash + 1);
            p = byName.get(name);
            if (p != null) return Optional.of(p);
        }
        String base = VERSION_SUFFIX.matcher(name).replaceFirst("");
        return Optional.ofNullable(byName.get(base));
    }

    private static Map<String, Price> index(Collection<Price> base, Collection<Price> overrides) {
        Map<String, Price> m = new LinkedHashMap<>();
        for (Price p : base) m.put(p.model().toLowerCase(Locale.ROOT), p);
        for (Price p : overrides) m.put(p.model().toLowerCase(Locale.ROOT), p);
        return m;
    }

    /**
     * Reads the table: tab-separated {@code model, input, cached_input, output, source,
     * source_date}, {@code -} for a price the source does not give, {@code #} comments.
     */
    static List<Price> parse(InputStream in, String name) throws IOException {
        List<Price> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            int lineNo = 0;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lineNo++;
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] f = line.split("\t", -1);
                if (f.length != 6) {
                    throw new IllegalArgumentException(
                            name + ":" + lineNo + ": expected 6 tab-separated fields, got " + f.length);
                }
                try {
                    out.add(new Price(f[0].trim(), number(f[1]), number(f[2]), number(f[3]), f[4].trim(), f[5].trim()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(name + ":" + lineNo + ": " + e.getMessage(), e);
                }
            }
        }
        return out;
    }

    private static double number(String field) {
        String s = field.trim();
        return s.equals("-") ? Double.NaN : Double.parseDouble(s);
    }

    /** Loaded on first use. */
    private static final class Builtin {
        static final Prices TABLE = load();

        private static Prices load() {
            try (InputStream in = Prices.class.getResourceAsStream(RESOURCE)) {
                if (in == null) throw new IllegalStateException("the built-in price table " + RESOURCE + " is missing");
                return of(parse(in, RESOURCE));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
