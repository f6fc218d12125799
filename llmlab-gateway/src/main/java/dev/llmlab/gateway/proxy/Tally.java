package dev.llmlab.gateway.proxy;

import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.Usage;
import dev.llmlab.api.client.ClientListener;
import dev.llmlab.gateway.account.TokenUsage;
import dev.llmlab.gateway.account.UsageEstimate;

/**
 * What one answer used, as its provider's answer decodes: the usage the provider reported (its
 * last snapshot), else a tokenizer count of the prompt and of the output delivered so far, marked
 * as estimated; and when its first token came. The answer's text is counted delta by delta as it
 * passes, never held: the estimate costs no memory per stream.
 *
 * <p>Not thread-safe: one per try, fed from the request's event loop.
 */
final class Tally implements ClientListener {
    private final UsageEstimate estimate;
    private final GenerationRequest request;
    private Usage reported;
    private long outputTokens;
    private long firstTokenNanos = -1;
    /** Whether the event being decoded had content, or usage: what a stripped usage chunk is told by. */
    boolean eventContent;

    boolean eventUsage;

    /** Whether the provider's answer held an error (an error event inside a stream). */
    boolean errored;

    /** A whole answer's text, counted only if its usage is not in it (a stream's is counted delta by delta). */
    private StringBuilder whole;

    /** @param request the client's request, for the prompt's estimate; null when there is none (a GET) */
    Tally(UsageEstimate estimate, GenerationRequest request) {
        this.estimate = estimate;
        this.request = request;
    }

    /**
     * The answer comes whole: its text is kept (it is in memory already) and counted at the end, only
     * if the provider's usage was not in it.
     */
    void whole() {
        whole = new StringBuilder();
    }

    @Override
    public void text(int choice, String delta) {
        content(delta);
    }

    @Override
    public void reasoning(int choice, String delta) {
        content(delta);
    }

    @Override
    public void toolCall(int choice, int tool, String id, String name, String arguments) {
        content(name == null ? arguments : name + arguments);
    }

    @Override
    public void finish(int choice, dev.llmlab.api.FinishReason reason, String providerReason, String stopSequence) {
        eventContent = true;
    }

    @Override
    public void usage(int promptTokens, int completionTokens, int cachedTokens) {
        reported = new Usage(promptTokens, completionTokens, cachedTokens);
        eventUsage = true;
    }

    @Override
    public void error(dev.llmlab.api.client.ProviderError error) {
        errored = true;
    }

    private void content(String delta) {
        eventContent = true;
        if (delta == null || delta.isEmpty()) return;
        if (firstTokenNanos < 0) firstTokenNanos = System.nanoTime();
        if (whole != null) whole.append(delta);
        else if (reported == null) outputTokens += estimate.countText(delta);
    }

    /** When the first token was decoded, or -1. */
    long firstTokenNanos() {
        return firstTokenNanos;
    }

    /** The provider's usage, else an estimate; null when there is nothing to count (no request, no answer). */
    TokenUsage usage() {
        if (reported != null) return TokenUsage.reported(reported);
        if (request == null) return null;
        if (whole != null) return estimate.estimate(request, whole);
        return estimate.estimate(request, outputTokens);
    }

    /** The usage the relay kept, when it decoded the answer (a translation). */
    void reported(Usage usage) {
        if (usage != null) reported = usage;
    }
}
