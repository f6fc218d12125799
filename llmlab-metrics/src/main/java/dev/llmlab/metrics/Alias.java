package dev.llmlab.metrics;

/**
 * One name a quantity goes by on some server version: the family name (as {@link Exposition#family}
 * finds it), the factor to the quantity's unit ({@code 0.01} for a percentage, {@code 1048576} for
 * MiB), and optionally the one label value that selects the quantity's series within the family, or
 * ({@code scopeFamily}) the label values another family's series carry.
 *
 * @param scopeFamily when set, the family's series are narrowed to those whose {@code label} has a
 *     value some series of {@code scopeFamily} has, if any of them does; else every series counts
 *     (see {@link #sameLabelAs})
 */
record Alias(String name, double scale, String label, String labelValue, String scopeFamily) {
    static Alias of(String name) {
        return new Alias(name, 1, null, null, null);
    }

    static Alias scaled(String name, double scale) {
        return new Alias(name, scale, null, null, null);
    }

    static Alias where(String name, String label, String value) {
        return new Alias(name, 1, label, value, null);
    }

    /**
     * {@code name}'s series whose {@code label} names what {@code scopeFamily}'s series name: a
     * Triton page's per-model counts read from the TensorRT-LLM backend's model (the one its
     * {@code nv_trt_llm_*} series label), so that a request passing through an ensemble and its
     * composing model counts once. When the page has no such series, or none of {@code name}'s
     * matches, every series counts.
     */
    static Alias sameLabelAs(String name, String label, String scopeFamily) {
        return new Alias(name, 1, label, null, scopeFamily);
    }

    /** Whether the fixed label value (if any) selects {@code labels}; a scope is applied by the reader. */
    boolean selects(Labels labels) {
        return label == null || labelValue == null || labelValue.equals(labels.get(label));
    }
}
