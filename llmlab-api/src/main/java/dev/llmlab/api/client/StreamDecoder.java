package dev.llmlab.api.client;

/**
 * Decodes one streamed answer, event by event, into calls on the {@link ClientListener} it was
 * made for. The SSE framing is the caller's: each call gets one event's {@code data}, UTF-8, with
 * the {@code data: } prefix and the line ends removed (multi-line data joined with {@code \n}).
 * The event's name is not needed: every API here repeats it in the data's {@code type}.
 *
 * <p>A decoder is a small stateful object (which content block or output item is a tool call,
 * which choices have finished) for one stream. Not thread-safe: use it from the stream's event loop.
 */
public interface StreamDecoder {
    /**
     * Decodes one event. Blank data (a keep-alive) is ignored; so are events after the end, except
     * on Gemini, whose stream has no terminator: a chunk after its last finish (a usage-only one)
     * is still read.
     *
     * @return whether this event was the API's own end of the stream ({@link ClientListener#end()}
     *     was called)
     * @throws MalformedAnswerException when the data is not one JSON object, or is cut short; the
     *     decoder stays usable for the next event
     */
    boolean event(byte[] data, int offset, int length);

    /** Whether the API's end of stream has arrived; a body that ends before it was cut short. */
    boolean ended();
}
