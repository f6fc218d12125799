package dev.llmlab.http;

import io.netty.handler.codec.DateFormatter;
import io.netty.util.AsciiString;
import java.util.Date;

/**
 * The value of the Date response header, formatted once per second and shared by all event loops.
 *
 * <p>Thread-safety: lock-free. Racing loops may both format the new second; the result is the same string, so
 * the last write winning is harmless and cheaper than coordinating.
 */
final class DateHeader {

    private record Entry(long second, AsciiString value) {}

    private static volatile Entry current = format(System.currentTimeMillis());

    private DateHeader() {}

    static AsciiString now() {
        long millis = System.currentTimeMillis();
        Entry e = current;
        if (e.second != millis / 1000) {
            e = format(millis);
            current = e;
        }
        return e.value;
    }

    private static Entry format(long millis) {
        long second = millis / 1000;
        return new Entry(second, AsciiString.cached(DateFormatter.format(new Date(second * 1000))));
    }
}
