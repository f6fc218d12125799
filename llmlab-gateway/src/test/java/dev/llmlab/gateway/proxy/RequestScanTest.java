package dev.llmlab.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmlab.api.ApiException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestScanTest {
    private static RequestScan scan(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return RequestScan.of(b, 0, b.length);
    }

    @Test
    void of_findsTheTopLevelModelAndStream_notNestedOnes() {
        RequestScan s =
                scan("{\"messages\":[{\"model\":\"inner\",\"stream\":true}],\"stream\":true,\"model\":\"gpt-4o\"}");
        assertThat(s.model()).isEqualTo("gpt-4o");
        assertThat(s.stream()).isTrue();
    }

    @Test
    void withModel_replacesOnlyTheValue_keepingEveryOtherByte() {
        String json = "{ \"model\" : \"fast\",\"x\":\"é\\\"\", \"n\": 1}";
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        RequestScan s = RequestScan.of(b, 0, b.length);
        assertThat(new String(s.withModel(b, "gpt-4o-2024-08-06"), StandardCharsets.UTF_8))
                .isEqualTo("{ \"model\" : \"gpt-4o-2024-08-06\",\"x\":\"é\\\"\", \"n\": 1}");
        assertThat(s.withModel(b, "fast")).isSameAs(b);
        assertThat(new String(s.withModel(b, "a\"b"), StandardCharsets.UTF_8)).contains("\"model\" : \"a\\\"b\"");
        String escaped = "{\"model\":\"a\\u0062\"}";
        byte[] e = escaped.getBytes(StandardCharsets.UTF_8);
        RequestScan se = RequestScan.of(e, 0, e.length);
        assertThat(se.model()).isEqualTo("ab");
        assertThat(new String(se.withModel(e, "m"), StandardCharsets.UTF_8)).isEqualTo("{\"model\":\"m\"}");
    }

    @Test
    void of_badBodies_are400sNamingWhatIsWrong() {
        assertThatThrownBy(() -> scan("[1]")).isInstanceOf(ApiException.class).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> scan("{\"model\":")).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> scan("{\"model\":5}")).hasMessage("model must be a string");
        assertThatThrownBy(() -> scan("{\"stream\":\"yes\",\"model\":\"m\"}"))
                .hasMessage("stream must be true or false");
        assertThatThrownBy(() -> scan("{} {}")).hasMessageContaining("one JSON object");
        assertThatThrownBy(() -> scan("")).isInstanceOf(ApiException.class);
    }

    @Test
    void of_aBodyNestedPastTheParsersLimit_orAModelWithControlCharacters_isA400() {
        assertThatThrownBy(() -> scan("{\"x\":" + "[".repeat(5000) + "]".repeat(5000) + ",\"model\":\"m\"}"))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("not valid JSON")
                .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(400));
        assertThatThrownBy(() -> scan("{\"model\":\"gpt\\u0000-4o\"}"))
                .isInstanceOf(ApiException.class)
                .hasMessage("model must not contain control characters");
    }
}
