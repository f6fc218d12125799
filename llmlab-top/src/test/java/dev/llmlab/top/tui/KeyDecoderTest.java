package dev.llmlab.top.tui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyDecoderTest {
    /** Characters as a terminal sends them; a null is a pause longer than the Esc wait. */
    private static List<Key> decode(Object... input) throws IOException {
        Deque<Integer> chars = new ArrayDeque<>();
        for (Object o : input) {
            if (o == null) chars.add(KeyDecoder.Source.TIMEOUT);
            else for (char c : ((String) o).toCharArray()) chars.add((int) c);
        }
        KeyDecoder d = new KeyDecoder(timeout -> {
            if (chars.isEmpty()) return KeyDecoder.Source.EOF;
            if (chars.peek() == KeyDecoder.Source.TIMEOUT && timeout == 0)
                chars.poll(); // a wait for good outlasts a pause
            return chars.isEmpty() ? KeyDecoder.Source.EOF : chars.poll();
        });
        List<Key> keys = new ArrayList<>();
        for (Key k = d.next(); k != null; k = d.next()) keys.add(k);
        return keys;
    }

    @Test
    void plainCharacters_enter_backspace_andCtrlC() throws IOException {
        assertThat(decode("q/x\r\n\u007f\b\u0003"))
                .containsExactly(
                        Key.of('q'),
                        Key.of('/'),
                        Key.of('x'),
                        Key.ENTER,
                        Key.ENTER,
                        Key.BACKSPACE,
                        Key.BACKSPACE,
                        Key.INTERRUPT);
    }

    @Test
    void arrowsAndPageKeys_inBothCursorModes() throws IOException {
        assertThat(decode("\u001b[A\u001b[B\u001bOA\u001bOB\u001b[5~\u001b[6~\u001b[H\u001b[4~\u001b[C"))
                .containsExactly(
                        Key.UP, Key.DOWN, Key.UP, Key.DOWN, Key.PAGE_UP, Key.PAGE_DOWN, Key.HOME, Key.END, Key.RIGHT);
        assertThat(decode("\u001b[1;5A"))
                .as("a modified arrow is still the arrow")
                .containsExactly(Key.UP);
        assertThat(decode("\u001b[15~")).as("F5: no meaning here").containsExactly(Key.OTHER);
    }

    @Test
    void escAlone_isEsc_andTheKeyAfterItIsKept() throws IOException {
        assertThat(decode("\u001b", null, "q")).containsExactly(Key.ESCAPE, Key.of('q'));
        assertThat(decode("\u001b", null)).containsExactly(Key.ESCAPE);
        assertThat(decode("\u001bq"))
                .as("Esc then a letter (Alt-q): Esc, then q")
                .containsExactly(Key.ESCAPE, Key.of('q'));
    }
}
