package dev.llmlab.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InlineAssetsTest {
    @Test
    void uPlot_isOnTheClasspath_andCannotCloseItsElement() {
        assertThat(InlineAssets.text(InlineAssets.UPLOT_JS))
                .contains("var uPlot=")
                .doesNotContain("</script");
        assertThat(InlineAssets.text(InlineAssets.UPLOT_CSS)).contains(".uplot").doesNotContain("</style");
    }

    @Test
    void aMissingResource_isNamed() {
        assertThatThrownBy(() -> InlineAssets.text("no/such/file.js"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no/such/file.js");
    }
}
