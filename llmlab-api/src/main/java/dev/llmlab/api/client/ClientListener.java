package dev.llmlab.api.client;

import dev.llmlab.api.FinishReason;

/**
 * What a decoded answer says, as calls in the order the provider said it: the same calls for a
 * whole answer and for a stream (a whole answer's text arrives as one delta per choice). No event
 * objects are made per token: a stream has one event per token, and the decoders run on a load
 * generator's hot path. Every method has an empty default, so a listener overrides what it needs.
 *
 * <p>Choices are numbered as the API numbers them ({@code n} or {@code candidateCount} > 1);
 * tool calls per choice from 0, in the order the provider started them.
 */
public interface ClientListener {
    /** The answer's id and model as the provider names them (either may be null); once, before the content when the wire allows. */
    default void response(String id, String model) {}

    /** A piece of choice {@code choice}'s text. */
    default void text(int choice, String delta) {}

    /**
     * A piece of the model's reasoning: {@code reasoning_content} (or {@code reasoning}) of
     * OpenAI-compatible servers, Anthropic's thinking blocks, Gemini's thought parts, the Responses
     * API's reasoning text and summaries.
     */
    default void reasoning(int choice, String delta) {}

    /**
     * A piece of tool call {@code tool} of choice {@code choice}: its {@code id} and {@code name}
     * when first seen (null afterwards; Gemini's calls have an id only if the server sends one),
     * and a piece of its arguments' JSON text (possibly empty). Pieces are what the wire carried,
     * when it carried them: a streamed call without arguments gets only empty pieces, never a
     * made-up {@code {}} (a listener that times output would see it as output). Gemini sends each
     * call whole, in one part: one call, with its whole arguments ({@code {}} when the part has no
     * {@code args}, which is what the API means by leaving them out).
     */
    default void toolCall(int choice, int tool, String id, String name, String arguments) {}

    /**
     * Token usage, a cumulative snapshot whenever the API reports one (Gemini in every chunk,
     * Anthropic at the start and the end, OpenAI once at the end); the last is the answer's.
     * {@code promptTokens} includes {@code cachedTokens} on every API (Anthropic's
     * {@code input_tokens} do not: its cache reads and writes are added), and
     * {@code completionTokens} includes reasoning (Gemini's {@code thoughtsTokenCount}).
     */
    default void usage(int promptTokens, int completionTokens, int cachedTokens) {}

    /**
     * Choice {@code choice} ended: why, in the internal model, with the API's own reason
     * ({@code end_turn}, {@code MAX_TOKENS}, {@code max_output_tokens}, ...) and the stop sequence
     * that ended it where the API reports it (Anthropic; vLLM's {@code stop_reason}), else null.
     */
    default void finish(int choice, FinishReason reason, String providerReason, String stopSequence) {}

    /** An error the provider sent inside the answer or stream (a stream may still end normally after it). */
    default void error(ProviderError error) {}

    /**
     * The API's own end of the answer: {@code [DONE]}, {@code message_stop},
     * {@code response.completed}, {@code response.incomplete} or {@code response.failed}, the last
     * candidate's {@code finishReason} on Gemini, the end of a whole answer's body.
     */
    default void end() {}
}
