package dev.llmlab.api;

import java.util.List;

/**
 * One chat message in the internal model. Content parts of any kind are flattened to their text
 * (images and audio contribute no text).
 *
 * <p>The conversation follows OpenAI's chat shape, which every API here can be translated to and
 * from: {@code system} (or {@code developer}) messages carry the system prompt; an {@code
 * assistant} message carries its text and the tool calls it made ({@code toolCalls}, in order);
 * each tool result is its own {@code tool} message naming the call it answers ({@code
 * toolCallId}) and, where the API says it, the function ({@code name}, which Gemini needs).
 * {@code toolCallsText} is the JSON of the assistant's tool calls as the request carried them, so
 * that they count towards the prompt like the real APIs count them; the client encoders ignore it
 * and write {@code toolCalls}.
 *
 * @param toolCalls the assistant's tool calls, never null (empty for other roles)
 */
public record Message(
        String role, String content, String name, String toolCallId, String toolCallsText, List<ToolCall> toolCalls) {
    public Message {
        if (content == null) content = "";
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    /** A message without structured tool calls (every role but an assistant that called tools). */
    public Message(String role, String content, String name, String toolCallId, String toolCallsText) {
        this(role, content, name, toolCallId, toolCallsText, List.of());
    }

    public static Message of(String role, String content) {
        return new Message(role, content, null, null, null, List.of());
    }

    /** A tool result: the output of call {@code toolCallId} (of function {@code name}, or null). */
    public static Message toolResult(String toolCallId, String name, String output) {
        return new Message("tool", output, name, toolCallId, null, List.of());
    }
}
