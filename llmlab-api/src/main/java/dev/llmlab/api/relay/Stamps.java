package dev.llmlab.api.relay;

import dev.llmlab.api.GenerationRequest.Endpoint;
import dev.llmlab.api.anthropic.AnthropicResponses;
import dev.llmlab.api.gemini.GeminiResponses;
import dev.llmlab.api.openai.OpenAiResponses;
import dev.llmlab.api.openai.ResponsesEncoder;

/**
 * Where an answer's ids and creation time come from: random ids in each API's shape and the
 * wall clock, or, in tests, fixed ones so that golden files can pin the output.
 */
interface Stamps {
    /** An id of {@code kind}: chat, completion, message, response, gemini, call, item. */
    String id(Kind kind);

    /** Seconds since the epoch. */
    long now();

    enum Kind {
        CHAT,
        COMPLETION,
        MESSAGE,
        RESPONSE,
        GEMINI,
        CALL,
        TOOL_USE,
        MESSAGE_ITEM,
        CALL_ITEM
    }

    Stamps REAL = new Stamps() {
        @Override
        public String id(Kind kind) {
            return switch (kind) {
                case CHAT -> OpenAiResponses.newId(Endpoint.CHAT);
                case COMPLETION -> OpenAiResponses.newId(Endpoint.COMPLETION);
                case MESSAGE -> AnthropicResponses.newMessageId();
                case RESPONSE -> ResponsesEncoder.newId("resp_");
                case GEMINI -> GeminiResponses.newResponseId();
                case CALL -> "call_" + GeminiResponses.newResponseId();
                case TOOL_USE -> "toolu_01" + GeminiResponses.newResponseId();
                case MESSAGE_ITEM -> ResponsesEncoder.newId("msg_");
                case CALL_ITEM -> ResponsesEncoder.newId("fc_");
            };
        }

        @Override
        public long now() {
            return System.currentTimeMillis() / 1000;
        }
    };
}
