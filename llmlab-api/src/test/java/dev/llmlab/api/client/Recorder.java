package dev.llmlab.api.client;

import dev.llmlab.api.FinishReason;
import java.util.ArrayList;
import java.util.List;

/** Records every listener call as a line, for tests that check what was said and in which order. */
final class Recorder implements ClientListener {
    final List<String> calls = new ArrayList<>();
    final AnswerBuilder answer = new AnswerBuilder();
    /** Every arguments piece, as delivered. */
    final List<String> argumentPieces = new ArrayList<>();

    @Override
    public void response(String id, String model) {
        calls.add("response " + id + " " + model);
        answer.response(id, model);
    }

    @Override
    public void text(int choice, String delta) {
        calls.add("text " + choice);
        answer.text(choice, delta);
    }

    @Override
    public void reasoning(int choice, String delta) {
        calls.add("reasoning " + choice);
        answer.reasoning(choice, delta);
    }

    @Override
    public void toolCall(int choice, int tool, String id, String name, String arguments) {
        calls.add("tool " + choice + " " + tool + (id != null || name != null ? " " + id + " " + name : ""));
        argumentPieces.add(arguments);
        answer.toolCall(choice, tool, id, name, arguments);
    }

    @Override
    public void usage(int promptTokens, int completionTokens, int cachedTokens) {
        calls.add("usage " + promptTokens + " " + completionTokens + " " + cachedTokens);
        answer.usage(promptTokens, completionTokens, cachedTokens);
    }

    @Override
    public void finish(int choice, FinishReason reason, String providerReason, String stopSequence) {
        calls.add("finish " + choice + " " + reason + " " + providerReason + " " + stopSequence);
        answer.finish(choice, reason, providerReason, stopSequence);
    }

    @Override
    public void error(ProviderError error) {
        calls.add("error " + error.status() + " " + error.type() + " " + error.message());
        answer.error(error);
    }

    @Override
    public void end() {
        calls.add("end");
        answer.end();
    }

    /** The calls without the per-piece ones (text, reasoning, argument pieces), for comparing the outline. */
    List<String> outline() {
        List<String> out = new ArrayList<>();
        String last = null;
        for (String c : calls) {
            boolean piece = c.startsWith("text ") || c.startsWith("reasoning ") || c.matches("tool \\d+ \\d+");
            if (piece && c.equals(last)) continue;
            out.add(c);
            last = c;
        }
        return out;
    }
}
