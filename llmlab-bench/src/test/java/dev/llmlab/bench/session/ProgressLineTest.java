package dev.llmlab.bench.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.bench.load.Arrivals;
import dev.llmlab.bench.load.Schedule;
import dev.llmlab.bench.run.LoadPlan;
import org.junit.jupiter.api.Test;

class ProgressLineTest {
    static final LoadPlan TWENTY_SECONDS =
            new LoadPlan(0, 60, Arrivals.constant(), 0, 20, 0, 0, 0, Schedule.Ramp.NONE, 0, 1, 30);

    @Test
    void aScenariosLevel_isSaidFirst() {
        assertThat(ProgressLine.text(new double[] {40, 0, 12.5}, TWENTY_SECONDS, 10, "level 2 of 7, 4.000 req/s"))
                .startsWith("level 2 of 7, 4.000 req/s: 40 done, 4.0 req/s, 0 errors, TTFT p50 12.5 ms, 10 s elapsed")
                .endsWith("about 10 s left");
    }

    @Test
    void pastItsDuration_theLineSaysItOnlyWaits_andForHowLongAtMost() {
        assertThat(ProgressLine.text(new double[] {900, 0, 12.5}, TWENTY_SECONDS, 25, ""))
                .startsWith("900 done")
                .endsWith("sending done; waiting for requests in flight, at most 25 s more");
    }
}
