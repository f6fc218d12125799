package dev.llmlab.api.relay;

import dev.llmlab.api.Completion;
import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.client.ClientListener;
import java.io.OutputStream;
import java.util.List;

/**
 * Writes one answer in the ingress API's shape from the calls of the provider's decoder. A
 * subclass per ingress API keeps the state that API's stream needs (which block, item or tool
 * call is open) and writes each piece as its own event as soon as it arrives.
 *
 * <p>{@link #out} is the caller's stream for the event being decoded; {@link AnswerRelay} sets it
 * around each decoder call. Calls after {@link #complete()} or {@link #fail} are not made (the
 * relay stops forwarding them). Not thread-safe.
 */
abstract class IngressWriter implements ClientListener {
    final GenerationRequest request;
    final String model;
    final Stamps stamps;
    OutputStream out;

    IngressWriter(GenerationRequest request, String model, Stamps stamps) {
        this.request = request;
        this.model = model;
        this.stamps = stamps;
    }

    /** The content type of the streamed answer. */
    String streamContentType() {
        return "text/event-stream";
    }

    /** Before the decoder reads an event: where its output goes. */
    void beginEvent(OutputStream out) {
        this.out = out;
    }

    /** After the decoder read an event. */
    void endEvent() {}

    /**
     * Ends the stream after the provider's own end: what is still open is closed, the last events
     * (finish, usage) and the API's terminator are written. {@code usage} is the provider's last
     * report, or null.
     */
    abstract void complete(dev.llmlab.api.Usage usage);

    /** Ends the stream with an error event in the API's shape (and the API's end, where it has one after an error). */
    abstract void fail(int status, String message, String openAiType, String openAiCode);

    /** A whole answer; {@code reasoning} per choice ("" when none). */
    abstract void whole(OutputStream out, Completion c, List<String> reasoning);
}
