package dev.llmlab.bench.session;

import dev.llmlab.bench.result.BenchResult;
import dev.llmlab.bench.result.SloVerdict;
import dev.llmlab.bench.result.Summary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a measured run failed, each for a reason a person can act on. A run that measured something
 * can still fail in four ways, independent of one another, and a CI job needs to tell them apart:
 *
 * <ul>
 *   <li>{@code invalid}: the client did not measure what was asked (it fell behind its schedule, or
 *       the over-saturation stop ended the run);
 *   <li>{@code errors}: more requests failed, or were abandoned after {@code --drain}, than
 *       {@code --max-errors} allows (default 1%), judged only when no {@code error_rate} target is
 *       given, since that target judges the same thing;
 *   <li>{@code slo}: a {@code --slo} or {@code --targets} target was missed;
 *   <li>{@code regressed}: a figure is worse than {@code --baseline} allows.
 * </ul>
 *
 * The command's exit code carries every one that failed (docs/bench.md, exit codes), and each is
 * printed with its reason.
 *
 * @param failed  the names of the failed checks, in the order above
 * @param reasons one line per failed check, in the same order
 */
public record Checks(List<String> failed, List<String> reasons) {
    public static final String INVALID = "invalid";
    public static final String ERRORS = "errors";
    public static final String SLO = "slo";
    public static final String REGRESSED = "regressed";

    public Checks {
        failed = List.copyOf(failed);
        reasons = List.copyOf(reasons);
    }

    /** @param maxErrors the share of failed requests a run may have, as {@code --max-errors} gives it */
    public static Checks of(BenchResult r, double maxErrors) {
        List<String> failed = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        Summary s = r.summary();
        if (!s.valid() || s.stoppedEarly() != null) {
            failed.add(INVALID);
            reasons.add(
                    s.stoppedEarly() != null
                            ? "invalid run: stopped early (" + s.stoppedEarly() + ")"
                            : "invalid run: " + s.invalidReason());
        }
        boolean errorTarget =
                r.slo() != null && r.slo().targets().stream().anyMatch(t -> t.kind() == SloVerdict.Kind.ERROR_RATE);
        // a request abandoned after the drain did not complete either: it counts against the budget
        long requests = s.requests() + s.requestsAbandoned();
        long bad = s.requestsFailed() + s.requestsAbandoned();
        double rate = requests == 0 ? 0 : (double) bad / requests;
        if (!errorTarget && rate > maxErrors) {
            failed.add(ERRORS);
            reasons.add(String.format(
                    Locale.ROOT,
                    "errors: %d of %d requests %s (%.1f%%), more than --max-errors allows (%s%%)",
                    bad,
                    requests,
                    s.requestsAbandoned() == 0
                            ? "failed"
                            : "failed or were abandoned after the drain (" + s.requestsAbandoned() + ")",
                    100 * rate,
                    trim(100 * maxErrors)));
        }
        if (r.slo() != null && !r.slo().passed()) {
            List<String> missed = r.slo().targets().stream()
                    .filter(t -> !t.met())
                    .map(SloVerdict.Target::name)
                    .toList();
            failed.add(SLO);
            reasons.add("slo: missed " + String.join(", ", missed));
        }
        if (r.baseline() != null && r.baseline().regressed() > 0) {
            failed.add(REGRESSED);
            reasons.add("regressed: " + r.baseline().regressed() + " figure(s) worse than "
                    + r.baseline().file() + " by more than "
                    + trim(100 * r.baseline().maxRegression()) + "%");
        }
        return new Checks(failed, reasons);
    }

    public boolean passed() {
        return failed.isEmpty();
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
