package dev.llmlab.gateway;

/**
 * What an SDK decoded from one answer, whole or gathered from a stream.
 *
 * @param text          the reply's text; empty when there is none
 * @param toolName      the first tool call's function, or null
 * @param toolArguments its arguments as JSON text, as the SDK gave them (OpenAI's SDK gives a
 *                      string; the others a parsed value, written back as JSON)
 * @param finish        the finish or stop reason, as the SDK names it
 * @param inputTokens   the prompt's tokens from the usage, or -1 when there was no usage
 * @param outputTokens  the reply's tokens from the usage, or -1 when there was no usage
 * @param events        how many stream events the SDK decoded; 1 for a whole answer
 */
record SdkReply(
        String text,
        String toolName,
        String toolArguments,
        String finish,
        long inputTokens,
        long outputTokens,
        int events) {}
