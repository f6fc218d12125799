package dev.llmlab.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LabelsTest {
    @Test
    void of_sortsByName_soOrderDoesNotMatter() {
        Labels a = Labels.of("model_name", "m", "engine", "0");
        Labels b = Labels.of("engine", "0", "model_name", "m");
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.names()).containsExactly("engine", "model_name");
        assertThat(a.get("engine")).isEqualTo("0");
        assertThat(a.get("nope")).isNull();
        assertThat(a).hasToString("{engine=\"0\",model_name=\"m\"}");
    }

    @Test
    void of_refusesOddCountsNullsAndRepeatedNames() {
        assertThatThrownBy(() -> Labels.of("a")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Labels.of("a", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Labels.of("a", "1", "a", "2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("twice");
    }

    @Test
    void without_andEqualsIgnoring_dropOneLabel() {
        Labels bucket = Labels.of("le", "0.1", "model_name", "m");
        assertThat(bucket.without("le")).isEqualTo(Labels.of("model_name", "m"));
        assertThat(bucket.without("nope")).isSameAs(bucket);
        assertThat(Labels.of("le", "1").without("le")).isSameAs(Labels.EMPTY);
        assertThat(bucket.equalsIgnoring(Labels.of("model_name", "m", "le", "+Inf"), "le"))
                .isTrue();
        assertThat(bucket.equalsIgnoring(Labels.of("model_name", "n", "le", "0.1"), "le"))
                .isFalse();
        assertThat(bucket.equalsIgnoring(Labels.of("model_name", "m"), "le")).isTrue();
    }

    @Test
    void toString_escapesAsTheFormatDoes() {
        assertThat(Labels.of("p", "a\\b\"c\nd")).hasToString("{p=\"a\\\\b\\\"c\\nd\"}");
    }
}
