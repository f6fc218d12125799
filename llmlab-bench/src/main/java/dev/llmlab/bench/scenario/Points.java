package dev.llmlab.bench.scenario;

import dev.llmlab.bench.result.BenchResult;
import dev.llmlab.bench.result.LoadAxis;
import dev.llmlab.bench.result.SloVerdict;
import dev.llmlab.bench.result.Summary;
import dev.llmlab.bench.result.Sweep;
import java.util.List;

/** A sweep's points: one per probed level. */
final class Points {
    private Points() {}

    /** A level's point: what was asked, what was achieved, the verdict, and the run's figures. */
    static Sweep.Point point(String label, Load load, BenchResult result, List<String> reasons) {
        Summary sum = result.summary();
        SloVerdict slo = result.slo();
        boolean rate = load.axis() == LoadAxis.RATE;
        return new Sweep.Point(
                label,
                rate ? load.value() : Double.NaN,
                rate ? null : load.users(),
                Double.isNaN(sum.requestThroughput()) ? 0 : sum.requestThroughput(),
                sum.valid(),
                sum.invalidReason(),
                slo == null ? null : slo.passed(),
                sum.stoppedEarly(),
                reasons.isEmpty(),
                reasons,
                sum,
                result.metrics(),
                slo);
    }

    /** The confidence a level's verdict holds: its targets' (1 when it failed for a reason with no doubt). */
    static double confidence(Sweep.Point point) {
        if (!Verdict.targetsOnly(point.failedOn(), point.slo())) return 1;
        double c = point.slo() == null ? Double.NaN : point.slo().confidence();
        return Double.isNaN(c) ? 1 : c;
    }
}
