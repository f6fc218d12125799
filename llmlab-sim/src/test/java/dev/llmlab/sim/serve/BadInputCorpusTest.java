package dev.llmlab.sim.serve;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * A corpus of bad requests sent over raw sockets: malformed JSON, wrong types, out-of-range
 * numbers, invalid UTF-8, deep nesting, oversized bodies and headers, bad chunked encoding,
 * garbage request lines, abandoned requests. Each must get a 4xx with the API's JSON error, or,
 * where HTTP leaves no choice, a closed connection; never a 5xx, a hang, or a logged stack trace.
 * The server must then still serve a good request.
 */
class BadInputCorpusTest {
    static SimHarness h;
    static ListAppender<ILoggingEvent> logs;

    @BeforeAll
    static void start() {
        h = SimHarness.start("server: {max_body_bytes: 65536, max_header_bytes: 8192}");
        logs = new ListAppender<>();
        logs.start();
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        h.close();
    }

    /** How a case may end: a 4xx with a JSON error body, or a 4xx or a closed connection. */
    enum Expect {
        JSON_4XX,
        HTTP_4XX_OR_CLOSE
    }

    static Stream<Arguments> corpus() {
        List<Arguments> c = new ArrayList<>();
        String chat = "/v1/chat/completions";
        String messages = "/v1/messages";
        // Malformed JSON
        for (String body : new String[] {
            "",
            "{",
            "}",
            "[",
            "\"text\"",
            "null",
            "{\"model\":}",
            "{\"model\":\"gpt-4o\",}",
            "{'model':'gpt-4o'}",
            "{\"model\":\"gpt-4o\" \"messages\":[]}",
            "{\"model\":NaN}",
            "/* c */{}",
            "\uFEFF{}",
            "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} trailing"
        }) {
            c.add(post("malformed json: " + body, chat, body, Expect.JSON_4XX));
        }
        // Wrong types
        for (String fields : new String[] {
            "\"model\":5",
            "\"messages\":{}",
            "\"messages\":[{\"role\":\"user\",\"content\":5}]",
            "\"messages\":[{\"role\":7,\"content\":\"x\"}]",
            "\"max_tokens\":\"abc\"",
            "\"stream\":\"yes\"",
            "\"temperature\":\"hot\"",
            "\"n\":[1]",
            "\"stop\":{\"a\":1}",
            "\"tools\":\"none\"",
            "\"tool_choice\":7",
            "\"response_format\":\"json\"",
            "\"logprobs\":1",
            "\"seed\":\"s\"",
            "\"stream_options\":[]"
        }) {
            c.add(post("wrong type: " + fields, chat, chatWith(fields), Expect.JSON_4XX));
        }
        // Out-of-range numbers
        for (String fields : new String[] {
            "\"max_tokens\":-1",
            "\"max_tokens\":1e400",
            "\"temperature\":3",
            "\"top_p\":2",
            "\"seed\":1e30",
            "\"n\":0",
            "\"n\":100000",
            "\"top_logprobs\":21,\"logprobs\":true",
            "\"max_tokens\":99999999999999999999",
            "\"frequency_penalty\":5"
        }) {
            c.add(post("out of range: " + fields, chat, chatWith(fields), Expect.JSON_4XX));
        }
        // Invalid UTF-8 and strange strings
        c.add(raw(
                "invalid utf-8 in a string",
                request(
                        "POST",
                        chat,
                        bytes("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":" + "\"user\",\"content\":\""),
                        new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0xc0, (byte) 0x80},
                        bytes("\"}]}")),
                Expect.JSON_4XX));
        c.add(raw(
                "invalid utf-8 in a key",
                request("POST", chat, bytes("{\""), new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, bytes("\":1}")),
                Expect.JSON_4XX));
        c.add(post("lone surrogate escape", chat, chatWith("\"user\":\"\\ud800\",\"max_tokens\":-5"), Expect.JSON_4XX));
        c.add(post(
                "nul in model",
                chat,
                "{\"model\":\"gpt\\u0000-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
                Expect.JSON_4XX));
        // Deep nesting
        c.add(post(
                "deeply nested unknown field",
                chat,
                chatWith("\"x\":" + "[".repeat(5000) + "]".repeat(5000)),
                Expect.JSON_4XX));
        c.add(post(
                "deeply nested content",
                chat,
                "{\"model\":\"gpt-4o\",\"messages\":" + "[".repeat(3000) + "]".repeat(3000) + "}",
                Expect.JSON_4XX));
        // Sizes
        c.add(post("oversized body", chat, chatWith("\"user\":\"" + "x".repeat(70_000) + "\""), Expect.JSON_4XX));
        c.add(raw(
                "oversized headers",
                ascii("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "y".repeat(10_000) + "\r\n\r\n"),
                Expect.HTTP_4XX_OR_CLOSE));
        c.add(raw(
                "oversized request line",
                ascii("GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"),
                Expect.HTTP_4XX_OR_CLOSE));
        // Framing
        c.add(raw(
                "bad chunk size",
                ascii("POST " + chat + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"),
                Expect.HTTP_4XX_OR_CLOSE));
        c.add(raw(
                "chunk size overflow",
                ascii("POST " + chat + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "fffffffffffffffffff\r\n{}\r\n0\r\n\r\n"),
                Expect.HTTP_4XX_OR_CLOSE));
        c.add(raw(
                "content-length not a number",
                ascii("POST " + chat + " HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}"),
                Expect.HTTP_4XX_OR_CLOSE));
        c.add(raw(
                "negative content-length",
                ascii("POST " + chat + " HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n{}"),
                Expect.HTTP_4XX_OR_CLOSE));
        c.add(raw(
                "conflicting content-lengths",
                ascii("POST " + chat + " HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
                        + "Content-Length: 3\r\n\r\n{}x"),
                Expect.HTTP_4XX_OR_CLOSE));
        c.add(raw(
                "content-length with chunked",
                ascii("POST " + chat + " HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"),
                Expect.HTTP_4XX_OR_CLOSE));
        c.add(raw(
                "unsupported expectation",
                ascii("POST " + chat + " HTTP/1.1\r\nHost: x\r\nExpect: teapot\r\n" + "Content-Length: 2\r\n\r\n{}"),
                Expect.HTTP_4XX_OR_CLOSE));
        // Garbage request lines
        for (String line : new String[] {
            "GARBAGE\r\n\r\n",
            "GET\r\n\r\n",
            "GET / HTTP/9.9\r\n\r\n",
            "\u0000\u0001\u0002\r\n\r\n",
            "POST  HTTP/1.1\r\n\r\n",
            "GET /health HTTP/1.1\r\nBad Header Line\r\n\r\n"
        }) {
            c.add(raw("garbage: " + line.strip(), ascii(line), Expect.HTTP_4XX_OR_CLOSE));
        }
        // Anthropic
        for (String body : new String[] {
            "{",
            "{\"model\":\"claude-sonnet-4-5\"}",
            "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":\"x\"," + "\"messages\":[]}",
            "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\"}]}",
            "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":[{}]}]}",
            "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":5,\"system\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"
        }) {
            c.add(Arguments.of(
                    "anthropic: " + body, request("POST", messages, bytes(body)).replaceHeaders(), Expect.JSON_4XX));
        }
        // Other endpoints
        c.add(post(
                "embeddings without input",
                "/v1/embeddings",
                "{\"model\":\"text-embedding-3-small\"}",
                Expect.JSON_4XX));
        c.add(post(
                "embeddings with bad token ids",
                "/v1/embeddings",
                "{\"model\":\"text-embedding-3-small\",\"input\":[[-1]]}",
                Expect.JSON_4XX));
        c.add(post(
                "completions with a bad prompt",
                "/v1/completions",
                "{\"model\":\"gpt-3.5-turbo-instruct\",\"prompt\":{}}",
                Expect.JSON_4XX));
        return c.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void badInput_getsAClearRefusal(String name, Req req, Expect expect) throws IOException {
        Answer a = send(req.bytes());
        if (expect == Expect.JSON_4XX) {
            assertThat(a.status).as(name + ": " + a).isBetween(400, 499);
            assertThat(SimHarness.json(a.body).has("error"))
                    .as(name + ": " + a.body)
                    .isTrue();
        } else {
            assertThat(a.status == 0 || (a.status >= 400 && a.status < 500))
                    .as(name + ": " + a)
                    .isTrue();
        }
    }

    @Test
    void abandonedRequests_areDroppedQuietly_andTheServerServesOn() throws IOException {
        // A body promised but never sent, a chunked body never finished, a request line never ended.
        for (String partial : new String[] {
            "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{\"model\":",
            "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"mod",
            "GET /heal"
        }) {
            try (Socket s = new Socket("127.0.0.1", h.sim.port())) {
                s.getOutputStream().write(partial.getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
            }
        }
        assertThat(h.post(
                                "/v1/chat/completions",
                                "{\"model\":\"gpt-4o\",\"max_tokens\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void aSlowClientThatStopsMidRequest_isClosedByTheIdleTimeout_whileOthersAreServed() throws IOException {
        try (SimHarness quick = SimHarness.start("server: {idle_timeout: 300ms}");
                Socket slow = new Socket("127.0.0.1", quick.sim.port())) {
            slow.setSoTimeout(10_000);
            slow.getOutputStream()
                    .write("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Le"
                            .getBytes(StandardCharsets.US_ASCII));
            slow.getOutputStream().flush();
            assertThat(quick.get("/health").statusCode())
                    .as("others are served meanwhile")
                    .isEqualTo(200);
            // The server answers the stalled request 408 and closes the connection by itself.
            assertThat(untilClosed(slow)).startsWith("HTTP/1.1 408 ");
        }
    }

    @Test
    void slowClients_get408InTheirApisShape_andOneWarningLineWithoutAStackTrace() throws IOException {
        try (SimHarness quick = SimHarness.start("server: {header_timeout: 300ms, body_timeout: 300ms}")) {
            int logged = logs.list.size();
            List<String> answers = new ArrayList<>();
            for (String partial : List.of(
                    "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n", // a head never finished
                    "GET /v1/models HTTP/1.1\r\n",
                    "POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"model\"")) {
                try (Socket slow = new Socket("127.0.0.1", quick.sim.port())) {
                    slow.setSoTimeout(10_000);
                    slow.getOutputStream().write(partial.getBytes(StandardCharsets.US_ASCII));
                    slow.getOutputStream().flush();
                    answers.add(untilClosed(slow));
                }
            }
            assertThat(answers).allSatisfy(a -> assertThat(a).startsWith("HTTP/1.1 408 "));
            // Nothing of the request was read: OpenAI's shape. A body too slow for the Messages API: Anthropic's.
            assertThat(answers.get(0)).contains("{\"error\":{\"message\":\"request head not received in time");
            assertThat(answers.get(2))
                    .contains("\"type\":\"error\"")
                    .contains("request body not received in time: 8 of 100 bytes");
            List<ILoggingEvent> warnings = logs.list.subList(logged, logs.list.size()).stream()
                    .filter(e -> e.getFormattedMessage().contains("slow clients"))
                    .toList();
            // One line per condition (heads, bodies), the second slow head within 10 s counted, not logged.
            assertThat(warnings)
                    .hasSize(2)
                    .allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull());
            assertThat(warnings.get(0).getFormattedMessage())
                    .startsWith("closing slow clients with 408 (request head not received in time: 0.3 s)");
            assertThat(warnings.get(1).getFormattedMessage())
                    .startsWith("closing slow clients with 408 (request body not received in time");
            assertThat(quick.get("/health").statusCode()).isEqualTo(200);
        }
    }

    /** Everything the server sends until it closes the connection. */
    private static String untilClosed(Socket s) throws IOException {
        return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void afterTheCorpus_nothingWasLoggedWithAStackTrace() {
        corpus().forEach(args -> {
            try {
                send(((Req) args.get()[1]).bytes());
            } catch (IOException ignored) {
                // closed connections are allowed outcomes
            }
        });
        assertThat(logs.list.stream()
                        .filter(e -> e.getThrowableProxy() != null)
                        .map(ILoggingEvent::getFormattedMessage))
                .isEmpty();
        assertThat(h.get("/health").statusCode()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ helpers

    /** A request's bytes; Anthropic cases get the version header. */
    record Req(byte[] bytes) {
        Req replaceHeaders() {
            String s = new String(bytes, StandardCharsets.ISO_8859_1);
            return new Req(s.replaceFirst("\r\n", "\r\nanthropic-version: 2023-06-01\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
        }

        @Override
        public String toString() {
            return bytes.length + " bytes";
        }
    }

    record Answer(int status, String body) {}

    private static Arguments post(String name, String path, String body, Expect expect) {
        return Arguments.of(
                name.length() > 80 ? name.substring(0, 80) + "..." : name, request("POST", path, bytes(body)), expect);
    }

    private static Arguments raw(String name, Req req, Expect expect) {
        return Arguments.of(name.length() > 80 ? name.substring(0, 80) + "..." : name, req, expect);
    }

    private static Arguments raw(String name, byte[] bytes, Expect expect) {
        return raw(name, new Req(bytes), expect);
    }

    private static Req request(String method, String path, byte[]... body) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] part : body) b.writeBytes(part);
        byte[] payload = b.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ascii(
                method + " " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\n"
                        + "Content-Length: " + payload.length + "\r\n\r\n"));
        out.writeBytes(payload);
        return new Req(out.toByteArray());
    }

    private static String chatWith(String fields) {
        return "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]," + fields + "}";
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Sends the bytes, half-closes, and reads the answer: status and body, or status 0 if the server just closed. */
    private static Answer send(byte[] request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", h.sim.port())) {
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(request);
                out.flush();
                s.shutdownOutput();
            } catch (IOException e) {
                // the server may close before reading everything (oversized input): read what it said
            }
            InputStream in = s.getInputStream();
            byte[] all;
            try {
                all = in.readAllBytes();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server neither answered nor closed within 5 s (a hang)");
            } catch (IOException e) {
                return new Answer(0, "");
            }
            String text = new String(all, StandardCharsets.UTF_8);
            if (!text.startsWith("HTTP/1.")) return new Answer(0, text);
            int status = Integer.parseInt(text.substring(9, 12));
            int bodyAt = text.indexOf("\r\n\r\n");
            return new Answer(status, bodyAt < 0 ? "" : text.substring(bodyAt + 4));
        }
    }
}
