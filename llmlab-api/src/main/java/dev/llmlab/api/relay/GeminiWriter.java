package dev.llmlab.api.relay;

import dev.llmlab.api.Choice;
import dev.llmlab.api.Completion;
import dev.llmlab.api.FinishReason;
import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.ToolCall;
import dev.llmlab.api.Usage;
import dev.llmlab.api.client.MalformedAnswerException;
import dev.llmlab.api.gemini.GeminiResponses;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;

/**
 * Gemini {@code GenerateContentResponse} chunks for the client: one per text or thought piece,
 * one per function call, and a last chunk with each candidate's {@code finishReason} and the
 * usage. With {@code alt=sse} each chunk is a {@code data: JSON\r\n\r\n} event, as Google frames
 * them; without it the chunks are the elements of one JSON array ({@code [chunk,\r\nchunk]}),
 * which is what {@code streamGenerateContent} sends when no {@code alt} is given.
 *
 * <p>Gemini sends a function call whole, in one part, so a call's argument pieces from an OpenAI
 * or Anthropic provider are joined until the call is complete (the next call, text, the finish or
 * the end); every other piece goes out as it arrives. Finish reasons wait for the end of the
 * stream, because an OpenAI provider reports usage after them and Gemini puts both in the last
 * chunk; a chunk carries {@code usageMetadata} once the provider has reported usage (Gemini's
 * own chunks carry it from the first). A stop by a stop sequence is {@code STOP}, and so is a
 * stop to call tools: Gemini has no separate reason for either. An error is a chunk {@code
 * {"error":{"code","message","status"}}} ending the stream.
 */
final class GeminiWriter extends IngressWriter {
    private final boolean sse;
    private final String id;
    private boolean first = true;
    private Usage usage;
    private final List<String> finishes = new ArrayList<>(1);
    // the call being joined per candidate: id, name, arguments so far
    private final List<String[]> calls = new ArrayList<>(1);
    private final List<StringBuilder> args = new ArrayList<>(1);

    GeminiWriter(GenerationRequest request, String model, Stamps stamps, boolean sse) {
        super(request, model, stamps);
        this.sse = sse;
        this.id = stamps.id(Stamps.Kind.GEMINI);
    }

    @Override
    String streamContentType() {
        return sse ? "text/event-stream" : "application/json";
    }

    private JsonGenerator chunk() {
        if (sse) Json.ascii(out, "data: ");
        else Json.ascii(out, first ? "[" : ",\r\n");
        first = false;
        JsonGenerator g = Json.MAPPER.createGenerator(out);
        g.writeStartObject();
        return g;
    }

    private void endChunk(JsonGenerator g) {
        if (usage != null) usageMetadata(g, usage);
        g.writeStringProperty("modelVersion", model);
        g.writeStringProperty("responseId", id);
        g.writeEndObject();
        g.close();
        if (sse) Json.ascii(out, "\r\n\r\n");
    }

    /** Opens a chunk of one candidate's content; the caller writes the parts. */
    private JsonGenerator part(int k) {
        JsonGenerator g = chunk();
        g.writeArrayPropertyStart("candidates");
        g.writeStartObject();
        g.writeObjectPropertyStart("content");
        g.writeArrayPropertyStart("parts");
        g.writeStartObject();
        return g;
    }

    private void endPart(JsonGenerator g, int k) {
        g.writeEndObject();
        g.writeEndArray();
        g.writeStringProperty("role", "model");
        g.writeEndObject();
        g.writeNumberProperty("index", k);
        g.writeEndObject();
        g.writeEndArray();
        endChunk(g);
    }

    @Override
    public void text(int choice, String delta) {
        flushCall(choice);
        JsonGenerator g = part(choice);
        g.writeStringProperty("text", delta);
        endPart(g, choice);
    }

    @Override
    public void reasoning(int choice, String delta) {
        flushCall(choice);
        JsonGenerator g = part(choice);
        g.writeStringProperty("text", delta);
        g.writeBooleanProperty("thought", true);
        endPart(g, choice);
    }

    @Override
    public void toolCall(int choice, int tool, String callId, String name, String arguments) {
        while (calls.size() <= choice) {
            calls.add(null);
            args.add(new StringBuilder());
        }
        if (callId != null || name != null) {
            flushCall(choice);
            calls.set(choice, new String[] {callId, name});
        }
        if (arguments != null) args.get(choice).append(arguments);
    }

    private void flushCall(int choice) {
        if (choice >= calls.size() || calls.get(choice) == null) return;
        String[] call = calls.get(choice);
        StringBuilder a = args.get(choice);
        JsonNode arguments = arguments(a.toString());
        calls.set(choice, null);
        a.setLength(0);
        JsonGenerator g = part(choice);
        functionCall(g, call[0], call[1], arguments);
        endPart(g, choice);
    }

    private static JsonNode arguments(String text) {
        if (text.isBlank()) return Json.MAPPER.createObjectNode();
        try {
            JsonNode n = Json.MAPPER.readTree(text);
            if (n != null && n.isObject()) return n;
        } catch (JacksonException e) {
            // falls through
        }
        throw new MalformedAnswerException("the provider's tool-call arguments are not a JSON object: " + text);
    }

    private static void functionCall(JsonGenerator g, String callId, String name, JsonNode arguments) {
        g.writeObjectPropertyStart("functionCall");
        if (callId != null) g.writeStringProperty("id", callId);
        g.writeStringProperty("name", name);
        g.writeName("args");
        g.writeTree(arguments);
        g.writeEndObject();
    }

    @Override
    public void usage(int promptTokens, int completionTokens, int cachedTokens) {
        usage = new Usage(promptTokens, completionTokens, cachedTokens);
    }

    @Override
    public void finish(int choice, FinishReason reason, String providerReason, String stopSequence) {
        flushCall(choice);
        while (finishes.size() <= choice) finishes.add(null);
        finishes.set(choice, GeminiResponses.finishReason(reason));
    }

    @Override
    void complete(Usage usage) {
        for (int k = 0; k < calls.size(); k++) flushCall(k);
        if (usage != null) this.usage = usage;
        JsonGenerator g = chunk();
        g.writeArrayPropertyStart("candidates");
        int n = Math.max(1, finishes.size());
        for (int k = 0; k < n; k++) {
            g.writeStartObject();
            String reason = k < finishes.size() ? finishes.get(k) : null;
            g.writeStringProperty("finishReason", reason != null ? reason : "STOP");
            g.writeNumberProperty("index", k);
            g.writeEndObject();
        }
        g.writeEndArray();
        endChunk(g);
        if (!sse) Json.ascii(out, "]");
    }

    @Override
    void fail(int status, String message, String openAiType, String openAiCode) {
        if (sse) Json.ascii(out, "data: ");
        else Json.ascii(out, first ? "[" : ",\r\n");
        first = false;
        GeminiResponses.writeError(out, status, message);
        Json.ascii(out, sse ? "\r\n\r\n" : "]");
    }

    static void usageMetadata(JsonGenerator g, Usage u) {
        g.writeObjectPropertyStart("usageMetadata");
        g.writeNumberProperty("promptTokenCount", u.promptTokens());
        g.writeNumberProperty("candidatesTokenCount", u.completionTokens());
        g.writeNumberProperty("totalTokenCount", u.totalTokens());
        if (u.cachedTokens() > 0) g.writeNumberProperty("cachedContentTokenCount", u.cachedTokens());
        g.writeEndObject();
    }

    @Override
    void whole(OutputStream out, Completion c, List<String> reasoning) {
        try (JsonGenerator g = Json.MAPPER.createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayPropertyStart("candidates");
            for (Choice ch : c.choices()) {
                g.writeStartObject();
                g.writeObjectPropertyStart("content");
                g.writeArrayPropertyStart("parts");
                String r = ch.index() < reasoning.size() ? reasoning.get(ch.index()) : "";
                if (!r.isEmpty()) {
                    g.writeStartObject();
                    g.writeStringProperty("text", r);
                    g.writeBooleanProperty("thought", true);
                    g.writeEndObject();
                }
                if (ch.text() != null && (!ch.text().isEmpty() || ch.toolCalls().isEmpty())) {
                    g.writeStartObject();
                    g.writeStringProperty("text", ch.text());
                    g.writeEndObject();
                }
                for (ToolCall call : ch.toolCalls()) {
                    g.writeStartObject();
                    functionCall(g, call.id(), call.name(), arguments(call.arguments()));
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeStringProperty("role", "model");
                g.writeEndObject();
                FinishReason reason = ch.finishReason() == null ? FinishReason.STOP : ch.finishReason();
                g.writeStringProperty("finishReason", GeminiResponses.finishReason(reason));
                g.writeNumberProperty("index", ch.index());
                g.writeEndObject();
            }
            g.writeEndArray();
            if (c.usage() != null) usageMetadata(g, c.usage());
            g.writeStringProperty("modelVersion", model);
            g.writeStringProperty("responseId", id);
            g.writeEndObject();
        }
    }
}
