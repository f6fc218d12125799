package dev.llmlab.sim.engine;

import java.util.ArrayList;
import java.util.List;

/** A listener that records every token time of one sequence, for tests. */
final class Recorder implements SequenceListener {
    final List<Long> tokens = new ArrayList<>();
    long finishedAt = -1;
    Runnable onFirstToken;

    @Override
    public void onToken(Sequence s, long nowNanos) {
        tokens.add(nowNanos);
        if (tokens.size() == 1 && onFirstToken != null) onFirstToken.run();
    }

    @Override
    public void onFinished(Sequence s, long nowNanos) {
        finishedAt = nowNanos;
    }

    long ttft(Sequence s) {
        return tokens.getFirst() - s.arrivalNanos();
    }
}
