package dev.llmlab.api.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.api.client.ClientRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Test fixtures: reading inputs, splitting SSE, fixed ids, and golden files under {@code relay/expected}. */
final class Fixtures {
    private Fixtures() {}

    static final boolean UPDATE = Boolean.getBoolean("relay.golden.update");
    private static final Path EXPECTED = Path.of("src/test/resources/relay/expected");
    private static final JsonMapper PRETTY =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /** A resource's body: the file without its leading {@code #} lines. */
    static byte[] bytes(String resource) {
        try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalArgumentException("no resource " + resource);
            String s = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            while (s.startsWith("#")) s = s.substring(s.indexOf('\n') + 1);
            return s.getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code data} of each SSE event, as a caller hands them to {@link AnswerRelay#event}. */
    static List<byte[]> events(byte[] stream) {
        String s = new String(stream, StandardCharsets.UTF_8).replace("\r\n", "\n");
        List<byte[]> out = new ArrayList<>();
        for (String frame : s.split("\n\n")) {
            StringBuilder data = null;
            for (String line : frame.split("\n")) {
                if (!line.startsWith("data:")) continue;
                String d = line.substring(line.startsWith("data: ") ? 6 : 5);
                if (data == null) data = new StringBuilder(d);
                else data.append('\n').append(d);
            }
            if (data != null) out.add(data.toString().getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Ids numbered per answer and a fixed clock, so that golden files pin whole outputs. */
    static Stamps stamps() {
        return new Stamps() {
            private int n;

            @Override
            public String id(Kind kind) {
                n++;
                return switch (kind) {
                    case CHAT -> "chatcmpl-test" + n;
                    case COMPLETION -> "cmpl-test" + n;
                    case MESSAGE -> "msg_test" + n;
                    case RESPONSE -> "resp_test" + n;
                    case GEMINI -> "gemini-test" + n;
                    case CALL -> "call_test" + n;
                    case TOOL_USE -> "toolu_test" + n;
                    case MESSAGE_ITEM -> "msg_item_test" + n;
                    case CALL_ITEM -> "fc_test" + n;
                };
            }

            @Override
            public long now() {
                return 1_750_000_000L;
            }
        };
    }

    /** A provider request as text: method and path, headers, and the body pretty-printed. */
    static String requestText(ClientRequest r) {
        StringBuilder b = new StringBuilder("POST ").append(r.path()).append('\n');
        for (ClientRequest.Header h : r.headers())
            b.append(h.name()).append(": ").append(h.value()).append('\n');
        b.append('\n').append(pretty(new String(r.body(), StandardCharsets.UTF_8)));
        return b.toString();
    }

    static String pretty(String json) {
        JsonNode n = PRETTY.readTree(json);
        return PRETTY.writeValueAsString(n) + "\n";
    }

    /** Compares {@code actual} with the golden file {@code name}, or writes it when updating. */
    static void golden(String name, String actual) {
        Path p = EXPECTED.resolve(name);
        try {
            if (UPDATE) {
                Files.createDirectories(p.getParent());
                Files.writeString(p, actual);
            }
            assertThat(p)
                    .as("golden file %s (write it with -Drelay.golden.update=true)", name)
                    .exists();
            assertThat(actual).as("golden file %s", name).isEqualTo(Files.readString(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Pretty JSON without Anthropic's random {@code request_id}. */
    static String prettyWithoutRequestId(String json) {
        var n = (tools.jackson.databind.node.ObjectNode) PRETTY.readTree(json);
        n.remove("request_id");
        return PRETTY.writeValueAsString(n) + "\n";
    }
}
