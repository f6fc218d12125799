package dev.llmlab.http.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestHeadTest {
    private static final Origin ORIGIN = Origin.of("http://api.example:8080");

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void of_writesTheLineAndHeadersInOrder_withHostFirstUnlessGiven() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Authorization", "Bearer k");
        h.put("x-empty", null);
        RequestHead head = RequestHead.of(ORIGIN, "POST", "/v1/chat/completions?a=1", h);
        assertThat(text(head.bytes()))
                .isEqualTo("POST /v1/chat/completions?a=1 HTTP/1.1\r\nhost: api.example:8080\r\n"
                        + "Authorization: Bearer k\r\nx-empty: \r\n");
        h.put("Host", "other");
        assertThat(text(RequestHead.of(ORIGIN, "GET", "/", h).bytes()))
                .isEqualTo("GET / HTTP/1.1\r\nAuthorization: Bearer k\r\nx-empty: \r\nHost: other\r\n");
    }

    @Test
    void of_beyondAscii_isUtf8_andTheAbsoluteFormKeepsTheHeaders() {
        RequestHead head = RequestHead.of(ORIGIN, "POST", "/v1/é", Map.of("x-name", "zoë"));
        assertThat(text(head.bytes())).isEqualTo("POST /v1/é HTTP/1.1\r\nhost: api.example:8080\r\nx-name: zoë\r\n");
        assertThat(text(head.absoluteBytes("Basic cDpx")))
                .isEqualTo("POST http://api.example:8080/v1/é HTTP/1.1\r\nhost: api.example:8080\r\nx-name: zoë\r\n"
                        + "proxy-authorization: Basic cDpx\r\n");
        RequestHead ascii = RequestHead.of(ORIGIN, "GET", "/m", Map.of());
        assertThat(text(ascii.absoluteBytes(null)))
                .isEqualTo("GET http://api.example:8080/m HTTP/1.1\r\nhost: api.example:8080\r\n");
    }

    @Test
    void of_refusesWhatCannotBeSent() {
        assertThatThrownBy(() -> RequestHead.of(ORIGIN, "GE T", "/", Map.of())).hasMessageContaining("HTTP method");
        assertThatThrownBy(() -> RequestHead.of(ORIGIN, "GET", "/a b", Map.of()))
                .hasMessageContaining("target");
        assertThatThrownBy(() -> RequestHead.of(ORIGIN, "GET", "/", Map.of("a:b", "v")))
                .hasMessageContaining("not a token");
        assertThatThrownBy(() -> RequestHead.of(ORIGIN, "GET", "/", Map.of("x", "a\r\nb")))
                .hasMessageContaining("line break");
        assertThatThrownBy(() -> RequestHead.of(ORIGIN, "GET", "/", Map.of("Content-Length", "1")))
                .hasMessageContaining("client's own");
    }
}
