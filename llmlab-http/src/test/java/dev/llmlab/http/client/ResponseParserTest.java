package dev.llmlab.http.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResponseParserTest {
    /** What the parser reported: one line per response, "status keepAlive sse body". */
    static final class Seen implements ResponseParser.Listener {
        final List<String> responses = new ArrayList<>();
        private String head;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();

        final List<String> retryAfter = new ArrayList<>();

        @Override
        public void head(ResponseHead h) {
            head = h.status() + " " + (h.keepAlive() ? "keep" : "close") + (h.eventStream() ? " sse" : "");
            retryAfter.add(h.header("Retry-After"));
            body.reset();
        }

        @Override
        public void body(ByteBuf buf, int index, int length) {
            byte[] b = new byte[length];
            buf.getBytes(index, b);
            body.writeBytes(b);
        }

        @Override
        public void end() {
            responses.add(head + " [" + body.toString(StandardCharsets.UTF_8) + "]");
        }
    }

    /** Feeds {@code wire} in pieces of {@code chunk} bytes. */
    static Seen parse(String wire, int chunk) {
        Seen seen = new Seen();
        ResponseParser p = new ResponseParser(seen);
        byte[] bytes = wire.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += chunk) {
            ByteBuf b = Unpooled.wrappedBuffer(bytes, i, Math.min(chunk, bytes.length - i));
            while (b.isReadable()) p.feed(b); // each call stops at the end of a response
        }
        return seen;
    }

    static final String KEEP_ALIVE_PAIR =
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n"
                    + "{\"a\":1}"
                    + "HTTP/1.1 100 Continue\r\n\r\n" // interim: skipped
                    + "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream; charset=utf-8\r\ntransfer-encoding: chunked\r\n\r\n"
                    + "6;ext=1\r\ndata: \r\n" + "c\r\nx\n\ndata: é\n\r\n"
                    + "0\r\nX-Trailer: t\r\n\r\n" // c: é is two bytes
                    + "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n";

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 7, 13, 64, 100_000})
    void keepAliveResponses_splitAnywhere(int chunk) {
        assertThat(parse(KEEP_ALIVE_PAIR, chunk).responses)
                .containsExactly("200 keep [{\"a\":1}]", "200 keep sse [data: x\n\ndata: é\n]", "204 close []");
    }

    @Test
    void feed_stopsAtTheEndOfAResponse_leavingTheRest() {
        Seen seen = new Seen();
        ResponseParser p = new ResponseParser(seen);
        ByteBuf b = Unpooled.copiedBuffer(
                "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\naHTTP/1.1 204 No\r\n\r\n", StandardCharsets.UTF_8);
        assertThat(p.feed(b)).isTrue();
        assertThat(seen.responses).containsExactly("200 keep [a]");
        assertThat(b.readableBytes()).isEqualTo("HTTP/1.1 204 No\r\n\r\n".length());
        // a stray CRLF before the next status line is tolerated, after a chunked body too
        assertThat(parse(
                                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n"
                                        + "\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
                                5)
                        .responses)
                .containsExactly("200 keep [x]", "200 keep []");
    }

    @Test
    void http10_withoutLength_readsToTheClose() {
        Seen seen = new Seen();
        ResponseParser p = new ResponseParser(seen);
        p.feed(Unpooled.copiedBuffer("HTTP/1.0 503 Busy\r\nRetry-After: 1\r\n\r\nno more", StandardCharsets.UTF_8));
        assertThat(seen.responses).isEmpty();
        assertThat(p.closed()).isTrue(); // the close ends it
        assertThat(seen.responses).containsExactly("503 close [no more]");
        assertThat(seen.retryAfter).containsExactly("1");
        assertThat(p.closed()).isFalse(); // and nothing is left to end
    }

    /** The head's other headers are kept, found by any case, split anywhere; the next response's replace them. */
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 17, 100_000})
    void headers_areReadFromTheHeadOnRequest(int chunk) {
        List<String> seen = new ArrayList<>();
        ResponseParser p = new ResponseParser(new ResponseParser.Listener() {
            @Override
            public void head(ResponseHead h) {
                seen.add(h.status() + " " + h.header("retry-after") + " " + h.headers("X-Multi") + " "
                        + h.rateLimitHeaders() + " " + h.copy().header("content-length"));
            }

            @Override
            public void body(ByteBuf buf, int index, int length) {}

            @Override
            public void end() {}
        });
        String wire = "HTTP/1.1 429 Too Many Requests\r\nRetry-After:  7 \r\nX-Multi: a\r\nx-multi: b\r\n"
                + "x-ratelimit-remaining-requests: 0\r\nAnthropic-RateLimit-Tokens-Reset: 2025-01-01T00:00:00Z\r\n"
                + "retry-after-ms: 6500\r\nContent-Length: 2\r\n\r\n{}"
                + "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
        byte[] bytes = wire.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += chunk) {
            ByteBuf b = Unpooled.wrappedBuffer(bytes, i, Math.min(chunk, bytes.length - i));
            while (b.isReadable()) p.feed(b);
        }
        assertThat(seen)
                .containsExactly(
                        "429 7 [a, b] {retry-after=7, retry-after-ms=6500, x-ratelimit-remaining-requests=0, "
                                + "anthropic-ratelimit-tokens-reset=2025-01-01T00:00:00Z} 2",
                        "200 null [] {} 0");
    }

    @Test
    void anAnswerToHead_hasNoBody_whateverItsLengthSays() {
        Seen seen = new Seen();
        ResponseParser p = new ResponseParser(seen);
        p.expectNoBody(true);
        assertThat(p.feed(
                        Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n", StandardCharsets.UTF_8)))
                .isTrue();
        assertThat(seen.responses).containsExactly("200 keep []");
    }

    @Test
    void http10_keepAlive_andHttp11_close_areHonoured() {
        assertThat(parse("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n", 4).responses)
                .containsExactly("200 keep []");
        assertThat(parse("HTTP/1.1 200 OK\r\nCONNECTION: close\r\nContent-Length: 2\r\n\r\nok", 4).responses)
                .containsExactly("200 close [ok]");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "SMTP 220 hello\r\n\r\n",
                "HTTP/1.1 2x0 OK\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 12a\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
                "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n",
            })
    void malformedResponses_areRefused(String wire) {
        assertThatThrownBy(() -> parse(wire, 3)).isInstanceOf(ResponseParser.MalformedResponse.class);
    }

    @Test
    void anEndlessHeader_isRefusedAtTheLimit() {
        String huge = "HTTP/1.1 200 OK\r\nX: " + "a".repeat(20_000) + "\r\n\r\n";
        assertThatThrownBy(() -> parse(huge, 1000))
                .isInstanceOf(ResponseParser.MalformedResponse.class)
                .hasMessageContaining("longer than");
    }

    /** Seeded random bodies, framings and splits: every response comes back whole and in order. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void randomResponses_randomSplits(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        StringBuilder wire = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int r = 0; r < 20; r++) {
            StringBuilder body = new StringBuilder();
            int n = rng.nextInt(300);
            for (int i = 0; i < n; i++) body.append((char) ('a' + rng.nextInt(26)));
            String b = body.toString();
            if (rng.nextBoolean()) {
                wire.append("HTTP/1.1 200 OK\r\nContent-Length: ")
                        .append(b.length())
                        .append("\r\n\r\n")
                        .append(b);
            } else {
                wire.append("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
                int at = 0;
                while (at < b.length()) {
                    int len = 1 + rng.nextInt(Math.min(64, b.length() - at));
                    wire.append(Integer.toHexString(len))
                            .append("\r\n")
                            .append(b, at, at + len)
                            .append("\r\n");
                    at += len;
                }
                wire.append("0\r\n\r\n");
            }
            expected.add("200 keep [" + b + "]");
        }
        byte[] bytes = wire.toString().getBytes(StandardCharsets.UTF_8);
        Seen seen = new Seen();
        ResponseParser p = new ResponseParser(seen);
        for (int i = 0; i < bytes.length; ) {
            int len = Math.min(bytes.length - i, 1 + rng.nextInt(200));
            ByteBuf b = Unpooled.wrappedBuffer(bytes, i, len);
            while (b.isReadable()) p.feed(b);
            i += len;
        }
        assertThat(seen.responses).isEqualTo(expected);
        // nothing left half-read: the next response is read from its first byte
        p.feed(Unpooled.copiedBuffer("HTTP/1.1 204 No Content\r\n\r\n", StandardCharsets.UTF_8));
        assertThat(seen.responses.getLast()).isEqualTo("204 keep []");
    }
}
