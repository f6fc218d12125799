package dev.llmlab.jsonschema;

/**
 * Why a shape, or one of its types, admits no instance: the JSON Pointer of the keyword to blame, the problem in
 * words, and whether it was proved from the keywords or found by trial (the seeded generations of {@link ShapeProbe},
 * which can miss a valid region too small for generation to reach). When the root admits no instance, compile throws
 * the root's reason as a {@link SchemaException}; the two kinds are worded differently there, because a reason found
 * by trial does not prove the schema unsatisfiable.
 */
record Infeasibility(String pointer, String problem, boolean byTrial) {

    /** A reason that follows from the keywords alone. */
    static Infeasibility proved(String pointer, String problem) {
        return new Infeasibility(pointer, problem, false);
    }

    /** A reason found because no seeded generation validated. */
    static Infeasibility tried(String pointer, String problem) {
        return new Infeasibility(pointer, problem, true);
    }

    /** What compile throws when the schema's root has this reason. */
    SchemaException toException() {
        return new SchemaException(
                pointer,
                byTrial
                        ? "no valid instance could be generated: " + problem
                        : "the schema admits no valid instance: " + problem);
    }
}
