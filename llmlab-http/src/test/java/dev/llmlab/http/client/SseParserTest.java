package dev.llmlab.http.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {
    static final String STREAM = ": a comment\r\n"
            + "data: {\"a\":1}\n\n"
            + "event: message_delta\r\ndata: {\"b\":\"é\"}\r\n\r\n"
            + "data: line one\rdata:line two\r\r"
            + "id: 7\nretry: 100\n\n" // no data: not dispatched
            + "data: [DONE]\n\n";

    static List<String> parse(byte[] bytes, int chunk) {
        List<String> events = new ArrayList<>();
        SseParser p = new SseParser((event, data, length) ->
                events.add((event == null ? "" : event + "|") + new String(data, 0, length, StandardCharsets.UTF_8)));
        for (int i = 0; i < bytes.length; i += chunk) p.feed(bytes, i, Math.min(chunk, bytes.length - i));
        assertThat(p.midEvent()).isFalse();
        return events;
    }

    @Test
    void everyFieldAndLineEnding_atEveryChunkSize() {
        byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
        List<String> whole = parse(bytes, bytes.length);
        assertThat(whole).containsExactly("{\"a\":1}", "message_delta|{\"b\":\"é\"}", "line one\nline two", "[DONE]");
        // split anywhere: between CR and LF, inside a UTF-8 character, inside a field name
        for (int chunk = 1; chunk < 12; chunk++)
            assertThat(parse(bytes, chunk)).as("chunks of %d", chunk).isEqualTo(whole);
    }

    /** Seeded random splits, fed through ByteBufs (heap and direct) as the client feeds them. */
    @Test
    void randomSplits_throughByteBufs() {
        byte[] bytes = STREAM.repeat(20).getBytes(StandardCharsets.UTF_8);
        for (long seed = 1; seed <= 20; seed++) {
            java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
            List<String> events = new ArrayList<>();
            SseParser p = new SseParser((e, d, n) -> events.add(new String(d, 0, n, StandardCharsets.UTF_8)));
            for (int at = 0; at < bytes.length; ) {
                int n = Math.min(bytes.length - at, 1 + rng.nextInt(30));
                io.netty.buffer.ByteBuf b = rng.nextBoolean()
                        ? io.netty.buffer.Unpooled.wrappedBuffer(bytes, at, n)
                        : io.netty.buffer.Unpooled.directBuffer(n).writeBytes(bytes, at, n);
                p.feed(b, b.readerIndex(), b.readableBytes());
                b.release();
                at += n;
            }
            assertThat(events).as("seed %d", seed).hasSize(80);
            assertThat(events.subList(0, 4))
                    .containsExactly("{\"a\":1}", "{\"b\":\"é\"}", "line one\nline two", "[DONE]");
        }
    }

    /** A listener that feeds another parser from its callback (a relay) does not disturb the outer one's bytes. */
    @Test
    void feedingAnotherParserFromACallback_isSafe() {
        List<String> inner = new ArrayList<>();
        List<String> outer = new ArrayList<>();
        SseParser relay = new SseParser((e, d, n) -> inner.add(new String(d, 0, n, StandardCharsets.UTF_8)));
        SseParser p = new SseParser((e, d, n) -> {
            String text = new String(d, 0, n, StandardCharsets.UTF_8);
            outer.add(text);
            io.netty.buffer.ByteBuf b = io.netty.buffer.Unpooled.directBuffer()
                    .writeBytes(("data: relayed " + text + "\n\n").getBytes(StandardCharsets.UTF_8));
            relay.feed(b, b.readerIndex(), b.readableBytes());
            b.release();
        });
        io.netty.buffer.ByteBuf b = io.netty.buffer.Unpooled.directBuffer()
                .writeBytes("data: one\n\ndata: two\n\n".getBytes(StandardCharsets.UTF_8));
        p.feed(b, b.readerIndex(), b.readableBytes());
        b.release();
        assertThat(outer).containsExactly("one", "two");
        assertThat(inner).containsExactly("relayed one", "relayed two");
    }

    @Test
    void aStreamCutMidEvent_isVisible() {
        SseParser p = new SseParser((e, d, n) -> {});
        byte[] b = "data: {\"partial\":".getBytes(StandardCharsets.UTF_8);
        p.feed(b, 0, b.length);
        assertThat(p.midEvent()).isTrue();
        assertThat(p.events()).isZero();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A server streaming without line breaks: the line may reach the limit, and not one byte past it. */
    @Test
    void aLineLongerThanTheLimit_isMalformed() {
        List<Integer> sizes = new ArrayList<>();
        SseParser p = new SseParser((e, d, n) -> sizes.add(n));
        byte[] x = new byte[1024 * 1024];
        java.util.Arrays.fill(x, (byte) 'x');
        p.feed(ascii("data:"), 0, 5);
        for (int i = 0; i < 15; i++) p.feed(x, 0, x.length);
        p.feed(x, 0, x.length - 5); // the line now holds exactly MAX_EVENT_BYTES
        p.feed(ascii("\n\n"), 0, 2);
        assertThat(sizes).containsExactly(SseParser.MAX_EVENT_BYTES - 5); // at the limit: fine
        p.feed(ascii("data:"), 0, 5);
        for (int i = 0; i < 15; i++) p.feed(x, 0, x.length);
        p.feed(x, 0, x.length - 5);
        assertThatThrownBy(() -> p.feed(ascii("y"), 0, 1))
                .isInstanceOf(MalformedBodyException.class)
                .hasMessageContaining("16 MiB");
        assertThatThrownBy(() -> p.feed(ascii("\n\n"), 0, 2)).isInstanceOf(MalformedBodyException.class);
        assertThat(sizes).hasSize(1);
    }

    /** Many short data lines that never end their event grow one event's data: bounded as well. */
    @Test
    void anEventWhoseDataPassesTheLimit_isMalformed_whileManyLargeEventsAreFine() {
        List<Integer> sizes = new ArrayList<>();
        SseParser p = new SseParser((e, d, n) -> sizes.add(n));
        byte[] line = ascii("data: " + "x".repeat(1024 * 1024 - 1) + "\n"); // 1 MiB of data with its LF
        for (int event = 0; event < 3; event++) { // 48 MiB in all, 10 MiB per event
            for (int i = 0; i < 10; i++) p.feed(line, 0, line.length);
            p.feed(ascii("\n"), 0, 1);
        }
        assertThat(sizes).containsExactly(10 * 1024 * 1024 - 1, 10 * 1024 * 1024 - 1, 10 * 1024 * 1024 - 1);
        assertThatThrownBy(() -> {
                    for (int i = 0; i < 17; i++) p.feed(line, 0, line.length);
                })
                .isInstanceOf(MalformedBodyException.class);
        assertThat(sizes).hasSize(3);
    }
}
