package dev.llmlab.bench.report;

import dev.llmlab.bench.measure.RequestRecord;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code --requests-jsonl}: one JSON line per request with its timestamps in milliseconds since
 * the run began ({@code -1} for what did not happen). Written as requests end; thread-safe.
 */
public final class RequestLog implements AutoCloseable {
    private final BufferedWriter out;
    private final long origin;

    public RequestLog(Path file, long originNanos) throws IOException {
        this.out = Files.newBufferedWriter(file);
        this.origin = originNanos;
    }

    public synchronized void record(RequestRecord r) {
        long[] t = r.tokenNanos();
        try {
            out.write(String.format(
                    Locale.ROOT,
                    "{\"intended_ms\":%.3f,\"sent_ms\":%.3f,\"first_byte_ms\":%s,"
                            + "\"first_token_ms\":%s,\"last_token_ms\":%s,\"end_ms\":%.3f,\"token_events\":%d,\"usage_output_tokens\":%d,"
                            + "\"counted_output_tokens\":%d,\"input_tokens\":%d,\"queue_wait_ms\":%.3f,\"outcome\":\"%s\",\"status\":%d%s}%n",
                    ms(r.intendedNanos()),
                    ms(r.sentNanos()),
                    r.firstByteNanos() < 0 ? "-1" : fmt(ms(r.firstByteNanos())),
                    t.length == 0 ? "-1" : fmt(ms(t[0])),
                    t.length == 0 ? "-1" : fmt(ms(t[t.length - 1])),
                    ms(r.endNanos()),
                    t.length,
                    r.usageOutputTokens(),
                    r.countedOutputTokens(),
                    r.inputTokens(),
                    r.slotWaitNanos() / 1e6,
                    r.fate().name().toLowerCase(Locale.ROOT),
                    r.status(),
                    r.error() == null ? "" : ",\"error\":" + jsonString(r.error())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code s} as a JSON string: quotes, backslashes and control characters escaped. */
    static String jsonString(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }

    private double ms(long nanos) {
        return (nanos - origin) / 1e6;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
