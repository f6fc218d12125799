package dev.llmlab.api.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmlab.api.client.internal.ClientJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class ClientApiTest {
    @ParameterizedTest
    @EnumSource(ClientApi.class)
    void parse_flag_givesTheApi_whoseCodecIsItsOwn(ClientApi api) {
        assertThat(ClientApi.parse(api.flag())).isEqualTo(api);
        assertThat(ClientApi.parse(" " + api.flag().toUpperCase() + " ")).isEqualTo(api);
        assertThat(api.codec().api()).isEqualTo(api);
        assertThat(api.codec()).isSameAs(api.codec());
        assertThat(api.streams()).isEqualTo(api.generates());
        assertThat(api.basePath()).isEqualTo(api == ClientApi.GEMINI ? "/v1beta" : "/v1");
        assertThat(api.defaultModel()).isNotBlank();
    }

    @Test
    void parse_unknownFlag_namesTheFlagsThereAre() {
        assertThatThrownBy(() -> ClientApi.parse("openai"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown API 'openai': expected one of openai-chat, openai-completions, openai-embeddings,"
                        + " openai-responses, anthropic-messages, gemini");
    }

    @ParameterizedTest
    @CsvSource({
        "43s, 43000",
        "1.203608125s, 1204",
        "1.2s, 1200",
        "20ms, 20",
        "6m0s, 360000",
        "1h16m0.667s, 4560667",
        "soon, -1",
        "12, -1",
        "'', -1"
    })
    void durationMillis_readsProviderDurations(String text, long millis) {
        assertThat(ClientJson.durationMillis(text)).isEqualTo(millis);
    }
}
