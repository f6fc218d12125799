package dev.llmlab.sim.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmlab.jsonschema.JsonSchema;
import dev.llmlab.jsonschema.SchemaException;
import dev.llmlab.sim.config.GenerationConfig;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The compiled-schema cache stays within its weight, and eviction never changes what a schema generates. */
class ComposerTest {

    private static JsonNode schema(int i) {
        return JsonMapper.shared()
                .readTree("{\"type\":\"object\",\"properties\":{\"n" + i
                        + "\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":" + (10 + i)
                        + "},\"city\":{\"type\":\"string\"}},\"required\":[\"n" + i + "\",\"city\"],"
                        + "\"additionalProperties\":false}");
    }

    @Test
    void schema_manyDistinctSchemas_keepsTheCacheWithinItsWeight() {
        Composer composer = new Composer(GenerationConfig.DEFAULT, 500);
        int weight = composer.schema(schema(0)).weight();
        assertThat(weight).isPositive();
        for (int i = 0; i < 3_000; i++) {
            composer.schema(schema(i));
        }
        assertThat(composer.cachedSchemaWeight()).isPositive().isLessThanOrEqualTo(500);
    }

    @Test
    void schema_defaultWeight_holdsUnderAFloodOfSchemas() {
        Composer composer = new Composer(GenerationConfig.DEFAULT);
        int each = composer.schema(schema(0)).weight();
        int flood = (int) (2 * Composer.SCHEMA_CACHE_WEIGHT / each);
        for (int i = 0; i < flood; i++) {
            composer.schema(schema(i));
        }
        assertThat(composer.cachedSchemaWeight()).isLessThanOrEqualTo(Composer.SCHEMA_CACHE_WEIGHT);
    }

    @Test
    void schema_sameSchema_isCompiledOnce() {
        Composer composer = new Composer(GenerationConfig.DEFAULT);
        assertThat(composer.schema(schema(1))).isSameAs(composer.schema(schema(1)));
    }

    @Test
    void schema_evictedAndCompiledAgain_generatesTheSameInstances() {
        Composer composer = new Composer(GenerationConfig.DEFAULT, 100);
        JsonSchema first = composer.schema(schema(7));
        JsonNode before = first.generate(new SplittableRandom(3));
        for (int i = 100; i < 1_000; i++) {
            composer.schema(schema(i));
        }
        JsonSchema again = composer.schema(schema(7));
        assertThat(again).as("evicted, so compiled anew").isNotSameAs(first);
        assertThat(again.generate(new SplittableRandom(3))).isEqualTo(before);
    }

    @Test
    void schema_refused_isNotCached() {
        Composer composer = new Composer(GenerationConfig.DEFAULT);
        JsonNode bad = JsonMapper.shared().readTree("{\"type\":\"integer\",\"minimum\":5,\"maximum\":3}");
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> composer.schema(bad)).isInstanceOf(SchemaException.class);
        }
        assertThat(composer.cachedSchemaWeight()).isZero();
    }
}
