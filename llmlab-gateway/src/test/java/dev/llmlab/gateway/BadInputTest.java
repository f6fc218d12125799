package dev.llmlab.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.gateway.config.GatewayConfigs;
import dev.llmlab.sim.Simulator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The simulator's corpus of bad requests (copied from the simulator's BadInputCorpusTest, with the
 * oversized cases sized past the gateway's own limits), sent over raw sockets to the gateway in
 * front of the simulator with its default routes. Each must get a 4xx with the ingress API's JSON
 * error, or, where HTTP leaves no choice, a closed connection; none may reach the simulator, none
 * may log a stack trace, and the gateway must serve a good request after them.
 */
class BadInputTest {
    @TempDir
    static Path dir;

    private static SimHarness h;
    private static Simulator sim;
    private static Gateway gateway;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @BeforeAll
    static void start() {
        h = new SimHarness(dir);
        sim = h.simulator("", 0);
        gateway =
                h.keep(Gateway.start(GatewayTest.local(GatewayConfigs.forSimulator("http://127.0.0.1:" + sim.port()))));
    }

    @AfterAll
    static void stop() throws Exception {
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
        // the gateway takes bodies up to 4 MB and heads up to 16 KB: the oversized cases are over those
        c.add(post("oversized body", chat, chatWith("\"user\":\"" + "x".repeat(4_200_000) + "\""), Expect.JSON_4XX));
        c.add(raw(
                "oversized headers",
                ascii("GET /v1/models HTTP/1.1\r\nHost: x\r\nX-Big: " + "y".repeat(20_000) + "\r\n\r\n"),
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
            "GET /v1/models HTTP/1.1\r\nBad Header Line\r\n\r\n"
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
    void badInput_getsTheIngressApisRefusal_andNeverReachesTheSimulator(String name, Req req, Expect expect)
            throws Exception {
        double before = h.simRequests(sim);
        Answer a = send(req.bytes());
        if (expect == Expect.JSON_4XX) {
            assertThat(a.status).as(name + ": " + a).isBetween(400, 499);
            var error = JSON.readTree(a.body);
            assertThat(error.has("error")).as(name + ": " + a.body).isTrue();
            if (name.startsWith("anthropic")) // Anthropic's shape: {"type":"error","error":{...}}
            assertThat(error.path("type").asString()).as(a.body).isEqualTo("error");
        } else {
            assertThat(a.status == 0 || (a.status >= 400 && a.status < 500))
                    .as(name + ": " + a)
                    .isTrue();
        }
        assertThat(h.simRequests(sim)).as(name + ": nothing was forwarded").isEqualTo(before);
    }

    @Test
    void afterTheCorpus_nothingWasLoggedWithAStackTrace_andTheGatewayServesOn() throws Exception {
        // the test logger writes to System.err, read at each line: catch what the corpus makes it print
        PrintStream err = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setErr(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            corpus().forEach(args -> {
                try {
                    send(((Req) args.get()[1]).bytes());
                } catch (IOException ignored) {
                    // closed connections are allowed outcomes
                }
            });
        } finally {
            System.setErr(err);
        }
        String log = printed.toString(StandardCharsets.UTF_8);
        err.print(log);
        assertThat(log.lines().filter(l -> l.startsWith("\tat ") || l.contains("Exception")))
                .isEmpty();
        assertThat(h.post(gateway.port(), "/v1/chat/completions", SimHarness.chat("gpt-4o", false, 5))
                        .statusCode())
                .isEqualTo(200);
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

    /** Sends the bytes, half-closes, and reads the answer: status and body, or status 0 if the gateway just closed. */
    private static Answer send(byte[] request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", gateway.port())) {
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(request);
                out.flush();
                s.shutdownOutput();
            } catch (IOException e) {
                // the gateway may close before reading everything (oversized input): read what it said
            }
            InputStream in = s.getInputStream();
            byte[] all;
            try {
                all = in.readAllBytes();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the gateway neither answered nor closed within 5 s (a hang)");
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
