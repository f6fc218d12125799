package dev.llmlab.sim.serve;

import dev.llmlab.api.FinishReason;
import dev.llmlab.api.TokenLogprob;
import dev.llmlab.api.Usage;
import dev.llmlab.sim.text.ChoicePlan;
import java.io.OutputStream;

/**
 * How one API family frames a streamed generation. {@link Generation} drives the timing and the
 * text; the format turns each step into that API's events: OpenAI's {@code chat.completion.chunk}
 * objects ending in {@code [DONE]}, or Anthropic's {@code message_start} ... {@code message_stop}.
 * One instance per stream; confined to the stream's event loop.
 */
interface StreamFormat {
    /**
     * The first step of choice {@code k}; {@code echo} is the prompt text to repeat, or null;
     * {@code cachedTokens} of the prompt were read from the prefix cache (known by then: the
     * request was admitted), for an API that reports the prompt's usage as the stream opens.
     */
    void open(OutputStream out, int k, ChoicePlan plan, String echo, int cachedTokens);

    void text(OutputStream out, int k, String text, TokenLogprob logprob);

    void toolArguments(OutputStream out, int k, String json);

    void finish(OutputStream out, int k, FinishReason reason, String stopSequence);

    /**
     * After every choice finished: usage where the API sends it, and the terminator
     * ({@code data: [DONE]}, {@code message_stop}) unless {@code terminator} is false (the truncate fault).
     */
    void end(OutputStream out, Usage usage, boolean terminator);

    /** One frame whose JSON is cut short, for the {@code malformed} fault: what a client's parser must survive. */
    void malformed(OutputStream out);
}
