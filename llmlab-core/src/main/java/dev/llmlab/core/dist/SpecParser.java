package dev.llmlab.core.dist;

import dev.llmlab.core.dist.Distributions.Unit;
import dev.llmlab.core.time.Durations;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parser of distribution specs; the grammar is documented on {@link Distributions}. Hand-written
 * rather than regex-driven so every failure can say precisely which part is wrong.
 *
 * <p>Thread-safety: stateless; safe from any thread.
 */
final class SpecParser {

    private static final List<String> KINDS =
            List.of("fixed", "uniform", "normal", "lognormal", "exponential", "pareto", "empirical");
    private static final String KNOWN_KINDS = String.join(", ", KINDS);

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern NUMBER =
            Pattern.compile("[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");
    private static final Pattern PERCENTILE = Pattern.compile("p([0-9]+(?:\\.[0-9]+)?)");

    private static final String LOGNORMAL_FORMS = "(median, sigma), (p50, p99) or (mean, stddev)";

    private SpecParser() {}

    static Distribution parse(String spec, Unit unit) {
        Objects.requireNonNull(unit, "unit");
        if (spec == null) {
            throw new IllegalArgumentException("distribution spec is missing: expected a value such as " + example(unit)
                    + " or kind(param=value,...)");
        }
        return new SpecParser.Run(spec, unit).parse();
    }

    private static String example(Unit unit) {
        return unit == Unit.SECONDS ? "20ms" : "128";
    }

    /** One parse: holds the spec so every error can quote it. */
    private record Run(String spec, Unit unit) {

        Distribution parse() {
            String s = spec.strip();
            if (s.isEmpty()) {
                throw fail("empty; expected a value such as " + example(unit) + " or kind(param=value,...)");
            }
            int open = s.indexOf('(');
            if (open < 0) {
                if (IDENTIFIER.matcher(s).matches()) {
                    String kind = s.toLowerCase(Locale.ROOT);
                    throw fail(KINDS.contains(kind) ? kind + " needs parameters, e.g. " + usage(kind) : unknownKind(s));
                }
                return build(() -> new Fixed(quantity("value", s), unit));
            }
            String kind = s.substring(0, open).strip().toLowerCase(Locale.ROOT);
            if (!IDENTIFIER.matcher(kind).matches() || !KINDS.contains(kind)) {
                throw fail(unknownKind(s.substring(0, open).strip()));
            }
            int close = s.lastIndexOf(')');
            if (close < open) {
                throw fail("missing ')' after the parameters of " + kind);
            }
            if (close != s.length() - 1) {
                throw fail(
                        "unexpected text after ')': \"" + s.substring(close + 1).strip() + "\"");
            }
            String body = s.substring(open + 1, close);
            if (body.indexOf('(') >= 0 || body.indexOf(')') >= 0) {
                throw fail("unexpected parenthesis inside the parameters of " + kind);
            }
            Map<String, String> params = params(kind, body);
            return switch (kind) {
                case "fixed" -> {
                    expect(kind, params, "value");
                    yield build(() -> new Fixed(quantity(params, "value"), unit));
                }
                case "uniform" -> {
                    expect(kind, params, "min", "max");
                    yield build(() -> new Uniform(quantity(params, "min"), quantity(params, "max"), unit));
                }
                case "normal" -> {
                    expect(kind, params, "mean", "stddev");
                    yield build(() -> new TruncatedNormal(quantity(params, "mean"), quantity(params, "stddev"), unit));
                }
                case "lognormal" -> lognormal(params);
                case "exponential" -> {
                    expect(kind, params, "mean");
                    yield build(() -> new Exponential(quantity(params, "mean"), unit));
                }
                case "pareto" -> {
                    expect(kind, params, "scale", "shape");
                    yield build(() -> new Pareto(quantity(params, "scale"), number(params, "shape"), unit));
                }
                case "empirical" -> empirical(params);
                default -> throw new AssertionError(kind);
            };
        }

        private Map<String, String> params(String kind, String body) {
            Map<String, String> params = new LinkedHashMap<>();
            if (body.isBlank()) {
                return params;
            }
            for (String piece : body.split(",", -1)) {
                String p = piece.strip();
                if (p.isEmpty()) {
                    throw fail("empty parameter in " + kind + "(...) (a stray comma?)");
                }
                int eq = p.indexOf('=');
                if (eq < 0) {
                    throw fail("parameter \"" + p + "\" has no value; expected name=value, e.g. " + usage(kind));
                }
                String name = p.substring(0, eq).strip().toLowerCase(Locale.ROOT);
                String value = p.substring(eq + 1).strip();
                if (name.isEmpty()) {
                    throw fail("a parameter has a value but no name: \"" + p + "\"");
                }
                if (value.isEmpty()) {
                    throw fail("parameter " + name + " has no value");
                }
                if (params.putIfAbsent(name, value) != null) {
                    throw fail("parameter " + name + " is given twice");
                }
            }
            return params;
        }

        /** Checks that the parameters are exactly {@code names}. */
        private void expect(String kind, Map<String, String> params, String... names) {
            List<String> valid = List.of(names);
            for (String name : params.keySet()) {
                if (!valid.contains(name)) {
                    throw fail(kind + " has no parameter " + name + "; " + kind + " takes " + String.join(", ", valid));
                }
            }
            for (String name : valid) {
                if (!params.containsKey(name)) {
                    throw fail(kind + " is missing parameter " + name + "; " + kind + " takes "
                            + String.join(", ", valid));
                }
            }
        }

        private Distribution lognormal(Map<String, String> params) {
            if (params.isEmpty()) {
                throw fail("lognormal is missing parameters; lognormal takes " + LOGNORMAL_FORMS);
            }
            String first = params.keySet().iterator().next();
            String[] form = switch (first) {
                case "median", "sigma" -> new String[] {"median", "sigma"};
                case "p50", "p99" -> new String[] {"p50", "p99"};
                case "mean", "stddev" -> new String[] {"mean", "stddev"};
                default -> throw fail("lognormal has no parameter " + first + "; lognormal takes " + LOGNORMAL_FORMS);
            };
            List<String> chosen = List.of(form);
            for (String name : params.keySet()) {
                if (!chosen.contains(name)) {
                    boolean known = List.of("median", "sigma", "p50", "p99", "mean", "stddev")
                            .contains(name);
                    throw fail(
                            known
                                    ? "lognormal cannot combine " + first + " with " + name + "; lognormal takes "
                                            + LOGNORMAL_FORMS
                                    : "lognormal has no parameter " + name + "; lognormal takes " + LOGNORMAL_FORMS);
                }
            }
            for (String name : chosen) {
                if (!params.containsKey(name)) {
                    throw fail("lognormal(" + form[0] + ", " + form[1] + ") is missing parameter " + name
                            + "; lognormal takes " + LOGNORMAL_FORMS);
                }
            }
            return build(() -> switch (form[0]) {
                case "median" -> LogNormal.ofMedianSigma(quantity(params, "median"), number(params, "sigma"), unit);
                case "p50" -> LogNormal.ofP50P99(quantity(params, "p50"), quantity(params, "p99"), unit);
                default -> LogNormal.ofMeanStddev(quantity(params, "mean"), quantity(params, "stddev"), unit);
            });
        }

        private Distribution empirical(Map<String, String> params) {
            if (params.isEmpty()) {
                throw fail("empirical needs at least one percentile, e.g. " + usage("empirical"));
            }
            List<Double> probabilities = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            for (Map.Entry<String, String> e : params.entrySet()) {
                Matcher m = PERCENTILE.matcher(e.getKey());
                if (!m.matches()) {
                    throw fail("empirical has no parameter " + e.getKey()
                            + "; empirical takes percentiles such as p50, p90, p99, p99.9");
                }
                BigDecimal percent = new BigDecimal(m.group(1));
                if (percent.signum() <= 0 || percent.compareTo(BigDecimal.valueOf(100)) >= 0) {
                    throw fail(
                            "percentile " + e.getKey() + " is out of range; it must lie strictly between p0 and p100");
                }
                double p = percent.movePointLeft(2).doubleValue();
                if (probabilities.contains(p)) {
                    throw fail("percentile " + Empirical.percentileName(p) + " is given twice");
                }
                probabilities.add(p);
                values.add(quantity(e.getKey(), e.getValue()));
            }
            double[] p = probabilities.stream().mapToDouble(Double::doubleValue).toArray();
            double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
            return build(() -> new Empirical(p, v, unit));
        }

        private Distribution build(Supplier<Distribution> factory) {
            try {
                return factory.get();
            } catch (InvalidSpec e) {
                throw fail(e.problem());
            }
        }

        private double quantity(Map<String, String> params, String name) {
            return quantity(name, params.get(name));
        }

        /** A value in the spec's unit. */
        private double quantity(String name, String text) {
            if (unit == Unit.COUNT) {
                return number(name, text);
            }
            try {
                return Durations.toSeconds(Durations.parse(text));
            } catch (IllegalArgumentException e) {
                throw fail(name + ": " + e.getMessage());
            }
        }

        private double number(Map<String, String> params, String name) {
            return number(name, params.get(name));
        }

        /** A plain number, whatever the unit. */
        private double number(String name, String text) {
            if (!NUMBER.matcher(text).matches()) {
                throw fail(name + ": expected a plain number, got \"" + text + "\"");
            }
            return Double.parseDouble(text);
        }

        private String unknownKind(String kind) {
            return "unknown distribution kind \"" + kind + "\"; known kinds: " + KNOWN_KINDS;
        }

        private String usage(String kind) {
            String v = unit == Unit.SECONDS ? "80ms" : "100";
            String w = unit == Unit.SECONDS ? "300ms" : "400";
            return switch (kind) {
                case "fixed" -> "fixed(value=" + v + ")";
                case "uniform" -> "uniform(min=" + v + ",max=" + w + ")";
                case "normal" -> "normal(mean=" + v + ",stddev=" + (unit == Unit.SECONDS ? "20ms" : "20") + ")";
                case "lognormal" -> "lognormal(p50=" + v + ",p99=" + w + ")";
                case "exponential" -> "exponential(mean=" + v + ")";
                case "pareto" -> "pareto(scale=" + v + ",shape=2.5)";
                default -> "empirical(p50=" + v + ",p99=" + w + ")";
            };
        }

        private IllegalArgumentException fail(String problem) {
            return new IllegalArgumentException("invalid distribution spec \"" + spec + "\": " + problem);
        }
    }
}
