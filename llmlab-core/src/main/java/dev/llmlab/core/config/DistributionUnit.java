package dev.llmlab.core.config;

import dev.llmlab.core.dist.Distributions.Unit;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares how a {@link dev.llmlab.core.dist.Distribution} config field's spec is written: as
 * durations giving seconds ({@link Unit#SECONDS}, the default when the annotation is absent) or
 * as plain counts ({@link Unit#COUNT}, e.g. token lengths).
 *
 * <pre>{@code
 * record Model(Distribution ttft, @DistributionUnit(Unit.COUNT) Distribution outputTokens) {}
 * }</pre>
 * On a record component the annotation reaches the constructor parameter, field and accessor,
 * wherever the binder looks. It also applies to the elements of a {@code List<Distribution>} or
 * the values of a {@code Map<String, Distribution>} it annotates.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
public @interface DistributionUnit {
    Unit value();
}
