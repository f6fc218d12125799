package dev.llmlab.api;

/**
 * One chat message in the internal model. Content parts of any kind are flattened to their text
 * (images and audio contribute no text); {@code toolCallsText} holds the JSON of assistant tool
 * calls so that they count towards the prompt like the real APIs count them.
 */
public record Message(String role, String content, String name, String toolCallId, String toolCallsText) {
    public Message {
        if (content == null) content = "";
    }
}
