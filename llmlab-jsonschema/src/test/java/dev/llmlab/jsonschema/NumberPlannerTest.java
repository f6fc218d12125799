package dev.llmlab.jsonschema;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The number plans: exact rational steps for multipleOf, and the k range the bounds leave. */
class NumberPlannerTest {

    private static NumberPlanner.Plans plan(String... schemas) {
        SchemaNode[] conj = new SchemaNode[schemas.length];
        for (int i = 0; i < schemas.length; i++) {
            conj[i] = SchemaCompiler.compile(JsonMapper.shared().readTree(schemas[i]))
                    .root();
        }
        return NumberPlanner.plan(conj);
    }

    @Test
    void plan_severalMultipleOf_stepsByTheirRationalLcm() {
        // 0.3 = 3/10 and 0.5 = 1/2: numbers step by lcm(3, 1) / gcd(10, 2) = 3/2, integers by lcm(3, 1) = 3
        NumberPlanner.Plans p = plan(
                "{\"multipleOf\": 0.3, \"exclusiveMinimum\": 1}", "{\"multipleOf\": 0.5, \"exclusiveMaximum\": 9}");
        assertThat(p.number().step).isEqualByComparingTo("1.5");
        assertThat(p.number().kLo).isEqualTo(BigInteger.ONE); // 1.5 > 1
        assertThat(p.number().kHi).isEqualTo(BigInteger.valueOf(5)); // 7.5; 9 itself is excluded
        assertThat(p.integer().step).isEqualByComparingTo("3");
        assertThat(p.integer().kLo).isEqualTo(BigInteger.ONE);
        assertThat(p.integer().kHi).isEqualTo(BigInteger.valueOf(2)); // 6; 9 is excluded
        assertThat(p.number().feasible).isTrue();
        assertThat(p.number().admits(new BigDecimal("4.5"))).isTrue();
        assertThat(p.number().admits(new BigDecimal("4.2"))).isFalse();
    }

    @Test
    void plan_tightestBounds_winAndRememberTheirKeyword() {
        NumberPlanner.Plans p = plan(
                "{\"minimum\": 2, \"maximum\": 10}", "{\"exclusiveMinimum\": 2, \"maximum\": 8}", "{\"maximum\": 9}");
        assertThat(p.number().lo).isEqualByComparingTo("2");
        assertThat(p.number().loExclusive).as("exclusive wins a tie").isTrue();
        assertThat(p.number().loFrom).endsWith("/exclusiveMinimum");
        assertThat(p.number().hi).isEqualByComparingTo("8");
        assertThat(p.number().step).as("no multipleOf: an interval").isNull();
        assertThat(p.integer().kLo).isEqualTo(BigInteger.valueOf(3));
        assertThat(p.integer().kHi).isEqualTo(BigInteger.valueOf(8));
    }

    @Test
    void plan_noMultipleBetweenTheBounds_isInfeasible() {
        NumberPlanner.Plans p = plan("{\"multipleOf\": 0.7, \"minimum\": 0.8, \"maximum\": 1.3}");
        assertThat(p.number().feasible).isFalse(); // 0.7 < 0.8 and 1.4 > 1.3
        assertThat(p.integer().feasible).isFalse(); // integers step by 7
        NumberPlanner.Plans open = plan("{\"exclusiveMinimum\": 1, \"exclusiveMaximum\": 1}");
        assertThat(open.number().feasible).isFalse();
    }
}
