package dev.llmlab.api.client;

import dev.llmlab.api.Choice;
import dev.llmlab.api.Completion;
import dev.llmlab.api.FinishReason;
import dev.llmlab.api.ToolCall;
import dev.llmlab.api.Usage;
import java.util.ArrayList;
import java.util.List;

/**
 * A listener that puts a decoded answer back together as a {@link Completion}: text, tool calls
 * (arguments joined from their pieces), finish reasons and usage. What a gateway needs to answer a
 * non-streamed request from a streamed one, and what tests compare. Not thread-safe.
 */
public final class AnswerBuilder implements ClientListener {
    private String id;
    private String model;
    private final List<Builder> choices = new ArrayList<>();
    private Usage usage;
    private final List<ProviderError> errors = new ArrayList<>();
    private boolean ended;

    private static final class Builder {
        StringBuilder text;
        final StringBuilder reasoning = new StringBuilder();
        final List<String[]> calls = new ArrayList<>(); // id, name
        final List<StringBuilder> arguments = new ArrayList<>();
        FinishReason reason;
        String providerReason;
        String stopSequence;
    }

    private Builder choice(int k) {
        while (choices.size() <= k) choices.add(new Builder());
        return choices.get(k);
    }

    @Override
    public void response(String id, String model) {
        if (this.id == null) this.id = id;
        if (this.model == null) this.model = model;
    }

    @Override
    public void text(int choice, String delta) {
        Builder b = choice(choice);
        if (b.text == null) b.text = new StringBuilder();
        b.text.append(delta);
    }

    @Override
    public void reasoning(int choice, String delta) {
        choice(choice).reasoning.append(delta);
    }

    @Override
    public void toolCall(int choice, int tool, String id, String name, String arguments) {
        Builder b = choice(choice);
        while (b.calls.size() <= tool) {
            b.calls.add(new String[2]);
            b.arguments.add(new StringBuilder());
        }
        String[] call = b.calls.get(tool);
        if (id != null) call[0] = id;
        if (name != null) call[1] = name;
        if (arguments != null) b.arguments.get(tool).append(arguments);
    }

    @Override
    public void usage(int promptTokens, int completionTokens, int cachedTokens) {
        usage = new Usage(promptTokens, completionTokens, cachedTokens);
    }

    @Override
    public void finish(int choice, FinishReason reason, String providerReason, String stopSequence) {
        Builder b = choice(choice);
        b.reason = reason;
        b.providerReason = providerReason;
        b.stopSequence = stopSequence;
    }

    @Override
    public void error(ProviderError error) {
        errors.add(error);
    }

    @Override
    public void end() {
        ended = true;
    }

    /**
     * The answer so far: a choice's text is null when it made tool calls and said nothing (as the
     * internal model has it); a tool call whose arguments never arrived (a call without arguments:
     * the decoders deliver no piece the wire did not carry) has {@code {}}; usage is null if the
     * provider reported none; created is 0.
     */
    public Completion completion() {
        List<Choice> out = new ArrayList<>(choices.size());
        for (int k = 0; k < choices.size(); k++) {
            Builder b = choices.get(k);
            List<ToolCall> calls = new ArrayList<>(b.calls.size());
            for (int t = 0; t < b.calls.size(); t++) {
                String[] c = b.calls.get(t);
                StringBuilder args = b.arguments.get(t);
                calls.add(new ToolCall(c[0], c[1], args.isEmpty() ? "{}" : args.toString()));
            }
            String text = b.text != null ? b.text.toString() : calls.isEmpty() ? "" : null;
            out.add(new Choice(k, text, List.copyOf(calls), b.reason, null, b.stopSequence));
        }
        return new Completion(id, 0, model, null, List.copyOf(out), usage);
    }

    /** Choice {@code k}'s reasoning text ("" if none). */
    public String reasoning(int k) {
        return k < choices.size() ? choices.get(k).reasoning.toString() : "";
    }

    /** The API's own finish reason of choice {@code k}, or null. */
    public String providerReason(int k) {
        return k < choices.size() ? choices.get(k).providerReason : null;
    }

    /** The errors the provider sent inside the answer. */
    public List<ProviderError> errors() {
        return List.copyOf(errors);
    }

    /** Whether the API's end of the answer arrived. */
    public boolean ended() {
        return ended;
    }
}
