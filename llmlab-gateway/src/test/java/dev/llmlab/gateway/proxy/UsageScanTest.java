package dev.llmlab.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.api.Usage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UsageScanTest {
    private static Usage scan(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return UsageScan.openAi(b, 0, b.length);
    }

    @Test
    void openAi_readsTheTopLevelUsage_withCachedTokens() {
        assertThat(scan(
                        "{\"id\":\"x\",\"choices\":[{\"message\":{\"content\":\"hi\",\"usage\":{\"prompt_tokens\":1}}}],"
                                + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":5,\"total_tokens\":17,"
                                + "\"prompt_tokens_details\":{\"cached_tokens\":8,\"audio_tokens\":0}}}"))
                .isEqualTo(new Usage(12, 5, 8));
        assertThat(scan("{\"usage\":{\"completion_tokens\":5,\"prompt_tokens\":3}}"))
                .isEqualTo(new Usage(3, 5, 0));
    }

    @Test
    void openAi_withoutAUsableUsage_isNull() {
        assertThat(scan("{\"choices\":[]}")).isNull();
        assertThat(scan("{\"usage\":null}")).isNull();
        assertThat(scan("{\"usage\":{\"prompt_tokens\":3}}")).isNull();
        assertThat(scan("[1]")).isNull();
        assertThat(scan("{\"usage\":")).isNull();
        assertThat(scan("")).isNull();
    }
}
