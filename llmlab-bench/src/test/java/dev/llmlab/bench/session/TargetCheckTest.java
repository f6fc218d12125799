package dev.llmlab.bench.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.api.client.ClientApi;
import dev.llmlab.bench.client.Target;
import dev.llmlab.bench.measure.Fate;
import dev.llmlab.bench.measure.RequestRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class TargetCheckTest {
    static RequestRecord failed(Fate fate, int status) {
        return new RequestRecord(0, 0, 0, -1, new long[0], 1, -1, -1, 0, fate, status, "why");
    }

    static Target target(String url, ClientApi api, String model) {
        return Target.of(url, api, model, true, null, Map.of());
    }

    @Test
    void modelIds_readOpenAisAndGeminisLists() throws Exception {
        var json = JsonMapper.builder().build();
        assertThat(TargetCheck.modelIds(
                        json.readTree("{\"object\":\"list\",\"data\":[{\"id\":\"a\"},{\"id\":\"b\"}]}")))
                .containsExactly("a", "b");
        assertThat(TargetCheck.modelIds(json.readTree("{\"models\":[{\"name\":\"models/gemini-2.5-flash\"}]}")))
                .containsExactly("gemini-2.5-flash");
    }

    @Test
    void hints_fitTheFailure() {
        Target chat = target("http://h:8000/v1", ClientApi.OPENAI_CHAT, "gpt-4o-minii");
        assertThat(TargetCheck.hints(chat, failed(Fate.HTTP_STATUS, 401), List::of))
                .singleElement()
                .asString()
                .contains("--api-key")
                .contains("$OPENAI_API_KEY");
        assertThat(TargetCheck.hints(chat, failed(Fate.HTTP_STATUS, 404), () -> List.of("gpt-4o-mini", "gpt-4o")))
                .singleElement()
                .asString()
                .startsWith("did you mean --model gpt-4o-mini?");
        assertThat(TargetCheck.hints(chat, failed(Fate.HTTP_STATUS, 404), () -> List.of("gpt-4o-minii")))
                .as("the model is listed: the list is no hint")
                .isEmpty();
        Target gemini = target("http://h:8000/v1", ClientApi.GEMINI, "gemini-2.5-flash");
        assertThat(TargetCheck.hints(gemini, failed(Fate.HTTP_STATUS, 404), List::of))
                .singleElement()
                .asString()
                .contains("does the URL end in /v1beta?");
        assertThat(TargetCheck.hints(chat, failed(Fate.TIMEOUT, 0), List::of))
                .singleElement()
                .asString()
                .contains("--timeout");
    }
}
