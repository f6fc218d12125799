package dev.llmlab.api.client;

import dev.llmlab.api.anthropic.AnthropicClients;
import dev.llmlab.api.gemini.GeminiClients;
import dev.llmlab.api.openai.OpenAiClients;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The six provider APIs on the client side, the one place a load generator or a gateway gets a
 * request written and an answer read in each wire format, through the internal model
 * ({@link dev.llmlab.api.GenerationRequest} in, {@link ClientListener} calls out).
 *
 * <h2>Scope</h2>
 * Requests carry what the internal model holds: the conversation with tool calls and tool results,
 * the system prompt, the output cap (each API's name for it: {@code max_tokens}, {@code
 * max_output_tokens}, {@code maxOutputTokens}; Anthropic requires one, so 4096 is sent when the
 * request has none), stop sequences, temperature, top_p, seed (not on Anthropic or the Responses
 * API, which have none), the number of choices, streaming and {@code include_usage}, tools and the
 * tool choice, JSON output (OpenAI {@code response_format}, Responses {@code text.format}, Gemini
 * {@code responseMimeType} with {@code responseJsonSchema}; Anthropic's Messages API has no JSON
 * mode, so a request for JSON is refused there) and logprobs where they exist. What an API cannot
 * carry is refused when the answer would differ without it, else left out: {@link
 * ClientCodec#request(dev.llmlab.api.GenerationRequest, String)} lists both.
 * Chat completions send {@code max_tokens}, which every OpenAI-compatible server reads
 * (OpenAI's reasoning models want {@code max_completion_tokens} instead). Answers decode to text,
 * reasoning, tool-call pieces, usage, finish reasons, in-stream errors and the end; error bodies to
 * {@link ProviderError}; embeddings answers to counts. No I/O: the HTTP client and the SSE framing
 * are the caller's.
 *
 * <h2>What each stream looks like, and how its end is known</h2>
 * <ul>
 *   <li>OpenAI chat and completions: {@code data: {chunk}} events, each with {@code choices[]}
 *       holding a {@code delta} (chat) or {@code text} (completions) and, on a choice's last
 *       chunk, {@code finish_reason}; with {@code include_usage} a last chunk with empty
 *       {@code choices} and the usage. Ends with {@code data: [DONE]}, checked before any parsing.
 *       Errors arrive as a chunk {@code {"error":{...}}}.
 *   <li>OpenAI Responses: typed events ({@code response.created}, {@code
 *       response.output_item.added}, {@code response.output_text.delta}, {@code
 *       response.function_call_arguments.delta}, ...), each numbered by {@code sequence_number}.
 *       Ends with {@code response.completed}, {@code response.incomplete} or {@code
 *       response.failed}; errors are {@code error} events and {@code response.failed}. Which
 *       output item is a tool call is state the decoder keeps.
 *   <li>Anthropic Messages: {@code message_start}, per content block {@code
 *       content_block_start}, {@code content_block_delta}s ({@code text_delta}, {@code
 *       input_json_delta}, {@code thinking_delta}) and {@code content_block_stop}, {@code ping}s
 *       anywhere, {@code message_delta} with the stop reason and usage; ends with {@code
 *       message_stop}. Errors are {@code error} events. Which block is a tool call is state.
 *   <li>Gemini {@code streamGenerateContent?alt=sse}: each event is a whole {@code
 *       GenerateContentResponse} with that step's parts per candidate (a function call comes
 *       whole, in one part) and the usage so far. There is no terminator: the stream ends with
 *       the chunk in which the last of the request's candidates gets its {@code finishReason}
 *       (or one whose {@code promptFeedback} blocked the prompt). Errors are {@code {"error":{...}}}.
 * </ul>
 *
 * <h2>Sources</h2>
 * The providers' API references: OpenAI "Chat Completions", "Completions", "Embeddings",
 * "Responses" and "Streaming events"; Anthropic "Messages", "Streaming Messages" and "Errors";
 * Google "Generating content" ({@code GenerateContentResponse}, {@code UsageMetadata}, {@code
 * FunctionCall}), "Function calling" and the {@code google.rpc} error details ({@code RetryInfo},
 * {@code QuotaFailure}); recorded exchanges with each provider (cited at the top of each test
 * fixture) for what the references leave out: field order, {@code obfuscation} and
 * {@code thoughtSignature} fields, a ping before the first block.
 */
public enum ClientApi {
    OPENAI_CHAT("openai-chat", "/v1", "gpt-4o-mini", true),
    OPENAI_COMPLETIONS("openai-completions", "/v1", "gpt-3.5-turbo-instruct", true),
    OPENAI_EMBEDDINGS("openai-embeddings", "/v1", "text-embedding-3-small", false),
    OPENAI_RESPONSES("openai-responses", "/v1", "gpt-4o-mini", true),
    ANTHROPIC_MESSAGES("anthropic-messages", "/v1", "claude-haiku-4-5", true),
    GEMINI("gemini", "/v1beta", "gemini-2.5-flash", true);

    private final String flag;
    private final String basePath;
    private final String defaultModel;
    private final boolean streams;

    ClientApi(String flag, String basePath, String defaultModel, boolean streams) {
        this.flag = flag;
        this.basePath = basePath;
        this.defaultModel = defaultModel;
        this.streams = streams;
    }

    /** The CLI's name for it ({@code --api openai-chat}). */
    public String flag() {
        return flag;
    }

    /** The path the API's base URL ends in: {@code /v1}, or {@code /v1beta} for Gemini. */
    public String basePath() {
        return basePath;
    }

    /** A model the simulator serves on this API, for runs that name none. */
    public String defaultModel() {
        return defaultModel;
    }

    /** Whether the API can stream its answers (all but embeddings). */
    public boolean streams() {
        return streams;
    }

    /** Whether the API generates text (all but embeddings). */
    public boolean generates() {
        return this != OPENAI_EMBEDDINGS;
    }

    /** The API's codec: stateless, thread-safe, one per API. */
    public ClientCodec codec() {
        return switch (this) {
            case OPENAI_CHAT -> OpenAiClients.chat();
            case OPENAI_COMPLETIONS -> OpenAiClients.completions();
            case OPENAI_EMBEDDINGS -> OpenAiClients.embeddings();
            case OPENAI_RESPONSES -> OpenAiClients.responses();
            case ANTHROPIC_MESSAGES -> AnthropicClients.messages();
            case GEMINI -> GeminiClients.generate();
        };
    }

    /**
     * The API for a flag name, case-insensitive.
     *
     * @throws IllegalArgumentException naming the flags there are
     */
    public static ClientApi parse(String flag) {
        String f = flag == null ? "" : flag.strip().toLowerCase(Locale.ROOT);
        for (ClientApi a : values()) if (a.flag.equals(f)) return a;
        throw new IllegalArgumentException("unknown API '" + flag + "': expected one of "
                + Arrays.stream(values()).map(ClientApi::flag).collect(Collectors.joining(", ")));
    }
}
