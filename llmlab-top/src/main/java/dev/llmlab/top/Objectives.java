package dev.llmlab.top;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The SLOs top tracks, and when their burn raises an alert: the multiwindow, multi-burn-rate
 * policy of Google's SRE workbook ("Alerting on SLOs", chapter 5). An alert fires when the error
 * budget burns at least {@code burn} times as fast as the SLO allows over both its long window
 * (enough budget spent to matter) and its short one (still happening now). The defaults are the
 * workbook's for a 30-day SLO: a page at 14.4x over 1 h and 5 min (2% of the budget in an hour), a
 * ticket at 6x over 6 h and 30 min (5% in six hours).
 *
 * @param webhook where alerts are POSTed as they fire and resolve; null for none
 * @param trend   the window the time-to-violation line is fitted over
 */
public record Objectives(List<Slo> slos, Rule page, Rule ticket, URI webhook, Duration trend) {
    /** No SLO: nothing tracked. */
    public static final Objectives NONE = new Objectives(List.of(), null, null, null, null);

    /**
     * An alert's two windows and its burn-rate threshold.
     *
     * @param longWindow  over which the burn must be sustained
     * @param shortWindow over which it must still be going on (an alert also resolves through it)
     */
    public record Rule(Duration longWindow, Duration shortWindow, double burn) {
        public Rule {
            if (longWindow == null || shortWindow == null)
                throw new IllegalArgumentException("an alert rule needs a long_window and a short_window");
            if (shortWindow.compareTo(SloBook.SLOT) < 0 || longWindow.compareTo(shortWindow) <= 0)
                throw new IllegalArgumentException(
                        "an alert rule's short_window must be at least 10s and its long_window longer");
            if (longWindow.compareTo(SloBook.KEEP) > 0)
                throw new IllegalArgumentException("an alert rule's long_window is at most 6h");
            if (!(burn > 0)) throw new IllegalArgumentException("an alert rule's burn must be more than 0");
        }
    }

    public Objectives {
        slos = slos == null ? List.of() : List.copyOf(slos);
        if (page == null) page = new Rule(Duration.ofHours(1), Duration.ofMinutes(5), 14.4);
        if (ticket == null) ticket = new Rule(Duration.ofHours(6), Duration.ofMinutes(30), 6);
        if (trend == null) trend = Duration.ofMinutes(5);
        if (trend.compareTo(Duration.ofSeconds(30)) < 0 || trend.compareTo(SloBook.KEEP) > 0)
            throw new IllegalArgumentException("trend must be between 30s and 6h");
        if (webhook != null
                && (webhook.getScheme() == null
                        || !(webhook.getScheme().equals("http")
                                || webhook.getScheme().equals("https"))
                        || webhook.getHost() == null))
            throw new IllegalArgumentException("webhook must be an http:// or https:// URL, got " + webhook);
        Set<String> names = new HashSet<>();
        for (Slo s : slos)
            if (!names.add(s.name())) throw new IllegalArgumentException("two SLOs are named '" + s.name() + "'");
    }
}
