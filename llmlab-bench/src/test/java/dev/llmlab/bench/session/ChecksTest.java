package dev.llmlab.bench.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.bench.result.BenchResult;
import dev.llmlab.bench.result.ResultJson;
import org.junit.jupiter.api.Test;

class ChecksTest {
    static BenchResult result(String summary) {
        return ResultJson.parse("{\"schema_version\": 2, \"summary\": {" + summary + "}}");
    }

    @Test
    void aValidRunWithinTheBudget_passes() {
        Checks c = Checks.of(result("\"requests_completed\": 99, \"requests_failed\": 1, \"valid\": true"), 0.01);
        assertThat(c.passed()).isTrue();
    }

    @Test
    void failuresPastTheBudget_andAbandonedRequests_failTheErrorsCheck() {
        Checks failed = Checks.of(result("\"requests_completed\": 98, \"requests_failed\": 2, \"valid\": true"), 0.01);
        assertThat(failed.failed()).containsExactly(Checks.ERRORS);
        assertThat(failed.reasons().getFirst())
                .isEqualTo("errors: 2 of 100 requests failed (2.0%), more than " + "--max-errors allows (1%)");
        Checks abandoned = Checks.of(
                result("\"requests_completed\": 46, \"requests_failed\": 0, \"requests_abandoned\": 568, "
                        + "\"valid\": true"),
                0.01);
        assertThat(abandoned.failed()).containsExactly(Checks.ERRORS);
        assertThat(abandoned.reasons().getFirst()).contains("568 of 614").contains("abandoned after the drain");
    }

    @Test
    void anInvalidRun_isInvalid_andSaysWhy() {
        Checks c = Checks.of(
                result("\"requests_completed\": 10, \"requests_failed\": 0, \"valid\": false, "
                        + "\"invalid_reason\": \"client saturated\""),
                0.01);
        assertThat(c.failed()).containsExactly(Checks.INVALID);
        assertThat(c.reasons()).containsExactly("invalid run: client saturated");
    }
}
