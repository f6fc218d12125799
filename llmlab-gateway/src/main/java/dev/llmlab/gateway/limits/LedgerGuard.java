package dev.llmlab.gateway.limits;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;

/**
 * A budget is only as good as the record of what was spent: while the spend ledger cannot take
 * another row (its database is down and the rows waiting for it fill their buffer), a request held
 * to a budget that fails closed ({@code state.on_failure.budgets: closed}, the default) is refused
 * with a 503, so that nothing is spent that would go unrecorded. With {@code open} it goes
 * through, and its row is counted as dropped. Rates are not held back: they need no ledger.
 *
 * <p>Thread-safe if the limiter is.
 */
public final class LedgerGuard implements Limiter {
    private final Limiter limiter;
    private final BooleanSupplier ledgerFull;
    private final boolean budgetsFailOpen;

    public LedgerGuard(Limiter limiter, BooleanSupplier ledgerFull, boolean budgetsFailOpen) {
        this.limiter = limiter;
        this.ledgerFull = ledgerFull;
        this.budgetsFailOpen = budgetsFailOpen;
    }

    @Override
    public CompletionStage<Admission> reserve(List<Ask> asks, long nowMillis) {
        if (!budgetsFailOpen && ledgerFull.getAsBoolean()) {
            for (Ask a : asks) {
                if (a.rule().budget())
                    return CompletableFuture.completedFuture(new Admission.Unavailable(
                            a, "the spend ledger cannot record more (its database is down and its buffer full)"));
            }
        }
        return limiter.reserve(asks, nowMillis);
    }

    @Override
    public void settle(Reservation reservation, Actual actual, long nowMillis) {
        limiter.settle(reservation, actual, nowMillis);
    }
}
