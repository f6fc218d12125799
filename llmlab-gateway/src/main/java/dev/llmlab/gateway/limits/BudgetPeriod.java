package dev.llmlab.gateway.limits;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;

/**
 * The calendar periods of budgets, in UTC: a period's number (the epoch day, or the month counted
 * from year 0), its start and its end, and its name in a store's keys.
 */
final class BudgetPeriod {
    private static final long DAY_MILLIS = 86_400_000L;

    private BudgetPeriod() {}

    /** The number of the period that holds {@code now}. */
    static long key(Period period, long now) {
        long day = Math.floorDiv(now, DAY_MILLIS);
        if (period == Period.DAY) return day;
        LocalDate d = LocalDate.ofEpochDay(day);
        return d.getYear() * 12L + d.getMonthValue() - 1;
    }

    /** Epoch milliseconds at which period {@code key} starts. */
    static long start(Period period, long key) {
        if (period == Period.DAY) return key * DAY_MILLIS;
        return LocalDate.of((int) Math.floorDiv(key, 12), (int) Math.floorMod(key, 12) + 1, 1)
                        .atStartOfDay()
                        .toEpochSecond(ZoneOffset.UTC)
                * 1000;
    }

    /** Epoch milliseconds at which period {@code key} ends (the next one starts). */
    static long end(Period period, long key) {
        return start(period, key + 1);
    }

    /** {@code 2026-12-07} for a day, {@code 2026-12} for a month. */
    static String name(Period period, long key) {
        if (period == Period.DAY) return LocalDate.ofEpochDay(key).toString();
        return YearMonth.of((int) Math.floorDiv(key, 12), (int) Math.floorMod(key, 12) + 1)
                .toString();
    }
}
