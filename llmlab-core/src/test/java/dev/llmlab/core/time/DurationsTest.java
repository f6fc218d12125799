package dev.llmlab.core.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest(name = "{0} -> {1}ns")
    @CsvSource(
            delimiter = '|',
            value = {
                "150ms      | 150000000",
                "1.5s       | 1500000000",
                "2m         | 120000000000",
                "500us      | 500000",
                "500µs      | 500000",
                "500μs      | 500000",
                "250ns      | 250",
                "1h         | 3600000000000",
                "0          | 0",
                "0.0        | 0",
                "0ms        | 0",
                ".5s        | 500000000",
                "'  20ms  ' | 20000000",
                "20 ms      | 20000000",
                "1.25ms     | 1250000",
                "0.0000000015s | 2",
                "1.0000000004s | 1000000000",
            })
    void parse_validLiteral(String text, long nanos) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofNanos(nanos));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"100", "1.5", "abc", "ms", "10 xs", "1.5.5s", "1e3ms", "1,5s", "--1s", "1s2", "1.s", "10MS"})
    void parse_invalid_namesInputAndForm(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"" + text + "\"")
                .hasMessageContaining("expected a non-negative number followed by a unit (ns, us, ms, s, m, h)");
    }

    @Test
    void parse_bareNumber_saysUnitIsMissing() {
        assertThatThrownBy(() -> Durations.parse("100"))
                .hasMessage("invalid duration \"100\": missing unit; expected a non-negative number followed"
                        + " by a unit (ns, us, ms, s, m, h), e.g. 150ms or 1.5s");
    }

    @Test
    void parse_unknownUnit_namesTheUnit() {
        assertThatThrownBy(() -> Durations.parse("10 xs")).hasMessageContaining("unknown unit \"xs\"");
    }

    @Test
    void parse_negative_isRejected() {
        assertThatThrownBy(() -> Durations.parse("-5ms"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"-5ms\"")
                .hasMessageContaining("must not be negative");
    }

    @Test
    void parse_tooLarge_isRejected() {
        assertThatThrownBy(() -> Durations.parse("300000000h"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too large");
    }

    @Test
    void parse_nullOrBlank_isRejected() {
        assertThatThrownBy(() -> Durations.parse(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing");
        assertThatThrownBy(() -> Durations.parse("  "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
    }

    @ParameterizedTest(name = "{0}ns -> {1}")
    @CsvSource({
        "0, 0",
        "150000000, 150ms",
        "1500000000, 1.5s",
        "20000, 20us",
        "250, 250ns",
        "1234567, 1234.567us",
        "1001, 1.001us",
        "90000000000, 1.5m",
        "61000000000, 61s",
        "3600000000000, 1h",
        "5400000000000, 1.5h",
        "1000000001, 1000000.001us",
        "-150000000, -150ms",
    })
    void format_compactForm(long nanos, String expected) {
        assertThat(Durations.format(Duration.ofNanos(nanos))).isEqualTo(expected);
    }

    @Test
    void format_roundTripsThroughParse() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 10_000; i++) {
            // Spread over many magnitudes, from nanoseconds to days.
            long nanos = random.nextLong(1L << random.nextInt(1, 50));
            Duration d = Duration.ofNanos(nanos);
            assertThat(Durations.parse(Durations.format(d)))
                    .as("%s", Durations.format(d))
                    .isEqualTo(d);
        }
    }

    /** parse and format take long arithmetic when it cannot overflow; they must agree with exact decimal arithmetic. */
    @Test
    void parseAndFormat_agreeWithExactDecimalArithmetic() {
        SplittableRandom random = new SplittableRandom(7);
        String[] units = {"ns", "us", "ms", "s", "m", "h"};
        long[] unitNanos = {1L, 1_000L, 1_000_000L, 1_000_000_000L, 60_000_000_000L, 3_600_000_000_000L};
        for (int i = 0; i < 20_000; i++) {
            int u = random.nextInt(units.length);
            String whole = Long.toString(random.nextLong(1L << random.nextInt(1, 40)));
            String fraction = random.nextBoolean() ? "" : "." + digits(random, random.nextInt(1, 20));
            String text = whole + fraction + units[u];
            java.math.BigInteger exact = new java.math.BigDecimal(whole + fraction)
                    .multiply(java.math.BigDecimal.valueOf(unitNanos[u]))
                    .setScale(0, java.math.RoundingMode.HALF_UP)
                    .toBigIntegerExact();
            if (exact.bitLength() > 63) {
                assertThatThrownBy(() -> Durations.parse(text)).hasMessageContaining("too large");
            } else {
                assertThat(Durations.parse(text)).as(text).isEqualTo(Duration.ofNanos(exact.longValueExact()));
            }
            long nanos = 1 + random.nextLong(1L << random.nextInt(1, 62));
            assertThat(Durations.format(Duration.ofNanos(nanos))).isEqualTo(referenceFormat(nanos));
        }
        // Beyond a long of nanoseconds, format still works (exactly, on the slow path).
        assertThat(Durations.format(Duration.ofHours(10_000_000_000_000L))).isEqualTo("10000000000000h");
        assertThat(Durations.format(Duration.ofHours(10_000_000_000_000L).plusMinutes(30)))
                .isEqualTo("10000000000000.5h");
    }

    private static String digits(SplittableRandom random, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) b.append((char) ('0' + random.nextInt(10)));
        return b.toString();
    }

    /** The definition of format: the largest unit in which the value needs at most three decimals. */
    private static String referenceFormat(long nanos) {
        java.math.BigDecimal n = java.math.BigDecimal.valueOf(nanos);
        for (String[] unit : new String[][] {
            {"h", "3600000000000"},
            {"m", "60000000000"},
            {"s", "1000000000"},
            {"ms", "1000000"},
            {"us", "1000"},
            {"ns", "1"}
        }) {
            java.math.BigDecimal size = new java.math.BigDecimal(unit[1]);
            if (n.compareTo(size) < 0) continue;
            java.math.BigDecimal scaled = n.divide(size, 3, java.math.RoundingMode.DOWN);
            if (scaled.multiply(size).compareTo(n) == 0)
                return scaled.stripTrailingZeros().toPlainString() + unit[0];
        }
        throw new AssertionError();
    }

    @Test
    void toSeconds_convertsExactly() {
        assertThat(Durations.toSeconds(Duration.ofMillis(80))).isEqualTo(0.08);
        assertThat(Durations.toSeconds(Duration.ofSeconds(3, 500_000_000))).isEqualTo(3.5);
        assertThat(Durations.toSeconds(Duration.ZERO)).isZero();
    }
}
