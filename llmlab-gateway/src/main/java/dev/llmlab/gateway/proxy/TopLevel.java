package dev.llmlab.gateway.proxy;

/**
 * A walk over the members of one JSON object in bytes, finding where each name and value lies
 * without decoding anything: the gateway's fast path for the few top-level fields it reads of
 * bodies it passes through (a request's {@code model} and {@code stream}, an answer's {@code
 * usage}).
 *
 * <p>Why not the streaming parser: creating one per body (its buffers, symbol table and a context
 * per nesting level) was about a third of what a whole answer allocated in the gateway, and the
 * parser decodes and checks every nested value the gateway then skips. This walk only counts
 * brackets outside strings.
 *
 * <p>It does not validate: a value's inside is not looked at, so a body it walks may still be
 * invalid JSON. Its callers either have the whole body checked by a real parser afterwards (a
 * request, by its API's reader) or take a failed walk as "not found" (an answer's usage). Whatever
 * it does not understand ends the walk with {@link #FAILED}: a name with an escape in it, a
 * nesting deeper than {@link #MAX_DEPTH}, a structure that does not close, anything after the
 * object but blanks. The caller then falls back to the streaming parser, whose errors are the ones
 * clients see.
 *
 * <p>Not thread-safe; one walk per instance.
 */
final class TopLevel {
    static final int MEMBER = 1;
    static final int END = 0;
    static final int FAILED = -1;
    /** Deeper than the streaming parser's own limit (1,000) is refused by it; past this, it decides. */
    static final int MAX_DEPTH = 500;

    private final byte[] b;
    private final int end;
    private int at;
    private boolean first = true;
    private int nameStart;
    private int nameEnd;
    private int valueStart;
    private int valueEnd;

    /** A walk over the object in {@code b[offset, offset + length)}. */
    TopLevel(byte[] b, int offset, int length) {
        this.b = b;
        this.at = offset;
        this.end = offset + length;
    }

    /** Steps past the opening brace; false when the bytes do not start (after blanks) with one. */
    boolean open() {
        blanks();
        if (at >= end || b[at] != '{') return false;
        at++;
        return true;
    }

    /**
     * The next member: {@link #MEMBER} (its name and value are then at hand), {@link #END} after
     * the closing brace with nothing but blanks after it, or {@link #FAILED}.
     */
    int next() {
        blanks();
        if (at >= end) return FAILED;
        if (b[at] == '}') {
            at++;
            blanks();
            return at == end ? END : FAILED;
        }
        if (!first) {
            if (b[at] != ',') return FAILED;
            at++;
            blanks();
        }
        first = false;
        if (at >= end || b[at] != '"') return FAILED;
        nameStart = at + 1;
        int close = at + 1;
        while (close < end && b[close] != '"') {
            if (b[close] == '\\') return FAILED; // an escaped name: the parser reads it
            close++;
        }
        if (close >= end) return FAILED;
        nameEnd = close;
        at = close + 1;
        blanks();
        if (at >= end || b[at] != ':') return FAILED;
        at++;
        blanks();
        valueStart = at;
        if (!skipValue()) return FAILED;
        valueEnd = at;
        return MEMBER;
    }

    /** Whether the current member's name is {@code ascii}. */
    boolean nameIs(String ascii) {
        if (nameEnd - nameStart != ascii.length()) return false;
        for (int i = 0; i < ascii.length(); i++) if (b[nameStart + i] != ascii.charAt(i)) return false;
        return true;
    }

    int valueStart() {
        return valueStart;
    }

    int valueEnd() {
        return valueEnd;
    }

    /** The current value's first byte. */
    byte valueFirst() {
        return b[valueStart];
    }

    /** Whether the current value is the literal (or number) {@code ascii}, exactly. */
    boolean valueIs(String ascii) {
        if (valueEnd - valueStart != ascii.length()) return false;
        for (int i = 0; i < ascii.length(); i++) if (b[valueStart + i] != ascii.charAt(i)) return false;
        return true;
    }

    /** The current value as a non-negative int when it is plain digits that fit, else -1. */
    int valueInt() {
        int n = valueEnd - valueStart;
        if (n == 0 || n > 9) return -1;
        int v = 0;
        for (int i = valueStart; i < valueEnd; i++) {
            if (b[i] < '0' || b[i] > '9') return -1;
            v = v * 10 + (b[i] - '0');
        }
        return v;
    }

    /** A walk over the current value's members, when it is an object. */
    TopLevel inner() {
        return new TopLevel(b, valueStart, valueEnd - valueStart);
    }

    private boolean skipValue() {
        if (at >= end) return false;
        byte c = b[at];
        if (c == '"') return skipString();
        if (c == '{' || c == '[') return skipNested();
        // a number or a literal: up to the next delimiter; its inside is the parser's to judge
        int start = at;
        while (at < end) {
            byte x = b[at];
            if (x == ',' || x == '}' || x == ']' || x == ' ' || x == '\n' || x == '\r' || x == '\t') break;
            if (x == '"' || x == '{' || x == '[' || x == ':') return false;
            at++;
        }
        return at > start;
    }

    private boolean skipString() {
        at++;
        while (at < end) {
            byte x = b[at];
            if (x == '\\') at += 2;
            else if (x == '"') {
                at++;
                return true;
            } else at++;
        }
        return false;
    }

    private boolean skipNested() {
        int depth = 0;
        while (at < end) {
            byte x = b[at];
            if (x == '"') {
                if (!skipString()) return false;
                continue;
            }
            if (x == '{' || x == '[') {
                if (++depth > MAX_DEPTH) return false;
            } else if (x == '}' || x == ']') {
                at++;
                if (--depth == 0) return true;
                continue;
            }
            at++;
        }
        return false;
    }

    private void blanks() {
        while (at < end && (b[at] == ' ' || b[at] == '\n' || b[at] == '\r' || b[at] == '\t')) at++;
    }
}
