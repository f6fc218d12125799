package dev.llmlab.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The rate-limited warning: the summary's timer runs on an embedded loop's virtual clock. */
class OccasionalWarningTest {

    @Test
    void count_burstShorterThanTheWindow_oneWarningThenOneSummaryOfTheRest() {
        EmbeddedChannel loop = new EmbeddedChannel();
        OccasionalWarning w = new OccasionalWarning();
        List<Long> summaries = new ArrayList<>();

        assertThat(w.count(loop.eventLoop(), summaries::add))
                .as("the first warns at once")
                .isEqualTo(1);
        for (int i = 0; i < 999; i++) {
            assertThat(w.count(loop.eventLoop(), summaries::add)).isEqualTo(-1);
        }
        loop.advanceTimeBy(9, TimeUnit.SECONDS);
        loop.runScheduledPendingTasks();
        assertThat(summaries).isEmpty();

        loop.advanceTimeBy(1, TimeUnit.SECONDS);
        loop.runScheduledPendingTasks();
        assertThat(summaries).as("one summary line for the 999 held back").containsExactly(999L);

        loop.advanceTimeBy(60, TimeUnit.SECONDS);
        loop.runScheduledPendingTasks();
        assertThat(summaries).as("nothing more to say, nothing more said").hasSize(1);
        loop.finishAndReleaseAll();
    }
}
