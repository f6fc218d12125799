package dev.llmlab.sim.text;

import dev.llmlab.core.token.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * A text cut at its real token boundaries, so that streaming it one piece per chunk sends exactly
 * the model's tokens and usage counts them exactly. Tokens that end inside a multi-byte UTF-8
 * character are grouped with the following ones until the text is whole again (a chunk must carry
 * valid text), and the group remembers how many tokens it holds. Immutable.
 */
final class TokenPieces {
    final String[] pieces;
    final int[] tokens; // tokens per piece
    final int totalTokens;

    private TokenPieces(String[] pieces, int[] tokens, int totalTokens) {
        this.pieces = pieces;
        this.tokens = tokens;
        this.totalTokens = totalTokens;
    }

    static TokenPieces of(Tokenizer tokenizer, String text) {
        int[] ids = tokenizer.encode(text);
        List<String> pieces = new ArrayList<>(ids.length);
        List<Integer> counts = new ArrayList<>(ids.length);
        boolean textHasReplacement = text.indexOf('\uFFFD') >= 0;
        int start = 0;
        for (int i = 0; i < ids.length; i++) {
            String piece = i == start
                    ? tokenizer.decode(ids[i])
                    : tokenizer.decode(java.util.Arrays.copyOfRange(ids, start, i + 1));
            if (!textHasReplacement && piece.indexOf('\uFFFD') >= 0 && i + 1 < ids.length) continue;
            pieces.add(piece);
            counts.add(i + 1 - start);
            start = i + 1;
        }
        int[] c = new int[counts.size()];
        for (int i = 0; i < c.length; i++) c[i] = counts.get(i);
        return new TokenPieces(pieces.toArray(String[]::new), c, ids.length);
    }

    TokenSource source() {
        return new TokenSource() {
            int i;
            int last;

            @Override
            public String next() {
                if (i >= pieces.length) return null;
                last = tokens[i];
                return pieces[i++];
            }

            @Override
            public int lastTokens() {
                return last;
            }
        };
    }
}
