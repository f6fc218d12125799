package dev.llmlab.top.tui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SparklineTest {
    @Test
    void render_scalesFromZeroToTheLargestShown() {
        assertThat(Sparkline.render(new double[] {0, 1, 2, 3, 4, 5, 6, 7}, 8)).isEqualTo("▁▂▃▄▅▆▇█");
        // a flat, busy series is flat at the top, not jagged: the scale starts at zero
        assertThat(Sparkline.render(new double[] {100, 100, 99}, 3)).isEqualTo("███");
        assertThat(Sparkline.render(new double[] {0.5, 1}, 2)).isEqualTo("▅█");
    }

    @Test
    void render_showsTheLastPoints_rightAligned_andScalesToThoseOnly() {
        assertThat(Sparkline.render(new double[] {1, 2}, 5)).isEqualTo("   ▅█");
        // 1000 has scrolled off: the scale is the largest of what is shown
        assertThat(Sparkline.render(new double[] {1000, 0, 7}, 2)).isEqualTo("▁█");
        assertThat(Sparkline.render(new double[] {1, 2}, 0)).isEmpty();
    }

    @Test
    void render_zeroIsTheLowestBar_andAPointWithoutValueIsBlank() {
        assertThat(Sparkline.render(new double[] {0, 0, 0}, 3)).isEqualTo("▁▁▁");
        assertThat(Sparkline.render(new double[] {Double.NaN, 4, Double.NaN, 2}, 4))
                .isEqualTo(" █ ▅");
    }
}
