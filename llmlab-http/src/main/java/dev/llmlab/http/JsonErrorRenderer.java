package dev.llmlab.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

/** Renders {@code {"error":{"message":"..."}}}. Stateless, hence thread-safe. */
final class JsonErrorRenderer implements ErrorRenderer {

    static final JsonErrorRenderer INSTANCE = new JsonErrorRenderer();

    private JsonErrorRenderer() {}

    @Override
    public ByteBuf render(ByteBufAllocator alloc, int status, String message) {
        StringBuilder sb = new StringBuilder(message.length() + 32).append("{\"error\":{\"message\":\"");
        appendEscaped(sb, message);
        sb.append("\"}}");
        return ByteBufUtil.writeUtf8(alloc, sb);
    }

    @Override
    public String contentType() {
        return "application/json";
    }

    static void appendEscaped(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
    }
}
