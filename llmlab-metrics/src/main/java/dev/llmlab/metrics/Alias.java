package dev.llmlab.metrics;

/**
 * One name a quantity goes by on some server version: the family name (as {@link Exposition#family}
 * finds it), the factor to the quantity's unit ({@code 0.01} for a percentage, {@code 1048576} for
 * MiB), and optionally the one label value that selects the quantity's series within the family.
 */
record Alias(String name, double scale, String label, String labelValue) {
    static Alias of(String name) {
        return new Alias(name, 1, null, null);
    }

    static Alias scaled(String name, double scale) {
        return new Alias(name, scale, null, null);
    }

    static Alias where(String name, String label, String value) {
        return new Alias(name, 1, label, value);
    }

    boolean selects(Labels labels) {
        return label == null || labelValue.equals(labels.get(label));
    }
}
