package dev.llmlab.bench.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import dev.llmlab.bench.load.Arrivals;
import dev.llmlab.bench.load.LoadShape;
import dev.llmlab.bench.load.Schedule;
import dev.llmlab.core.random.Seeds;
import java.util.Comparator;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SaturationDetectorTest {
    static final int RUN_SECONDS = 300;

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 12);
    }

    /** Each request's arrival, end and TTFT in seconds. */
    record Sim(double[] arrive, double[] end, double[] ttft) {}

    static double[] arrivals(LoadShape load, long seed) {
        Schedule s = load.schedule(RUN_SECONDS, Arrivals.poisson(), seed);
        double[] a = new double[s.size()];
        for (int i = 0; i < a.length; i++) a[i] = s.offsetNanos(i) / 1e9;
        return a;
    }

    /** A FIFO server that ends one request every {@code 1 / capacity} s; TTFT is the time queued. */
    static Sim queue(double capacity, LoadShape load, long seed) {
        double[] a = arrivals(load, seed);
        double[] end = new double[a.length];
        double[] ttft = new double[a.length];
        double free = 0;
        for (int i = 0; i < a.length; i++) {
            double start = Math.max(a[i], free);
            ttft[i] = start - a[i];
            end[i] = free = start + 1 / capacity;
        }
        return new Sim(a, end, ttft);
    }

    /**
     * A server of {@code slots} slots, a batching engine's simplest model: a request waits for a free
     * slot (TTFT is that wait plus 200 ms) and holds it for 5 to 15 s, so capacity is {@code slots / 10}.
     */
    static Sim slotted(int slots, LoadShape load, long seed) {
        double[] a = arrivals(load, seed);
        RandomGenerator rng = Seeds.rng(Seeds.mix(seed, 78));
        PriorityQueue<Double> free = new PriorityQueue<>();
        for (int i = 0; i < slots; i++) free.add(0.0);
        double[] end = new double[a.length];
        double[] ttft = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            double start = Math.max(a[i], free.poll());
            ttft[i] = start - a[i] + 0.2;
            end[i] = start + 5 + 10 * rng.nextDouble();
            free.add(end[i]);
        }
        return new Sim(a, end, ttft);
    }

    /** A server with room for all, whose requests take 5 to 25 s (long generations) at a TTFT near 300 ms. */
    static Sim unbounded(LoadShape load, long seed) {
        double[] a = arrivals(load, seed);
        RandomGenerator rng = Seeds.rng(Seeds.mix(seed, 77));
        double[] end = new double[a.length];
        double[] ttft = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            end[i] = a[i] + 5 + 20 * rng.nextDouble();
            ttft[i] = 0.25 + 0.1 * rng.nextDouble();
        }
        return new Sim(a, end, ttft);
    }

    /** Feeds {@code d} the simulation's seconds; the second it stopped the run in, or -1. */
    static int feed(Sim sim, SaturationDetector d, boolean streamed) {
        int n = sim.arrive().length;
        int[] byEnd = IntStream.range(0, n)
                .boxed()
                .sorted(Comparator.comparingDouble(i -> sim.end()[i]))
                .mapToInt(Integer::intValue)
                .toArray();
        int a = 0;
        int e = 0;
        for (int sec = 0; sec < RUN_SECONDS; sec++) {
            long offered = 0;
            while (a < n && sim.arrive()[a] < sec + 1) {
                a++;
                offered++;
            }
            long completed = 0;
            double ttft = 0;
            while (e < n && sim.end()[byEnd[e]] < sec + 1) {
                ttft += sim.ttft()[byEnd[e]];
                e++;
                completed++;
            }
            double ttftMs = streamed && completed > 0 ? ttft / completed * 1e3 : Double.NaN;
            if (d.observe(sec, offered, completed, a - e, ttftMs).isPresent()) return sec;
        }
        return -1;
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void belowCapacity_neverStops(long seed) {
        for (double capacity : new double[] {5, 20}) {
            for (double load : new double[] {0.5, 0.9, 0.97}) {
                Sim sim = queue(capacity, LoadShape.steady(load * capacity), seed);
                assertThat(feed(sim, new SaturationDetector(), true))
                        .as("C=%s at %s", capacity, load)
                        .isEqualTo(-1);
                assertThat(feed(sim, new SaturationDetector(), false))
                        .as("C=%s at %s, no TTFT", capacity, load)
                        .isEqualTo(-1);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void burstsThatDrain_neverStop(long seed) {
        double capacity = 20;
        for (double peak : new double[] {2, 4}) {
            for (double width : new double[] {3, 5}) {
                Sim sim = queue(capacity, LoadShape.spike(0.5 * capacity, peak * capacity, 40, width, 20), seed);
                assertThat(feed(sim, new SaturationDetector(), true))
                        .as("%s s at %sC", width, peak)
                        .isEqualTo(-1);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void overCapacity_stopsSoonAfterTheWindowFills(long seed) {
        for (double capacity : new double[] {20, 100}) {
            for (double load : new double[] {1.5, 3}) {
                Sim sim = queue(capacity, LoadShape.steady(load * capacity), seed);
                assertThat(feed(sim, new SaturationDetector(), true))
                        .as("C=%s at %s", capacity, load)
                        .isBetween(11, 29);
                assertThat(feed(sim, new SaturationDetector(), false))
                        .as("C=%s at %s, no TTFT", capacity, load)
                        .isBetween(11, 29);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void lowRateOverload_stopsOnceTheWindowHoldsEnoughArrivals(long seed) {
        // at 3 req/s a third of the window needs 20 s to be offered 60 arrivals: no verdict for about a minute
        int stop = feed(queue(2, LoadShape.steady(3), seed), new SaturationDetector(), true);
        assertThat(stop).isBetween(45, 120);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void longRequestsFillingUp_andAHighSteadyInFlight_neverStop(long seed) {
        // nothing ends for 5 s and in flight climbs to about rate x 15 s: a deficit that is no overload
        for (double rate : new double[] {5, 20}) {
            Sim sim = unbounded(LoadShape.steady(rate), seed);
            assertThat(feed(sim, new SaturationDetector(), true))
                    .as("at %s", rate)
                    .isEqualTo(-1);
            assertThat(feed(sim, new SaturationDetector(), false))
                    .as("at %s, no TTFT", rate)
                    .isEqualTo(-1);
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void longRequestsOnFewSlots_stopOnlyBeyondCapacity(long seed) {
        // 100 slots, 10 s a request: 10 req/s; the window is twice the 10 s lifetime
        assertThat(feed(slotted(100, LoadShape.steady(8), seed), new SaturationDetector(), true))
                .isEqualTo(-1);
        assertThat(feed(slotted(100, LoadShape.steady(9.5), seed), new SaturationDetector(), false))
                .isEqualTo(-1);
        assertThat(feed(slotted(100, LoadShape.steady(15), seed), new SaturationDetector(), true))
                .isBetween(20, 60);
        assertThat(feed(slotted(100, LoadShape.steady(15), seed), new SaturationDetector(), false))
                .isBetween(20, 60);
    }

    @Test
    void reason_saysWhatWasSeen_andStands() {
        SaturationDetector d = new SaturationDetector();
        Optional<String> r = Optional.empty();
        int sec = 0;
        // 30 offered, 20 completed every second: in flight rises by 10 a second, TTFT by 500 ms
        for (; sec < 40 && r.isEmpty(); sec++) r = d.observe(sec, 30, 20, 10L * (sec + 1), 100 + 500.0 * sec);
        assertThat(sec).isEqualTo(14); // first check at second 11 (W = 12), the third in a row at 13
        assertThat(r)
                .contains(
                        "over-saturated: 67% of offered load completed over the last 12 s, 140 in flight and rising by 10/s,"
                                + " TTFT rising by 500 ms/s");
        assertThat(d.observe(sec, 30, 30, 0, 100)).isEqualTo(r);
        assertThat(d.reason()).isEqualTo(r);
    }

    @Test
    void fallingTtft_orABacklogShedEveryThirdSecond_neverStops() {
        SaturationDetector falling = new SaturationDetector();
        for (int sec = 0; sec < 60; sec++) {
            assertThat(falling.observe(sec, 30, 20, 10L * (sec + 1), 5000 - 50.0 * sec))
                    .isEmpty();
        }
        SaturationDetector broken = new SaturationDetector();
        for (int sec = 0; sec < 60; sec++) {
            // every third second completes all it is offered and sheds the backlog
            long completed = sec % 3 == 2 ? 60 : 20;
            assertThat(broken.observe(sec, 30, completed, 10L * (sec % 3 + 1), Double.NaN))
                    .isEmpty();
        }
    }

    @Test
    void aSkippedSecondStartsOver_andTimeMustGoForward() {
        SaturationDetector d = new SaturationDetector();
        for (int sec = 0; sec < 13; sec++)
            assertThat(d.observe(sec, 30, 20, 10L * (sec + 1), Double.NaN)).isEmpty();
        // second 13 is missing: from 14 on, the window fills anew and its first check is at 25
        for (int sec = 14; sec < 14 + 13; sec++)
            assertThat(d.observe(sec, 30, 20, 10L * (sec - 13), Double.NaN)).isEmpty();
        assertThat(d.observe(27, 30, 20, 140, Double.NaN)).isPresent();
        assertThatThrownBy(
                        () -> new SaturationDetector().observe(-1, 0, 0, 0, 0).isEmpty())
                .isInstanceOf(IllegalArgumentException.class);
        SaturationDetector e = new SaturationDetector();
        e.observe(5, 1, 1, 0, 1);
        assertThatThrownBy(() -> e.observe(5, 1, 1, 0, 1)).hasMessageContaining("second 5 observed after 5");
        assertThatThrownBy(() -> new SaturationDetector(3, 3)).hasMessageContaining("at least 6 s");
        assertThatThrownBy(() -> new SaturationDetector(12, 0)).hasMessageContaining("at least 1");
    }

    @Test
    void fit_givesSlopeAndStandardError_skippingNaN() {
        double[] f = SaturationDetector.fit(new double[] {1, Double.NaN, 5, 7});
        assertThat(f[0]).isEqualTo(2.0);
        assertThat(f[1]).isCloseTo(0.0, offset(1e-12));
        assertThat(SaturationDetector.fit(new double[] {1, Double.NaN, Double.NaN, 7})[0])
                .isNaN();
    }
}
