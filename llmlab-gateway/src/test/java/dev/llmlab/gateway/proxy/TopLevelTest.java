package dev.llmlab.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.api.ApiException;
import dev.llmlab.api.Usage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The walk against the streaming parser it stands in for, on seeded random bodies. */
class TopLevelTest {
    private static final String[] STRINGS = {
        "",
        "plain",
        "with \\\"quotes\\\"",
        "brackets {[}]",
        "comma, colon: x",
        "back\\\\slash",
        "é ü 中文",
        "\\u00e9\\n",
        "\\\\\\\"",
        "model",
        "usage"
    };

    @Test
    void walk_agreesWithTheParser_onRandomBodies() {
        Random r = new Random(42);
        int walked = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] b = object(r, 0, true).getBytes(StandardCharsets.UTF_8);
            RequestScan parsed = RequestScan.parse(b, 0, b.length);
            RequestScan fast = RequestScan.walk(b, 0, b.length);
            assertThat(fast).as(new String(b, StandardCharsets.UTF_8)).isEqualTo(parsed);
            assertThat(UsageScan.openAi(b, 0, b.length)).isEqualTo(UsageScan.parsed(b, 0, b.length));
            if (fast != null) walked++;
        }
        assertThat(walked).isEqualTo(3000); // no escape in any name here: the fast path takes every body
    }

    @Test
    void walk_onBrokenBodies_neverDisagreesWithTheParserWhenTheParserReadsThem() {
        Random r = new Random(7);
        for (int i = 0; i < 3000; i++) {
            byte[] whole = object(r, 0, true).getBytes(StandardCharsets.UTF_8);
            byte[] b = whole.clone();
            int cuts = 1 + r.nextInt(3);
            for (int c = 0; c < cuts; c++) b[r.nextInt(b.length)] = (byte) "{}[]\",: x\\".charAt(r.nextInt(10));
            int length = r.nextBoolean() ? b.length : r.nextInt(b.length);
            RequestScan parsed;
            try {
                parsed = RequestScan.parse(b, 0, length);
            } catch (ApiException e) {
                continue; // refused by the parser; the walk may accept it, the API's reader refuses it then
            }
            RequestScan fast = RequestScan.walk(b, 0, length);
            if (fast != null) assertThat(fast).isEqualTo(parsed);
            Usage usage = UsageScan.openAi(b, 0, length);
            assertThat(usage).isEqualTo(UsageScan.parsed(b, 0, length));
        }
    }

    @Test
    void walk_leavesToTheParser_whatItCannotRead() {
        assertThat(walk("{\"mod\\u0065l\":\"m\"}")).isNull(); // an escaped name
        assertThat(walk("{\"model\":\"a\\\"b\"}")).isNull(); // an escaped model
        assertThat(walk("{\"model\":\"gpt-é\"}")).isNull(); // beyond ASCII
        assertThat(walk("{\"model\":\"m\",\"stream\":1}")).isNull();
        assertThat(walk("{\"model\":\"m\"} x")).isNull();
        assertThat(walk("{\"model\":\"m\"")).isNull();
        assertThat(walk("{\"x\":" + "[".repeat(TopLevel.MAX_DEPTH + 1) + "]".repeat(TopLevel.MAX_DEPTH + 1) + "}"))
                .isNull();
        String blanks = " \n{ \"stream\" : true ,\"model\" : \"m\" , \"stream_options\":{} }\t";
        byte[] b = blanks.getBytes(StandardCharsets.UTF_8);
        assertThat(walk(blanks))
                .isEqualTo(RequestScan.parse(b, 0, b.length))
                .isEqualTo(new RequestScan("m", blanks.indexOf("\"m\""), blanks.indexOf("\"m\"") + 3, true, true));
    }

    private static RequestScan walk(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return RequestScan.walk(b, 0, b.length);
    }

    /** A random object; at the top, sometimes with the members the gateway reads, anywhere among the others. */
    private static String object(Random r, int depth, boolean top) {
        List<String> members = new ArrayList<>();
        int n = r.nextInt(top ? 6 : 4);
        for (int i = 0; i < n; i++) members.add(name(r, top) + ws(r) + ":" + ws(r) + value(r, depth + 1));
        if (top || r.nextInt(4) == 0) { // decoys below the top too
            if (r.nextBoolean())
                members.add(r.nextInt(members.size() + 1), "\"model\":" + ws(r) + "\"gpt-" + r.nextInt(100) + "\"");
            if (r.nextBoolean())
                members.add(
                        r.nextInt(members.size() + 1),
                        "\"stream\":" + (r.nextBoolean() ? "true" : r.nextBoolean() ? "false" : "null"));
            if (r.nextInt(4) == 0)
                members.add(r.nextInt(members.size() + 1), "\"stream_options\":{\"include_usage\":true}");
            if (r.nextBoolean()) members.add(r.nextInt(members.size() + 1), "\"usage\":" + usage(r));
        }
        return ws(r) + "{" + ws(r) + String.join(ws(r) + "," + ws(r), members) + ws(r) + "}" + ws(r);
    }

    private static String usage(Random r) {
        if (r.nextInt(5) == 0) return "null";
        List<String> m = new ArrayList<>();
        if (r.nextInt(6) > 0) m.add("\"prompt_tokens\":" + r.nextInt(100_000));
        if (r.nextInt(6) > 0) m.add("\"completion_tokens\":" + (r.nextInt(8) == 0 ? "1.5" : r.nextInt(5000)));
        m.add("\"total_tokens\":" + r.nextInt(100));
        if (r.nextBoolean())
            m.add("\"prompt_tokens_details\":{\"audio_tokens\":0,\"cached_tokens\":" + r.nextInt(1000) + "}");
        java.util.Collections.shuffle(m, r);
        return "{" + String.join("," + ws(r), m) + "}";
    }

    private static String value(Random r, int depth) {
        int k = r.nextInt(depth > 4 ? 4 : 6);
        return switch (k) {
            case 0 -> quote(r);
            case 1 -> Integer.toString(r.nextInt(2000) - 1000);
            case 2 -> r.nextBoolean() ? "true" : r.nextBoolean() ? "false" : "null";
            case 3 -> "-1.5e3";
            case 4 -> object(r, depth, false);
            default -> {
                List<String> items = new ArrayList<>();
                for (int i = r.nextInt(4); i > 0; i--) items.add(value(r, depth + 1));
                yield "[" + String.join("," + ws(r), items) + "]";
            }
        };
    }

    /**
     * Any string as a name, but at the top neither the ones the gateway reads (decoys are below)
     * nor one with an escape, which the walk leaves to the parser (tested on its own).
     */
    private static String name(Random r, boolean top) {
        String s;
        do s = quote(r);
        while (top && (s.equals("\"model\"") || s.equals("\"usage\"") || s.contains("\\")));
        return s;
    }

    private static String quote(Random r) {
        return "\"" + STRINGS[r.nextInt(STRINGS.length)] + "\"";
    }

    private static String ws(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> " ";
            case 1 -> "\n  ";
            case 2 -> "\t";
            default -> "";
        };
    }
}
