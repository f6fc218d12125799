package dev.llmlab.api.relay;

import dev.llmlab.api.Completion;
import dev.llmlab.api.FinishReason;
import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.Usage;
import dev.llmlab.api.client.AnswerBuilder;
import dev.llmlab.api.client.ClientApi;
import dev.llmlab.api.client.ClientCodec;
import dev.llmlab.api.client.ClientListener;
import dev.llmlab.api.client.MalformedAnswerException;
import dev.llmlab.api.client.ProviderError;
import dev.llmlab.api.client.StreamDecoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;

/**
 * One provider answer relayed to the client in the client's API: streamed event by event, or
 * whole. The provider's events are decoded by its {@link ClientCodec} into {@link ClientListener}
 * calls, which a writer for the ingress API turns into the client's events as they come: every
 * text delta and tool-call argument delta is its own event (Gemini clients excepted, whose API
 * has a function call whole). No I/O: the SSE framing of the provider's stream and the writing
 * of the client's are the caller's; each call writes zero or more complete client events into
 * the caller's {@link OutputStream}.
 *
 * <p>A stream always ends well-formed for the client: with the ingress API's terminator after
 * the provider's own end ({@link #event} returns true), or with an error event in the ingress
 * API's shape (and its terminator where the API has one after errors) when the provider sends an
 * error, sends an event that is not its API's, stops before its end ({@link #end}), or the caller
 * gives up ({@link #fail}). After that, calls write nothing.
 *
 * <p>The provider's usage is kept for accounting ({@link #usage()}), whether or not the client
 * gets it (an OpenAI client only gets a usage chunk if it asked with {@code stream_options}).
 * Not thread-safe: one per answer, used from the answer's event loop.
 */
public final class AnswerRelay {
    private final ClientApi ingress;
    private final ClientCodec codec;
    private final IngressWriter writer;
    private final StreamDecoder decoder;
    private Usage usage;
    private boolean closed;
    private boolean failed;
    private ClientListener tap;

    AnswerRelay(
            ClientApi ingress,
            GenerationRequest ingressRequest,
            ClientApi provider,
            GenerationRequest providerRequest,
            IngressWriter writer) {
        this.ingress = ingress;
        this.codec = provider.codec();
        this.writer = writer;
        this.decoder = ingressRequest.stream() ? codec.streamDecoder(providerRequest, new Forward(), true) : null;
    }

    /** The client answer's content type: the stream's ({@code text/event-stream}; Gemini without {@code alt=sse}: JSON), or JSON. */
    public String contentType() {
        return decoder != null ? writer.streamContentType() : Errors.JSON;
    }

    /**
     * One event of the provider's stream ({@code data} only, as {@link StreamDecoder#event} takes
     * it): writes the client events it makes into {@code out}.
     *
     * @return whether the client's stream is over (the provider's end arrived and the terminator
     *     was written, or an error ended it); the caller then closes the client's response
     */
    public boolean event(byte[] data, int offset, int length, OutputStream out) {
        if (closed) return true;
        if (decoder == null) throw new IllegalStateException("not a streamed answer: use whole()");
        writer.beginEvent(out);
        try {
            boolean ended = decoder.event(data, offset, length);
            if (closed) return true;
            writer.endEvent();
            if (ended) {
                writer.complete(usage);
                closed = true;
            }
        } catch (MalformedAnswerException e) {
            failWith(502, "the provider sent an event that is not its API's: " + e.getMessage(), null);
        }
        return closed;
    }

    /**
     * The provider's stream ended (its body is over). If its API's end had not arrived, the
     * client gets an error event and the end of its stream; otherwise nothing is written.
     */
    public void end(OutputStream out) {
        if (closed) return;
        writer.beginEvent(out);
        failWith(502, "the provider's stream ended before the end of its answer", null);
    }

    /**
     * The caller gives up on the provider mid-stream (a timeout, a reset connection): the client
     * gets an error event naming {@code message} and the end of its stream.
     */
    public void fail(String message, OutputStream out) {
        if (closed) return;
        writer.beginEvent(out);
        failWith(502, message, null);
    }

    private void failWith(int status, String message, Errors.Mapped mapped) {
        closed = true;
        failed = true;
        if (mapped != null) writer.fail(mapped.status(), mapped.message(), mapped.openAiType(), mapped.openAiCode());
        else writer.fail(status, message, Errors.openAiType(status), null);
    }

    /**
     * A whole (non-streamed) provider answer with a 2xx status: writes the client's whole answer
     * into {@code out} and returns the status to send, 200; or, when the body is not the
     * provider's answer or holds an error, writes an error body in the ingress API's shape and
     * returns its status (502 for a body that is not an answer).
     */
    public int whole(byte[] body, int offset, int length, OutputStream out) {
        if (decoder != null) throw new IllegalStateException("a streamed answer: use event()");
        closed = true;
        AnswerBuilder answer = new AnswerBuilder();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(Math.max(256, length));
        RelayError error = null;
        try {
            codec.decode(body, offset, length, answer);
            Completion c = answer.completion();
            usage = c.usage();
            if (!answer.errors().isEmpty()) {
                error = Errors.provider(ingress, answer.errors().getFirst());
            } else {
                List<String> reasoning = new ArrayList<>(c.choices().size());
                for (int k = 0; k < c.choices().size(); k++) reasoning.add(answer.reasoning(k));
                writer.whole(buffer, c, reasoning);
            }
        } catch (MalformedAnswerException | JacksonException e) {
            error = Errors.render(
                    ingress, 502, "the provider's answer is not its API's: " + e.getMessage(), null, null);
        }
        try {
            if (error != null) {
                out.write(error.body());
                return error.status();
            }
            buffer.writeTo(out);
            return 200;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The usage the provider reported (its last report), or null if it reported none. */
    public Usage usage() {
        return usage;
    }

    /** Whether the provider reported usage; when not, the caller estimates it (and marks it so). */
    public boolean usageReported() {
        return usage != null;
    }

    /**
     * Also tells {@code listener} every call the provider's answer decodes to (text, tool calls,
     * usage, ...), before they are written for the client: for a gateway's accounting (a token
     * estimate when the provider reports no usage, the time of the first token).
     *
     * @return this
     */
    public AnswerRelay tap(ClientListener listener) {
        this.tap = listener;
        return this;
    }

    /** Whether the client's answer is complete (its end or an error written). */
    public boolean closed() {
        return closed;
    }

    /** Whether the client's answer reached its API's end without an error. */
    public boolean completed() {
        return closed && !failed;
    }

    /** The decoder's calls, passed on to the writer until the stream is closed. */
    private final class Forward implements ClientListener {
        @Override
        public void text(int choice, String delta) {
            if (tap != null) tap.text(choice, delta);
            if (!closed && !delta.isEmpty()) writer.text(choice, delta);
        }

        @Override
        public void reasoning(int choice, String delta) {
            if (tap != null) tap.reasoning(choice, delta);
            if (!closed && !delta.isEmpty()) writer.reasoning(choice, delta);
        }

        @Override
        public void toolCall(int choice, int tool, String id, String name, String arguments) {
            if (tap != null) tap.toolCall(choice, tool, id, name, arguments);
            if (!closed) writer.toolCall(choice, tool, id, name, arguments);
        }

        @Override
        public void usage(int promptTokens, int completionTokens, int cachedTokens) {
            if (tap != null) tap.usage(promptTokens, completionTokens, cachedTokens);
            usage = new Usage(promptTokens, completionTokens, cachedTokens);
            if (!closed) writer.usage(promptTokens, completionTokens, cachedTokens);
        }

        @Override
        public void finish(int choice, FinishReason reason, String providerReason, String stopSequence) {
            if (tap != null) tap.finish(choice, reason, providerReason, stopSequence);
            if (!closed) writer.finish(choice, reason, providerReason, stopSequence);
        }

        @Override
        public void error(ProviderError error) {
            if (!closed) failWith(0, null, Errors.map(ingress, error));
        }
    }
}
