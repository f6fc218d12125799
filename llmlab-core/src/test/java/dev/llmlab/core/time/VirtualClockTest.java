package dev.llmlab.core.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class VirtualClockTest {

    @Test
    void nanoTime_startsAtGivenOrigin() {
        assertThat(new VirtualClock().nanoTime()).isZero();
        assertThat(new VirtualClock(-5).nanoTime()).isEqualTo(-5);
    }

    @Test
    void advance_movesByExactAmount() {
        VirtualClock clock = new VirtualClock(100);
        assertThat(clock.advance(Duration.ofMillis(2))).isEqualTo(2_000_100);
        assertThat(clock.advanceNanos(7)).isEqualTo(2_000_107);
        assertThat(clock.advance(Duration.ZERO)).isEqualTo(2_000_107);
        assertThat(clock.nanoTime()).isEqualTo(2_000_107);
    }

    @Test
    void advance_negative_isRejected() {
        VirtualClock clock = new VirtualClock();
        assertThatThrownBy(() -> clock.advance(Duration.ofNanos(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> clock.advanceNanos(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(clock.nanoTime()).isZero();
    }

    @Test
    void advance_concurrent_losesNoUpdate() throws InterruptedException {
        VirtualClock clock = new VirtualClock();
        Thread[] threads = new Thread[4];
        for (int i = 0; i < threads.length; i++) {
            threads[i] = new Thread(() -> {
                for (int j = 0; j < 10_000; j++) {
                    clock.advanceNanos(1);
                }
            });
            threads[i].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(clock.nanoTime()).isEqualTo(40_000);
    }

    @Test
    void system_isMonotonic() {
        Clock clock = Clock.system();
        long a = clock.nanoTime();
        long b = clock.nanoTime();
        assertThat(b).isGreaterThanOrEqualTo(a);
        assertThat(Clock.system()).isSameAs(clock);
    }
}
