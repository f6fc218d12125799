package dev.llmlab.metrics;

/**
 * Numbers as Prometheus pages write them, read in place from a string: Go's ParseFloat spellings
 * (decimals, exponents, NaN, Inf and Infinity with any sign and in any case). Hexadecimal floats,
 * which Go would also accept, are not.
 *
 * <p>Decimals take Clinger's fast path (W. D. Clinger, "How to Read Floating Point Numbers
 * Accurately", PLDI 1990): a decimal whose digits make at most 2^53 and whose power of ten is
 * within 10^±22 is one exact multiplication or division, so correctly rounded, and allocates
 * nothing; anything longer goes to {@link Double#parseDouble} after the grammar was checked here.
 * A page's values are mostly small counts and short decimals, and every histogram bucket has an
 * {@code le} to read, so the common case matters.
 */
final class Numbers {
    private static final double[] POW10 = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22
    };
    private static final long MAX_EXACT = 1L << 53;

    private Numbers() {}

    /** The number in {@code s}, or NaN when it is none (or spells NaN). */
    static double parse(String s) {
        return s == null || s.isEmpty() ? Double.NaN : parse(s, 0, s.length());
    }

    /**
     * The number in {@code s[from, to)}; NaN when the text is not a number, and also when it spells
     * NaN: tell the two apart with {@link #spellsNaN}, which is only needed when the result is NaN.
     */
    static double parse(String s, int from, int to) {
        int i = from;
        boolean negative = false;
        char c = s.charAt(i);
        if (c == '+' || c == '-') {
            negative = c == '-';
            if (++i >= to) return Double.NaN;
            c = s.charAt(i);
        }
        if (c == 'N' || c == 'n' || c == 'I' || c == 'i') return infinity(s, i, to, negative);
        long mantissa = 0;
        int significant = 0;
        int exponent = 0;
        boolean digits = false;
        while (i < to && (c = s.charAt(i)) >= '0' && c <= '9') {
            digits = true;
            if (mantissa != 0 || c != '0') {
                if (++significant <= 18) mantissa = mantissa * 10 + (c - '0');
                else exponent++;
            }
            i++;
        }
        if (i < to && s.charAt(i) == '.') {
            i++;
            while (i < to && (c = s.charAt(i)) >= '0' && c <= '9') {
                digits = true;
                if (mantissa != 0 || c != '0') {
                    if (++significant <= 18) {
                        mantissa = mantissa * 10 + (c - '0');
                        exponent--;
                    }
                } else {
                    exponent--;
                }
                i++;
            }
        }
        if (!digits) return Double.NaN;
        if (i < to && ((c = s.charAt(i)) == 'e' || c == 'E')) {
            i++;
            boolean negativeExponent = false;
            if (i < to && ((c = s.charAt(i)) == '+' || c == '-')) {
                negativeExponent = c == '-';
                i++;
            }
            int e = 0;
            boolean expDigits = false;
            while (i < to && (c = s.charAt(i)) >= '0' && c <= '9') {
                expDigits = true;
                if (e < 100_000) e = e * 10 + (c - '0');
                i++;
            }
            if (!expDigits) return Double.NaN;
            exponent += negativeExponent ? -e : e;
        }
        if (i != to) return Double.NaN;
        double v;
        if (mantissa == 0) {
            v = 0;
        } else if (significant <= 18 && mantissa <= MAX_EXACT && exponent >= -22 && exponent <= 22) {
            v = exponent >= 0 ? mantissa * POW10[exponent] : mantissa / POW10[-exponent];
        } else {
            try {
                return Double.parseDouble(s.substring(from, to));
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return negative ? -v : v;
    }

    /** Whether {@code s[from, to)} is a spelling of NaN: {@code NaN}, {@code nan}, with or without a sign. */
    static boolean spellsNaN(String s, int from, int to) {
        if (to - from == 4 && (s.charAt(from) == '+' || s.charAt(from) == '-')) from++;
        return to - from == 3 && s.regionMatches(true, from, "nan", 0, 3);
    }

    private static double infinity(String s, int i, int to, boolean negative) {
        int len = to - i;
        boolean inf = (len == 3 && s.regionMatches(true, i, "inf", 0, 3))
                || (len == 8 && s.regionMatches(true, i, "infinity", 0, 8));
        if (!inf) return Double.NaN;
        return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
}
