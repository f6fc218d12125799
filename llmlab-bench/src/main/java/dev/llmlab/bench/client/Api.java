package dev.llmlab.bench.client;

import java.util.Locale;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The APIs a benchmark can drive: how a request is written and how its answer is read, the one
 * place that knows each wire format on the client side. Stateless.
 */
public enum Api {
  OPENAI_CHAT("openai-chat", "/chat/completions"),
  OPENAI_COMPLETIONS("openai-completions", "/completions"),
  OPENAI_EMBEDDINGS("openai-embeddings", "/embeddings"),
  ANTHROPIC_MESSAGES("anthropic-messages", "/messages");

  static final JsonMapper JSON = JsonMapper.builder().build();

  private final String flag;
  private final String path;

  Api(String flag, String path) {
    this.flag = flag;
    this.path = path;
  }

  public String flag() {
    return flag;
  }

  /** The path under the base URL (which ends in {@code /v1} for every API here). */
  public String path() {
    return path;
  }

  public boolean streams() {
    return this != OPENAI_EMBEDDINGS;
  }

  public static Api parse(String flag) {
    for (Api a : values()) if (a.flag.equals(flag.toLowerCase(Locale.ROOT))) return a;
    throw new IllegalArgumentException("--api must be openai-chat, openai-completions, openai-embeddings or "
        + "anthropic-messages, got '" + flag + "'");
  }

  /** The request body for one prompt. */
  public byte[] body(String model, String prompt, int maxTokens, boolean stream) {
    tools.jackson.databind.node.ArrayNode messages = JSON.createArrayNode();
    messages.addObject().put("role", "user").put("content", prompt);
    return body(model, messages, prompt, maxTokens, stream);
  }

  /**
   * The request body for a conversation (chat APIs) or its text (completions, embeddings). For
   * Anthropic, system messages move to the top-level {@code system}.
   */
  public byte[] body(String model, tools.jackson.databind.node.ArrayNode messages, String text, int maxTokens,
                     boolean stream) {
    ObjectNode b = JSON.createObjectNode();
    b.put("model", model);
    String prompt = text;
    switch (this) {
      case OPENAI_CHAT -> {
        b.set("messages", messages);
        if (maxTokens > 0) b.put("max_tokens", maxTokens);
        if (stream) {
          b.put("stream", true);
          b.putObject("stream_options").put("include_usage", true);
        }
      }
      case OPENAI_COMPLETIONS -> {
        b.put("prompt", prompt);
        if (maxTokens > 0) b.put("max_tokens", maxTokens);
        if (stream) {
          b.put("stream", true);
          b.putObject("stream_options").put("include_usage", true);
        }
      }
      case OPENAI_EMBEDDINGS -> b.put("input", prompt);
      case ANTHROPIC_MESSAGES -> {
        tools.jackson.databind.node.ArrayNode turns = b.putArray("messages");
        StringBuilder system = new StringBuilder();
        for (JsonNode m : messages) {
          if (m.path("role").asString("").equals("system")) system.append(m.path("content").asString(""));
          else turns.add(m);
        }
        if (!system.isEmpty()) b.put("system", system.toString());
        b.put("max_tokens", maxTokens > 0 ? maxTokens : 1024); // required by the API
        if (stream) b.put("stream", true);
      }
    }
    return JSON.writeValueAsBytes(b);
  }

  /** What one streamed event said. */
  record Event(String text, int outputTokens, boolean end) {
    static final Event NOTHING = new Event(null, -1, false);
  }

  /**
   * Reads one SSE event: the output text it carries (null if none, so it is not a token event),
   * the output tokens the server reports (-1 if none), whether it ends the stream.
   *
   * @throws RuntimeException (Jackson's) when the event's data is not JSON
   */
  Event event(String eventName, String data) {
    if (this != ANTHROPIC_MESSAGES) {
      if (data.equals("[DONE]")) return new Event(null, -1, true);
      JsonNode n = JSON.readTree(data);
      int usage = n.path("usage").path("completion_tokens").asInt(-1);
      StringBuilder text = null;
      for (JsonNode c : n.path("choices")) {
        String t = this == OPENAI_CHAT ? deltaText(c.path("delta")) : c.path("text").asString(null);
        if (t != null && !t.isEmpty()) {
          if (text == null) text = new StringBuilder();
          text.append(t);
        }
      }
      return new Event(text == null ? null : text.toString(), usage, false);
    }
    JsonNode n = JSON.readTree(data);
    String type = n.path("type").asString("");
    return switch (type) {
      case "content_block_delta" -> {
        JsonNode d = n.path("delta");
        String t = d.has("text") ? d.path("text").asString("") : d.path("partial_json").asString("");
        yield new Event(t.isEmpty() ? null : t, -1, false);
      }
      case "message_delta" -> new Event(null, n.path("usage").path("output_tokens").asInt(-1), false);
      case "message_stop" -> new Event(null, -1, true);
      case "error" -> throw new IllegalStateException("error event: " + data);
      default -> Event.NOTHING;
    };
  }

  private static String deltaText(JsonNode delta) {
    String content = delta.path("content").asString(null);
    if (content != null) return content;
    JsonNode calls = delta.path("tool_calls");
    if (calls.isArray() && !calls.isEmpty()) return calls.get(0).path("function").path("arguments").asString(null);
    return delta.path("reasoning_content").asString(null);
  }

  /**
   * A whole (non-streamed) answer's text and the output tokens the server reports (-1 if none).
   * Read with Jackson's streaming parser, which skips everything else without building a tree: on a
   * fast target this runs once per request on the client's hot path.
   *
   * @throws RuntimeException (Jackson's, or IllegalStateException) when the body is not one JSON object
   */
  Event whole(byte[] body, int length) {
    try (JsonParser p = JSON.tokenStreamFactory().createParser(ObjectReadContext.empty(), body, 0, length)) {
      if (p.nextToken() != JsonToken.START_OBJECT) throw new IllegalStateException("the answer is not a JSON object");
      StringBuilder text = new StringBuilder();
      int usage = this == OPENAI_EMBEDDINGS ? 0 : -1;
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (name.equals("usage") && value == JsonToken.START_OBJECT && this != OPENAI_EMBEDDINGS) {
          usage = intField(p, this == ANTHROPIC_MESSAGES ? "output_tokens" : "completion_tokens");
        } else if (value == JsonToken.START_ARRAY && (this == ANTHROPIC_MESSAGES ? name.equals("content")
            : name.equals("choices") && this != OPENAI_EMBEDDINGS)) {
          texts(p, text);
        } else {
          p.skipChildren();
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
        throw new IllegalStateException("the answer is not one JSON object");
      }
      return new Event(text.toString(), usage, true);
    }
  }

  /** Reads an object's int field {@code name}, skipping the rest; -1 if absent. */
  private static int intField(JsonParser p, String name) {
    int found = -1;
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      String n = p.currentName();
      JsonToken v = p.nextToken();
      if (n.equals(name) && v == JsonToken.VALUE_NUMBER_INT) found = p.getIntValue();
      else p.skipChildren();
    }
    return found;
  }

  /**
   * Appends the text of an array of choices (OpenAI: the first choice's {@code message.content} or
   * {@code text}) or content blocks (Anthropic: every block's {@code text}).
   */
  private void texts(JsonParser p, StringBuilder out) {
    int i = 0;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), i++) {
      if (t != JsonToken.START_OBJECT || (this != ANTHROPIC_MESSAGES && i > 0)) {
        p.skipChildren();
        continue;
      }
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String n = p.currentName();
        JsonToken v = p.nextToken();
        if (this == OPENAI_CHAT && n.equals("message") && v == JsonToken.START_OBJECT) {
          while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String m = p.currentName();
            JsonToken mv = p.nextToken();
            if (m.equals("content") && mv == JsonToken.VALUE_STRING) out.append(p.getString());
            else p.skipChildren();
          }
        } else if (this != OPENAI_CHAT && n.equals("text") && v == JsonToken.VALUE_STRING) {
          out.append(p.getString());
        } else {
          p.skipChildren();
        }
      }
    }
  }
}
