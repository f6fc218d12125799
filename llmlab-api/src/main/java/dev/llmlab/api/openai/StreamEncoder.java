package dev.llmlab.api.openai;

import dev.llmlab.api.FinishReason;
import dev.llmlab.api.GenerationRequest.Endpoint;
import dev.llmlab.api.TokenLogprob;
import dev.llmlab.api.Usage;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import tools.jackson.core.JsonGenerator;

/**
 * Encodes one OpenAI stream (chat.completion.chunk or text_completion chunks) as SSE frames.
 *
 * <p>Every chunk of a stream repeats the same envelope ({@code id}, {@code created}, {@code
 * model}, fingerprint), so the envelope is rendered once per stream into a byte template and each
 * token chunk costs a copy of the template plus the escaped token. This keeps the per-token path
 * free of generator set-up and, for ASCII tokens, of allocation.
 *
 * <p>Frames follow the SSE framing OpenAI uses: {@code data: <json>\n\n}, ending with
 * {@code data: [DONE]\n\n}. With {@code include_usage} every chunk carries {@code "usage":null}
 * and a final chunk has empty {@code choices} and the usage, as the API reference documents.
 *
 * <p>Not thread-safe: one instance per stream, used from the stream's event loop.
 */
public final class StreamEncoder {
  private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END_NO_USAGE = "}\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END_USAGE_NULL = ",\"usage\":null}\n\n".getBytes(StandardCharsets.US_ASCII);

  private final Endpoint endpoint;
  private final byte[] choicePrefix; // data: {envelope,"choices":[{"index":   (chat)   or  ...[{"text":"  (completion)
  private final byte[] envelopePrefix; // data: {envelope,
  private final byte[] end;

  public StreamEncoder(Endpoint endpoint, String id, long created, String model, String fingerprint,
                       boolean includeUsage) {
    this.endpoint = endpoint;
    ByteArrayOutputStream env = new ByteArrayOutputStream(192);
    JsonText.writeAscii(env, "data: {\"id\":\"");
    JsonText.writeEscaped(env, id);
    JsonText.writeAscii(env, endpoint == Endpoint.CHAT ? "\",\"object\":\"chat.completion.chunk\",\"created\":"
        : "\",\"object\":\"text_completion\",\"created\":");
    JsonText.writeAscii(env, Long.toString(created));
    JsonText.writeAscii(env, ",\"model\":\"");
    JsonText.writeEscaped(env, model);
    if (endpoint == Endpoint.CHAT) JsonText.writeAscii(env, "\",\"service_tier\":\"default");
    JsonText.writeAscii(env, "\",\"system_fingerprint\":\"");
    JsonText.writeEscaped(env, fingerprint);
    JsonText.writeAscii(env, "\",");
    this.envelopePrefix = env.toByteArray();
    JsonText.writeAscii(env, endpoint == Endpoint.CHAT ? "\"choices\":[{\"index\":" : "\"choices\":[{\"text\":\"");
    this.choicePrefix = env.toByteArray();
    this.end = includeUsage ? END_USAGE_NULL : END_NO_USAGE;
  }

  /** Chat only: the first chunk of a choice, announcing the assistant role. */
  public void role(OutputStream out, int index) {
    chatHead(out, index);
    JsonText.writeAscii(out, ",\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},"
        + "\"logprobs\":null,\"finish_reason\":null}]");
    JsonText.write(out, end);
  }

  /** One piece of output text (usually one token); {@code logprobs} (one per token) may be null. */
  public void content(OutputStream out, int index, String text, List<TokenLogprob> logprobs) {
    if (endpoint == Endpoint.CHAT) {
      chatHead(out, index);
      JsonText.writeAscii(out, ",\"delta\":{\"content\":\"");
      JsonText.writeEscaped(out, text);
      JsonText.writeAscii(out, "\"},\"logprobs\":");
      if (logprobs == null) {
        JsonText.writeAscii(out, "null");
      } else {
        try (JsonGenerator g = OpenAiRequests.MAPPER.createGenerator(out)) {
          g.writeStartObject();
          OpenAiResponses.writeChatLogprobContent(g, logprobs);
          g.writeNullProperty("refusal");
          g.writeEndObject();
        }
      }
      JsonText.writeAscii(out, ",\"finish_reason\":null}]");
    } else {
      JsonText.write(out, choicePrefix);
      JsonText.writeEscaped(out, text);
      JsonText.writeAscii(out, "\",\"index\":");
      JsonText.writeInt(out, index);
      JsonText.writeAscii(out, ",\"logprobs\":");
      if (logprobs == null) {
        JsonText.writeAscii(out, "null");
      } else {
        try (JsonGenerator g = OpenAiRequests.MAPPER.createGenerator(out)) {
          OpenAiResponses.writeLegacyLogprobs(g, logprobs, 0);
        }
      }
      JsonText.writeAscii(out, ",\"finish_reason\":null}]");
    }
    JsonText.write(out, end);
  }

  /** Chat only: opens tool call {@code toolIndex} of choice {@code index} with its id and name. */
  public void toolCallStart(OutputStream out, int index, int toolIndex, String callId, String name) {
    chatHead(out, index);
    JsonText.writeAscii(out, ",\"delta\":{");
    if (toolIndex == 0) JsonText.writeAscii(out, "\"role\":\"assistant\",\"content\":null,");
    JsonText.writeAscii(out, "\"tool_calls\":[{\"index\":");
    JsonText.writeInt(out, toolIndex);
    JsonText.writeAscii(out, ",\"id\":\"");
    JsonText.writeEscaped(out, callId);
    JsonText.writeAscii(out, "\",\"type\":\"function\",\"function\":{\"name\":\"");
    JsonText.writeEscaped(out, name);
    JsonText.writeAscii(out, "\",\"arguments\":\"\"}}]},\"logprobs\":null,\"finish_reason\":null}]");
    JsonText.write(out, end);
  }

  /** Chat only: a piece of tool call {@code toolIndex}'s arguments JSON text. */
  public void toolCallArguments(OutputStream out, int index, int toolIndex, String piece) {
    chatHead(out, index);
    JsonText.writeAscii(out, ",\"delta\":{\"tool_calls\":[{\"index\":");
    JsonText.writeInt(out, toolIndex);
    JsonText.writeAscii(out, ",\"function\":{\"arguments\":\"");
    JsonText.writeEscaped(out, piece);
    JsonText.writeAscii(out, "\"}}]},\"logprobs\":null,\"finish_reason\":null}]");
    JsonText.write(out, end);
  }

  /** The last chunk of a choice: an empty delta (or empty text) and the finish reason. */
  public void finish(OutputStream out, int index, FinishReason reason) {
    if (endpoint == Endpoint.CHAT) {
      chatHead(out, index);
      JsonText.writeAscii(out, ",\"delta\":{},\"logprobs\":null,\"finish_reason\":\"");
    } else {
      JsonText.write(out, choicePrefix);
      JsonText.writeAscii(out, "\",\"index\":");
      JsonText.writeInt(out, index);
      JsonText.writeAscii(out, ",\"logprobs\":null,\"finish_reason\":\"");
    }
    JsonText.writeAscii(out, reason.wire());
    JsonText.writeAscii(out, "\"}]");
    JsonText.write(out, end);
  }

  /** The usage chunk sent after all choices finished when {@code include_usage} was asked for. */
  public void usage(OutputStream out, Usage usage) {
    JsonText.write(out, envelopePrefix);
    JsonText.writeAscii(out, "\"choices\":[],\"usage\":");
    try (JsonGenerator g = OpenAiRequests.MAPPER.createGenerator(out)) {
      OpenAiResponses.writeUsage(g, usage, true);
    }
    JsonText.writeAscii(out, "}\n\n");
  }

  /** The stream terminator, {@code data: [DONE]}. */
  public static void done(OutputStream out) {
    JsonText.write(out, DONE);
  }

  private void chatHead(OutputStream out, int index) {
    JsonText.write(out, choicePrefix);
    JsonText.writeInt(out, index);
  }
}
