package dev.llmlab.gateway;

/**
 * One official SDK, unchanged, pointed at the gateway: the calls every pairing of an ingress API
 * and a provider kind is tested with. Each returns what the SDK decoded, in the SDK's own words,
 * so that a test asserts what an application would see.
 */
interface SdkClient extends AutoCloseable {
    /** The largest reply a text call asks for; the simulator's replies are longer, so the limit ends them. */
    int MAX_TOKENS = 8;

    /** The one tool every tool call offers, and forces. */
    String TOOL = "get_weather";

    /** "Say this is a test" to {@code model}, at most {@link #MAX_TOKENS} tokens, whole or streamed. */
    SdkReply text(String model, boolean stream);

    /** "Weather in Paris?" to {@code model}, with {@link #TOOL} (a required string {@code city}) forced. */
    SdkReply tool(String model, boolean stream);

    /** The finish reason this SDK reports when the token limit ends a reply. */
    String lengthFinish();

    /** The finish reason this SDK reports with a tool call. */
    String toolFinish();

    @Override
    void close();
}
