package dev.llmlab.sim.fault;

import dev.llmlab.sim.fault.Fault.Kind;
import java.util.concurrent.TimeUnit;

/**
 * The per-request override {@code X-Llmlab-Fault: <kind>[=<arg>]}, for tests and demos that need a
 * fault on exactly this request. Kinds:
 *
 * <pre>
 *   status=CODE           an HTTP error (400-599) in the API's shape; 429 and 503/529 say Retry-After: 1
 *   delay=MS              MS milliseconds more before the first token
 *   hang                  never answer
 *   stall=MS[@TOKENS]     a MS-millisecond pause after TOKENS tokens (default 1)
 *   drop-after=TOKENS     close the connection after TOKENS tokens
 *   truncate[=TOKENS]     end the stream without its terminator (after TOKENS tokens, default all)
 *   malformed[=TOKENS]    one frame of invalid JSON after TOKENS tokens (default 1)
 * </pre>
 */
public final class FaultHeader {
    public static final String NAME = "x-llmlab-fault";
    static final String FORMS = "expected one of status=CODE, delay=MS, hang, stall=MS[@TOKENS], drop-after=TOKENS, "
            + "truncate[=TOKENS], malformed[=TOKENS]";

    private FaultHeader() {}

    /** @throws IllegalArgumentException naming what is wrong and the accepted forms */
    public static Fault parse(String value) {
        String v = value.strip();
        int eq = v.indexOf('=');
        String kind = eq < 0 ? v : v.substring(0, eq).strip();
        String arg = eq < 0 ? null : v.substring(eq + 1).strip();
        return switch (kind) {
            case "status" -> {
                int code = number(require(arg, kind), kind);
                yield Fault.status(code, code == 429 || code == 503 || code == 529 ? 1 : 0);
            }
            case "delay" -> Fault.of(Kind.DELAY, millis(require(arg, kind), kind), 0, 0);
            case "hang" -> {
                none(arg, kind);
                yield Fault.of(Kind.HANG, 0, 0, 0);
            }
            case "stall" -> {
                String a = require(arg, kind);
                int at = a.indexOf('@');
                long stall = millis(at < 0 ? a : a.substring(0, at), kind);
                int after = at < 0 ? 1 : number(a.substring(at + 1), kind);
                yield Fault.of(Kind.STALL, 0, after, stall);
            }
            case "drop-after" -> Fault.of(Kind.DROP, 0, number(require(arg, kind), kind), 0);
            case "truncate" -> Fault.of(Kind.TRUNCATE, 0, arg == null ? 0 : number(arg, kind), 0);
            case "malformed" -> Fault.of(Kind.MALFORMED, 0, arg == null ? 1 : number(arg, kind), 0);
            default -> throw new IllegalArgumentException("unknown fault kind '" + kind + "'; " + FORMS);
        };
    }

    private static String require(String arg, String kind) {
        if (arg == null || arg.isEmpty()) throw new IllegalArgumentException("'" + kind + "' needs a value; " + FORMS);
        return arg;
    }

    private static void none(String arg, String kind) {
        if (arg != null) throw new IllegalArgumentException("'" + kind + "' takes no value; " + FORMS);
    }

    private static int number(String s, String kind) {
        try {
            int n = Integer.parseInt(s.strip());
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + kind + "' needs a whole number >= 0, got '" + s + "'; " + FORMS);
        }
    }

    private static long millis(String s, String kind) {
        return TimeUnit.MILLISECONDS.toNanos(number(s, kind));
    }
}
