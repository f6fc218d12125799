package dev.llmlab.api;

import java.util.List;

/**
 * The one internal request model that every generation API (OpenAI chat, completions and
 * responses, Anthropic messages, Gemini generateContent) parses into, so the simulator, the load generator and the
 * gateway translate through it instead of pairwise between wire formats.
 *
 * <p>Unset optional numbers are encoded as sentinels to keep the record flat and cheap on the
 * request path: {@code maxTokens < 0}, {@code Double.isNaN(temperature)}, {@code seed == null}.
 *
 * @param endpoint       which API shape the request came in, and so how the answer is encoded
 * @param messages       chat messages (empty for completions)
 * @param prompts        completion prompts (empty for chat); each yields {@code n} choices
 * @param maxTokens      the output cap the client asked for, or -1
 * @param stop           stop sequences, possibly empty
 * @param logprobs       whether per-token log probabilities were requested
 * @param topLogprobs    alternatives per token (chat) or the legacy {@code logprobs} integer
 * @param ignoreEos      vLLM's {@code ignore_eos}: the answer runs to {@code maxTokens}, as a model that never
 *                       emits its end-of-sequence token would (stop sequences still end it)
 * @param minTokens      vLLM's {@code min_tokens}: the answer is at least this long (0: no floor)
 */
public record GenerationRequest(
        Endpoint endpoint,
        String model,
        List<Message> messages,
        List<Prompt> prompts,
        int maxTokens,
        int n,
        List<String> stop,
        Long seed,
        double temperature,
        double topP,
        boolean stream,
        boolean includeUsage,
        List<Tool> tools,
        ToolChoice toolChoice,
        boolean parallelToolCalls,
        ResponseFormat responseFormat,
        boolean logprobs,
        int topLogprobs,
        boolean echo,
        String user,
        boolean ignoreEos,
        int minTokens) {

    /** A request without vLLM's length controls ({@code ignore_eos}, {@code min_tokens}): every API but OpenAI's. */
    public GenerationRequest(
            Endpoint endpoint,
            String model,
            List<Message> messages,
            List<Prompt> prompts,
            int maxTokens,
            int n,
            List<String> stop,
            Long seed,
            double temperature,
            double topP,
            boolean stream,
            boolean includeUsage,
            List<Tool> tools,
            ToolChoice toolChoice,
            boolean parallelToolCalls,
            ResponseFormat responseFormat,
            boolean logprobs,
            int topLogprobs,
            boolean echo,
            String user) {
        this(
                endpoint,
                model,
                messages,
                prompts,
                maxTokens,
                n,
                stop,
                seed,
                temperature,
                topP,
                stream,
                includeUsage,
                tools,
                toolChoice,
                parallelToolCalls,
                responseFormat,
                logprobs,
                topLogprobs,
                echo,
                user,
                false,
                0);
    }

    /**
     * A plain request, as a load generator sends one: these messages (the chat APIs) or these
     * prompts (legacy completions), an output cap and a stream flag; everything else unset, as a
     * parser leaves what a body omits (one choice, no stop sequences, no tools, free text, the
     * server's sampling), and usage asked for in a stream.
     */
    public static GenerationRequest plain(
            Endpoint endpoint,
            String model,
            List<Message> messages,
            List<Prompt> prompts,
            int maxTokens,
            boolean stream) {
        return new GenerationRequest(
                endpoint,
                model,
                List.copyOf(messages),
                List.copyOf(prompts),
                maxTokens,
                1,
                List.of(),
                null,
                Double.NaN,
                Double.NaN,
                stream,
                stream,
                List.of(),
                ToolChoice.NONE,
                true,
                ResponseFormat.TEXT,
                false,
                0,
                false,
                null);
    }

    /** OpenAI chat completions, legacy completions and responses; Anthropic messages; Gemini generateContent. */
    public enum Endpoint {
        CHAT,
        COMPLETION,
        RESPONSES,
        MESSAGES,
        GEMINI
    }

    /** The tool to call when the request forces one (required or named), else null. */
    public Tool forcedTool() {
        if (tools.isEmpty()) return null;
        return switch (toolChoice.mode()) {
            case REQUIRED -> tools.getFirst();
            case NAMED ->
                tools.stream()
                        .filter(t -> t.name().equals(toolChoice.name()))
                        .findFirst()
                        .orElse(null);
            default -> null;
        };
    }
}
