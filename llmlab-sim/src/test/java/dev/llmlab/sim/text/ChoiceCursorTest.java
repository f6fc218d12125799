package dev.llmlab.sim.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.api.FinishReason;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChoiceCursorTest {

    private static TokenSource pieces(String... p) {
        return new TokenSource() {
            int i;

            @Override
            public String next() {
                return i < p.length ? p[i++] : null;
            }
        };
    }

    private static List<String> drain(ChoiceCursor c) {
        List<String> out = new ArrayList<>();
        for (String s = c.next(); s != null; s = c.next()) out.add(s);
        return out;
    }

    @Test
    void next_sourceEndsFirst_finishesWithStop() {
        ChoiceCursor c = new ChoiceCursor(pieces("Hello", " world", "."), 10, List.of());
        assertThat(drain(c)).containsExactly("Hello", " world", ".");
        assertThat(c.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(c.tokens()).isEqualTo(3);
    }

    @Test
    void next_limitReached_finishesWithLengthRightAfterLastToken() {
        ChoiceCursor c = new ChoiceCursor(pieces("a", " b", " c", " d"), 2, List.of());
        assertThat(c.next()).isEqualTo("a");
        assertThat(c.finished()).isFalse();
        assertThat(c.next()).isEqualTo(" b");
        assertThat(c.finished()).isTrue();
        assertThat(c.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(c.next()).isNull();
        assertThat(c.tokens()).isEqualTo(2);
    }

    @Test
    void next_limitEqualsNaturalLength_isStop() {
        ChoiceCursor c = new ChoiceCursor(pieces("a", " b"), 2, List.of());
        assertThat(drain(c)).containsExactly("a", " b");
        assertThat(c.finishReason()).isEqualTo(FinishReason.STOP);
    }

    @Test
    void next_zeroLimit_emitsNothing() {
        ChoiceCursor c = new ChoiceCursor(pieces("a"), 0, List.of());
        assertThat(String.join("", drain(c))).isEmpty();
        assertThat(c.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(c.tokens()).isZero();
    }

    @Test
    void next_stopSpanningTokens_isHeldBackAndCut() {
        ChoiceCursor c = new ChoiceCursor(pieces("one", " two", " thr", "ee", " four"), 10, List.of("three"));
        assertThat(String.join("", drain(c))).isEqualTo("one two ");
        assertThat(c.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(c.tokens()).isEqualTo(4);
    }

    @Test
    void next_falseStartOfStop_isReleased() {
        ChoiceCursor c = new ChoiceCursor(pieces("a", " th", "en", " b"), 10, List.of("three"));
        assertThat(String.join("", drain(c))).isEqualTo("a then b");
        assertThat(c.finishReason()).isEqualTo(FinishReason.STOP);
    }

    @Test
    void next_heldBackTextAtLimit_isFlushed() {
        ChoiceCursor c = new ChoiceCursor(pieces("a", " th"), 2, List.of("three"));
        assertThat(String.join("", drain(c))).isEqualTo("a th");
        assertThat(c.finishReason()).isEqualTo(FinishReason.STOP);
    }
}
