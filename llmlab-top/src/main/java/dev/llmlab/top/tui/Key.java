package dev.llmlab.top.tui;

/**
 * One key press, decoded from the terminal's bytes ({@link KeyDecoder}).
 *
 * @param ch the character typed, for {@link Kind#CHAR}; 0 for the other kinds
 */
record Key(Kind kind, char ch) {
    enum Kind {
        CHAR,
        ENTER,
        ESCAPE,
        BACKSPACE,
        UP,
        DOWN,
        LEFT,
        RIGHT,
        PAGE_UP,
        PAGE_DOWN,
        HOME,
        END,
        /** Ctrl-C read as a byte: a terminal that passes it through instead of raising SIGINT. */
        INTERRUPT,
        /** A sequence this UI gives no meaning to (a function key, a mouse report). */
        OTHER
    }

    static final Key ENTER = new Key(Kind.ENTER, '\0');
    static final Key ESCAPE = new Key(Kind.ESCAPE, '\0');
    static final Key BACKSPACE = new Key(Kind.BACKSPACE, '\0');
    static final Key UP = new Key(Kind.UP, '\0');
    static final Key DOWN = new Key(Kind.DOWN, '\0');
    static final Key LEFT = new Key(Kind.LEFT, '\0');
    static final Key RIGHT = new Key(Kind.RIGHT, '\0');
    static final Key PAGE_UP = new Key(Kind.PAGE_UP, '\0');
    static final Key PAGE_DOWN = new Key(Kind.PAGE_DOWN, '\0');
    static final Key HOME = new Key(Kind.HOME, '\0');
    static final Key END = new Key(Kind.END, '\0');
    static final Key INTERRUPT = new Key(Kind.INTERRUPT, '\0');
    static final Key OTHER = new Key(Kind.OTHER, '\0');

    static Key of(char c) {
        return new Key(Kind.CHAR, c);
    }

    boolean is(char c) {
        return kind == Kind.CHAR && ch == c;
    }
}
