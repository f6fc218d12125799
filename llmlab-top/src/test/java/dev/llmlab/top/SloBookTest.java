package dev.llmlab.top;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** SLO events, windows, burn rates, alerts and trend on hand-made pages and virtual time. */
class SloBookTest {
    private static final long S = 1_000_000_000L;
    private static final Target R1 = Target.of("http://r1:8000");
    private static final Target R2 = Target.of("http://r2:8000");

    private static Slo ttft(double percentile, Duration threshold) {
        return new Slo("ttft", Slo.Metric.TTFT, null, percentile, threshold, null, null, null);
    }

    private static Scrape at(Target t, long seconds, String page) {
        return Scraper.read(t, seconds * S, 200, page);
    }

    /** A TGI page: requests succeeded and failed, and a TTFT histogram (0.1, 1, +Inf), cumulative. */
    static String tgi(double ok, double failed, double le01, double le1, double all) {
        return String.format(Locale.ROOT, """
                # TYPE tgi_request_success counter
                tgi_request_success %s
                # TYPE tgi_request_failure counter
                tgi_request_failure{err="validation"} %s
                # TYPE tgi_request_queue_duration histogram
                tgi_request_queue_duration_bucket{le="0.1"} 0
                tgi_request_queue_duration_bucket{le="+Inf"} 0
                tgi_request_queue_duration_count 0
                tgi_request_queue_duration_sum 0
                """, ok, failed) + "";
    }

    @Test
    void latency_countsTheBucketAtTheThreshold_acrossReplicas_andBurnsAgainstTheBudget() {
        SloBook book = new SloBook(new Objectives(List.of(ttft(95, Duration.ofMillis(100))), null, null, null, null));
        book.observe(null, at(R1, 0, FleetTest.page("m", 100, 0, 0, 100, 120, 120)));
        book.observe(
                at(R1, 0, FleetTest.page("m", 100, 0, 0, 100, 120, 120)),
                at(R1, 10, FleetTest.page("m", 150, 0, 0, 140, 170, 170)));
        // r2 restarted: its whole new histogram counts, 0 of 100 within 0.1 s
        book.observe(
                at(R2, 0, FleetTest.page("m", 1000, 0, 0, 5, 5, 5)),
                at(R2, 10, FleetTest.page("m", 30, 0, 0, 0, 50, 100)));

        List<SloStatus> st = book.status(10 * S);
        assertThat(st).hasSize(1);
        SloStatus s = st.getFirst();
        assertThat(s.model()).isEqualTo("m");
        assertThat(s.objective()).isEqualTo("ttft p95 <= 100ms");
        assertThat(s.estimate()).as("0.1 s is a bucket bound").isFalse();
        SloStatus.Window minute = s.windows().getFirst();
        assertThat(minute.label()).isEqualTo("1m");
        assertThat(minute.good()).isEqualTo(40);
        assertThat(minute.total()).isEqualTo(150);
        assertThat(minute.attainment()).isCloseTo(40 / 150.0, within(1e-12));
        assertThat(minute.burnRate()).isCloseTo((110 / 150.0) / 0.05, within(1e-9));
        assertThat(s.windows()).extracting(SloStatus.Window::label).containsExactly("1m", "5m", "30m", "1h", "6h");
        assertThat(s.alert()).as("not watched for the page's short window yet").isNull();
    }

    @Test
    void aThresholdBetweenBounds_isInterpolated_andSaysSo() {
        SloBook book = new SloBook(new Objectives(List.of(ttft(90, Duration.ofMillis(550))), null, null, null, null));
        book.observe(
                at(R1, 0, FleetTest.page("m", 0, 0, 0, 0, 0, 0)),
                at(R1, 10, FleetTest.page("m", 100, 0, 0, 50, 90, 100)));
        SloStatus s = book.status(10 * S).getFirst();
        // 50 at most 0.1 s, 40 more in (0.1, 1]: linear to 0.55 is half of them
        assertThat(s.windows().getFirst().good()).isCloseTo(70, within(1e-9));
        assertThat(s.estimate()).isTrue();
    }

    @Test
    void errors_onAServerThatCountsFailures_andUnmeasurableOnOneThatDoesNot() {
        Slo errors = new Slo("errors", Slo.Metric.ERRORS, null, null, null, 99.0, null, null);
        SloBook book = new SloBook(new Objectives(List.of(errors), null, null, null, null));
        book.observe(at(R1, 0, tgi(100, 1, 0, 0, 0)), at(R1, 10, tgi(196, 5, 0, 0, 0)));
        book.observe(
                at(R2, 0, FleetTest.page("m", 0, 0, 0, 0, 0, 0)), at(R2, 10, FleetTest.page("m", 10, 0, 0, 0, 0, 0)));
        List<SloStatus> st = book.status(10 * S);
        SloStatus tgi =
                st.stream().filter(x -> x.model().equals("-")).findFirst().orElseThrow();
        assertThat(tgi.windows().getFirst().good()).isEqualTo(96);
        assertThat(tgi.windows().getFirst().total()).isEqualTo(100);
        assertThat(tgi.windows().getFirst().burnRate()).isCloseTo(0.04 / 0.01, within(1e-9));
        SloStatus vllm =
                st.stream().filter(x -> x.model().equals("m")).findFirst().orElseThrow();
        assertThat(vllm.unmeasurable()).isEqualTo("the server counts no failed requests");
        assertThat(vllm.alert()).isNull();
    }

    @Test
    void goodput_isTheLowerBound_successesLessTheSlowOnes() {
        Slo goodput = new Slo("goodput", Slo.Metric.GOODPUT, null, null, null, 90.0, Duration.ofMillis(100), null);
        SloBook book = new SloBook(new Objectives(List.of(goodput), null, null, null, null));
        book.observe(
                at(R1, 0, FleetTest.page("m", 0, 0, 0, 0, 0, 0)),
                at(R1, 10, FleetTest.page("m", 100, 0, 0, 80, 100, 100)));
        SloStatus s = book.status(10 * S).getFirst();
        assertThat(s.windows().getFirst().good()).isEqualTo(80);
        assertThat(s.windows().getFirst().total())
                .as("vLLM counts no failures: successes only")
                .isEqualTo(100);
        assertThat(s.estimate()).isTrue();
    }

    /** r1 read every 10 s for {@code seconds}: each slot's requests, the share within 0.1 s given per slot. */
    private static SloBook run(Objectives o, int seconds, java.util.function.IntToDoubleFunction goodShare) {
        SloBook book = new SloBook(o);
        double ok = 0;
        double fast = 0;
        Scrape before = at(R1, 0, FleetTest.page("m", 0, 0, 0, 0, 0, 0));
        book.observe(null, before);
        for (int t = 10; t <= seconds; t += 10) {
            ok += 100;
            fast += Math.round(100 * goodShare.applyAsDouble(t));
            Scrape now = at(R1, t, FleetTest.page("m", ok, 0, 0, fast, ok, ok));
            book.observe(before, now);
            before = now;
        }
        return book;
    }

    @Test
    void aPage_firesOnlyOnceTheShortWindowIsWatched_andBothWindowsBurnFast() {
        Objectives o = new Objectives(List.of(ttft(99, Duration.ofMillis(100))), null, null, null, null);
        // 20% slow against a 1% budget: a burn of 20x, over the page's 14.4x
        assertThat(run(o, 290, t -> 0.8).status(290 * S).getFirst().alert()).isNull();
        SloStatus s = run(o, 300, t -> 0.8).status(300 * S).getFirst();
        assertThat(s.windows().get(1).burnRate()).isCloseTo(20, within(1e-9));
        assertThat(s.alert()).isEqualTo("page");
        // 10% slow: 10x, under the page, over the ticket's 6x, but not watched for 30 min
        assertThat(run(o, 600, t -> 0.9).status(600 * S).getFirst().alert()).isNull();
        assertThat(run(o, 1800, t -> 0.9).status(1800 * S).getFirst().alert()).isEqualTo("ticket");
        // all fast: nothing
        assertThat(run(o, 1800, t -> 1).status(1800 * S).getFirst().alert()).isNull();
    }

    @Test
    void theTrend_fitsTheBurnOfEachSlot_andSaysWhenItReachesOne() {
        Objectives o =
                new Objectives(List.of(ttft(90, Duration.ofMillis(100))), null, null, null, Duration.ofMinutes(5));
        // the slow share grows by 1 point a minute from 0: the burn (against 10%) by 0.1x a minute
        SloStatus.Trend t =
                run(o, 300, s -> 1 - s / 60.0 / 100).status(300 * S).getFirst().trend();
        assertThat(t.points()).isEqualTo(30);
        assertThat(t.slopePerMinute()).isCloseTo(0.1, within(0.01));
        assertThat(t.r2()).isGreaterThan(0.95);
        assertThat(t.burnNow()).isCloseTo(0.5, within(0.02));
        assertThat(t.minutesToViolation()).isCloseTo(5, within(0.5));
        SloStatus.Trend flat = run(o, 300, s -> 1).status(300 * S).getFirst().trend();
        assertThat(flat.minutesToViolation()).isNaN();
    }

    @Test
    void badConfigs_sayWhatIsWrong() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ttft(100, Duration.ofMillis(1)))
                .hasMessageContaining("percentile must be more than 0 and less than 100");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new Slo("e", Slo.Metric.ERRORS, null, 99.0, null, null, null, null))
                .hasMessageContaining("needs an objective");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Objectives(
                        List.of(ttft(95, Duration.ofSeconds(1)), ttft(99, Duration.ofSeconds(1))),
                        null,
                        null,
                        null,
                        null))
                .hasMessageContaining("two SLOs are named 'ttft'");
    }
}
