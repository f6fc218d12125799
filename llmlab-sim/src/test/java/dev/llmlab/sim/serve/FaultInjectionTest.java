package dev.llmlab.sim.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmlab.core.config.ConfigLoader;
import dev.llmlab.sim.Simulator;
import dev.llmlab.sim.catalog.Catalog.LatencyOverride;
import dev.llmlab.sim.config.SimConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** Every fault kind, from the header and from configured rules, as a real client sees it. */
class FaultInjectionTest {
    private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"max_tokens\":%d,\"stream\":%s,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    /** Long natural replies, so that max_tokens decides every stream's length below. */
    private static final String LONG =
            "models: [{id: gpt-4o-mini, output_tokens: \"500\"}, {id: claude-haiku-4-5, output_tokens: \"500\"}]";

    private static final String MESSAGES = "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":%d,\"stream\":%s,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    @ParameterizedTest(name = "status={0}")
    @CsvSource({
        "429, requests, rate_limit_exceeded",
        "500, server_error, ",
        "502, server_error, ",
        "503, server_error, ",
        "504, server_error, ",
        "401, invalid_request_error, invalid_api_key"
    })
    void statusFault_onOpenAi_isTheProvidersError(int status, String type, String code) {
        try (SimHarness h = SimHarness.start()) {
            HttpResponse<String> r = post(h, "/v1/chat/completions", CHAT.formatted(5, false), "status=" + status);
            assertThat(r.statusCode()).isEqualTo(status);
            JsonNode e = SimHarness.json(r.body()).get("error");
            assertThat(e.get("type").stringValue()).isEqualTo(type);
            assertThat(e.get("message").stringValue()).isNotBlank();
            if (code != null) assertThat(e.get("code").stringValue()).isEqualTo(code);
            if (status == 429 || status == 503)
                assertThat(r.headers().firstValue("retry-after")).hasValue("1");
            if (status == 429) {
                assertThat(r.headers().firstValue("x-ratelimit-remaining-requests"))
                        .hasValue("0");
                assertThat(r.headers().firstValue("x-ratelimit-reset-requests")).hasValue("1s");
            }
            assertThat(h.metrics().value("llmlab_faults_injected_total", "kind", "status", "model", "gpt-4o-mini"))
                    .isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "status={0}")
    @CsvSource({"429, rate_limit_error", "529, overloaded_error", "500, api_error", "401, authentication_error"})
    void statusFault_onAnthropic_isTheProvidersError(int status, String type) {
        try (SimHarness h = SimHarness.start()) {
            HttpResponse<String> r = h.send(AnthropicMessagesTest.anthropic(h, "/v1/messages")
                    .header("x-llmlab-fault", "status=" + status)
                    .POST(HttpRequest.BodyPublishers.ofString(MESSAGES.formatted(5, false)))
                    .build());
            assertThat(r.statusCode()).isEqualTo(status);
            JsonNode e = SimHarness.json(r.body());
            assertThat(e.get("type").stringValue()).isEqualTo("error");
            assertThat(e.at("/error/type").stringValue()).isEqualTo(type);
            if (status == 429)
                assertThat(r.headers().firstValue("anthropic-ratelimit-requests-remaining"))
                        .hasValue("0");
            if (status == 429 || status == 529)
                assertThat(r.headers().firstValue("retry-after")).hasValue("1");
        }
    }

    @Test
    void delay_postponesTheAnswer() {
        try (SimHarness h = SimHarness.start()) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = post(h, "/v1/chat/completions", CHAT.formatted(3, false), "delay=300");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(h.metrics().value("llmlab_faults_injected_total", "kind", "delay", "model", "gpt-4o-mini"))
                    .isEqualTo(1);
        }
    }

    @Test
    void hang_neverAnswers_andTheServerKeepsServingOthers() {
        try (SimHarness h = SimHarness.start()) {
            HttpRequest hung = HttpRequest.newBuilder(URI.create(h.url("/v1/chat/completions")))
                    .header("content-type", "application/json")
                    .header("x-llmlab-fault", "hang")
                    .timeout(Duration.ofMillis(300))
                    .POST(HttpRequest.BodyPublishers.ofString(CHAT.formatted(3, false)))
                    .build();
            assertThatThrownBy(() -> h.client.send(hung, HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(HttpTimeoutException.class);
            assertThat(h.post("/v1/chat/completions", CHAT.formatted(3, false)).statusCode())
                    .isEqualTo(200);
            assertThat(h.metrics().value("llmlab_faults_injected_total", "kind", "hang", "model", "gpt-4o-mini"))
                    .isEqualTo(1);
        }
    }

    @Test
    void stall_pausesTheStreamAfterTheGivenTokens() throws IOException {
        try (SimHarness h = SimHarness.start(LONG)) {
            RawStream s = RawStream.open(h, "/v1/chat/completions", CHAT.formatted(5, true), "stall=400@2");
            // Frames: role, content x5, finish, [DONE]. The pause falls between the 2nd and 3rd token.
            List<String> frames = s.frames;
            assertThat(frames.getLast()).isEqualTo("data: [DONE]");
            // Measured from the request's send, which no scheduling delay of this client can shorten: the
            // first two tokens come well before the stall's end, the third after it.
            assertThat(s.sinceSent(2)).isLessThan(Duration.ofMillis(400));
            assertThat(s.sinceSent(3)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
            assertThat(content(frames)).hasSize(5);
        }
    }

    @Test
    void dropAfter_closesTheConnectionMidStream() throws IOException {
        try (SimHarness h = SimHarness.start(LONG)) {
            RawStream s = RawStream.open(h, "/v1/chat/completions", CHAT.formatted(10, true), "drop-after=3");
            assertThat(content(s.frames)).hasSize(3);
            assertThat(s.frames).doesNotContain("data: [DONE]");
            assertThat(s.cleanEnd).as("chunked body ended properly").isFalse();
            assertThat(h.metrics().value("llmlab_faults_injected_total", "kind", "drop", "model", "gpt-4o-mini"))
                    .isEqualTo(1);
        }
    }

    @Test
    void dropAfter_onAWholeAnswer_closesWithoutAResponse() {
        try (SimHarness h = SimHarness.start()) {
            assertThatThrownBy(() -> post(h, "/v1/chat/completions", CHAT.formatted(3, false), "drop-after=0"))
                    .hasRootCauseInstanceOf(IOException.class);
        }
    }

    @Test
    void truncate_endsTheStreamWithoutItsTerminator() throws IOException {
        try (SimHarness h = SimHarness.start(LONG)) {
            RawStream all = RawStream.open(h, "/v1/chat/completions", CHAT.formatted(4, true), "truncate");
            assertThat(content(all.frames)).hasSize(4);
            assertThat(all.frames).doesNotContain("data: [DONE]");
            assertThat(all.cleanEnd)
                    .as("the HTTP response itself ends properly")
                    .isTrue();

            RawStream early = RawStream.open(h, "/v1/chat/completions", CHAT.formatted(10, true), "truncate=2");
            assertThat(content(early.frames)).hasSize(2);
            assertThat(early.frames).doesNotContain("data: [DONE]");

            RawStream anthropic = RawStream.openAnthropic(h, MESSAGES.formatted(4, true), "truncate");
            assertThat(anthropic.frames).noneMatch(f -> f.startsWith("event: message_stop"));
            assertThat(anthropic.frames.getLast()).startsWith("event: message_delta");
        }
    }

    @Test
    void malformed_sendsOneFrameOfBrokenJson_andTheStreamGoesOn() throws IOException {
        try (SimHarness h = SimHarness.start(LONG)) {
            RawStream s = RawStream.open(h, "/v1/chat/completions", CHAT.formatted(4, true), "malformed=2");
            List<String> broken = new ArrayList<>();
            for (String f : s.frames) {
                if (f.equals("data: [DONE]")) continue;
                try {
                    SimHarness.json(f.substring(6));
                } catch (JacksonException e) {
                    broken.add(f);
                }
            }
            assertThat(broken).hasSize(1);
            assertThat(s.frames.getLast()).isEqualTo("data: [DONE]");
            assertThat(content(s.frames)).hasSize(4);
        }
    }

    @Test
    void truncateAndMalformed_onWholeAnswers_areInvalidJson() {
        try (SimHarness h = SimHarness.start()) {
            for (String kind : List.of("truncate", "malformed")) {
                HttpResponse<String> r = post(h, "/v1/chat/completions", CHAT.formatted(3, false), kind);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThatThrownBy(() -> SimHarness.json(r.body())).as(kind).isInstanceOf(JacksonException.class);
            }
        }
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "explode       | unknown fault kind 'explode'",
                "status=abc    | 'status' needs a whole number >= 0, got 'abc'",
                "status=200    | status must be an HTTP error status (400-599), got 200",
                "hang=3        | 'hang' takes no value",
                "delay         | 'delay' needs a value"
            })
    void badHeader_isA400NamingTheProblem(String header, String problem) {
        try (SimHarness h = SimHarness.start()) {
            HttpResponse<String> r = post(h, "/v1/chat/completions", CHAT.formatted(3, false), header);
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(SimHarness.json(r.body()).at("/error/message").stringValue())
                    .startsWith("Invalid X-Llmlab-Fault header: ")
                    .contains(problem);
        }
    }

    @Test
    void header_canBeDisabled() {
        try (SimHarness h = SimHarness.start("faults: {header: false}")) {
            assertThat(post(h, "/v1/chat/completions", CHAT.formatted(3, false), "status=500")
                            .statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void rules_applyByModelAndEndpoint() {
        try (SimHarness h = SimHarness.start("""
        faults:
          rules:
            - {kind: status, status: 503, probability: 1, models: [gpt-4o-mini], endpoints: [chat]}
        """)) {
            assertThat(h.post("/v1/chat/completions", CHAT.formatted(3, false)).statusCode())
                    .isEqualTo(503);
            assertThat(h.post("/v1/chat/completions", CHAT.formatted(3, false).replace("gpt-4o-mini", "gpt-4o"))
                            .statusCode())
                    .isEqualTo(200);
            assertThat(h.post("/v1/completions", "{\"model\":\"gpt-4o-mini\",\"prompt\":\"x\",\"max_tokens\":2}")
                            .statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void probabilities_areSeeded_reproducible_andNearTheirRate() {
        String yaml = """
        seed: 99
        faults:
          rules:
            - {kind: status, status: 500, probability: 0.3}
        """;
        List<Integer> first = statuses(yaml, 200);
        List<Integer> second = statuses(yaml, 200);
        assertThat(second).isEqualTo(first);
        long failed = first.stream().filter(s -> s == 500).count();
        assertThat(failed).isBetween(40L, 80L); // 0.3 x 200 = 60; about 3 standard deviations either side
    }

    @Test
    void scenario_fullOutage_failsEverything_andUnknownScenariosAreConfigErrors() {
        try (SimHarness h = SimHarness.start("faults: {scenario: full-outage}")) {
            for (int i = 0; i < 5; i++) {
                assertThat(h.post("/v1/chat/completions", CHAT.formatted(3, false))
                                .statusCode())
                        .isEqualTo(503);
            }
        }
        SimConfig bad = ConfigLoader.parse("faults: {scenario: meteor-strike}", "t.yaml", SimConfig.class);
        assertThatThrownBy(() -> Simulator.start(bad, LatencyOverride.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown scenario 'meteor-strike'")
                .hasMessageContaining("rate-limit-storm");
    }

    @Test
    void configuredRule_errors_nameTheField() {
        assertThatThrownBy(() -> ConfigLoader.parse(
                        "faults: {rules: [{kind: status, probability: 1}]}", "t.yaml", SimConfig.class))
                .hasMessageContaining("status is required for a status fault");
        assertThatThrownBy(() -> ConfigLoader.parse(
                        "faults: {rules: [{kind: status, status: 500, probability: 2}]}", "t.yaml", SimConfig.class))
                .hasMessageContaining("probability must be 0 to 1");
    }

    // ------------------------------------------------------------------ helpers

    private static List<Integer> statuses(String yaml, int n) {
        List<Integer> out = new ArrayList<>();
        try (SimHarness h = SimHarness.start(yaml)) {
            for (int i = 0; i < n; i++)
                out.add(h.post("/v1/chat/completions", CHAT.formatted(1, false)).statusCode());
        }
        return out;
    }

    private static HttpResponse<String> post(SimHarness h, String path, String body, String fault) {
        return h.send(HttpRequest.newBuilder(URI.create(h.url(path)))
                .header("content-type", "application/json")
                .header("x-llmlab-fault", fault)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    private static List<String> content(List<String> frames) {
        return frames.stream()
                .filter(f -> f.contains("\"content\":\"") && !f.contains("\"role\""))
                .toList();
    }

    /**
     * A streamed response read from a raw socket: each SSE frame with its arrival time, and whether
     * the chunked body ended with its last-chunk marker (a clean end) or the connection just closed.
     */
    static final class RawStream {
        final List<String> frames = new ArrayList<>();
        final List<Long> arrivals = new ArrayList<>();
        boolean cleanEnd;

        static RawStream open(SimHarness h, String path, String body, String fault) throws IOException {
            return read(
                    h,
                    "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Llmlab-Fault: "
                            + fault + "\r\nConnection: close\r\n",
                    body);
        }

        static RawStream openAnthropic(SimHarness h, String body, String fault) throws IOException {
            return read(
                    h,
                    "POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                            + "anthropic-version: 2023-06-01\r\nX-Llmlab-Fault: " + fault + "\r\nConnection: close\r\n",
                    body);
        }

        private static RawStream read(SimHarness h, String head, String body) throws IOException {
            RawStream r = new RawStream();
            r.sent = System.nanoTime();
            try (Socket s = new Socket("127.0.0.1", h.sim.port())) {
                s.setSoTimeout(10_000);
                byte[] b = body.getBytes(StandardCharsets.UTF_8);
                OutputStream out = s.getOutputStream();
                out.write((head + "Content-Length: " + b.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(b);
                out.flush();
                InputStream in = s.getInputStream();
                String status = line(in);
                if (!status.startsWith("HTTP/1.1 200")) throw new AssertionError("status line " + status);
                while (!line(in).isEmpty()) {} // headers
                StringBuilder pending = new StringBuilder();
                while (true) {
                    String size = line(in);
                    if (size == null) return r; // connection closed without the last chunk
                    int n = Integer.parseInt(size.strip(), 16);
                    if (n == 0) {
                        r.cleanEnd = true;
                        return r;
                    }
                    byte[] chunk = in.readNBytes(n);
                    if (chunk.length < n) return r;
                    line(in); // CRLF after the chunk
                    pending.append(new String(chunk, StandardCharsets.UTF_8));
                    int end;
                    while ((end = pending.indexOf("\n\n")) >= 0) {
                        r.frames.add(pending.substring(0, end));
                        r.arrivals.add(System.nanoTime());
                        pending.delete(0, end + 2);
                    }
                }
            }
        }

        /** The gap before the frame of the {@code token}-th content token (1-based; frame 0 is the role). */
        long sent;

        Duration sinceSent(int frame) {
            return Duration.ofNanos(arrivals.get(frame) - sent);
        }

        /** A CRLF-terminated line, or null at the end of the stream. */
        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) >= 0) {
                if (c == '\n') {
                    String s = b.toString(StandardCharsets.US_ASCII);
                    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
                }
                b.write(c);
            }
            return b.size() == 0 ? null : b.toString(StandardCharsets.US_ASCII);
        }
    }
}
