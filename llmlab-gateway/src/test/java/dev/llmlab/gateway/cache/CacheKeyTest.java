package dev.llmlab.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CacheKeyTest {
    private static final String CHAT = "/v1/chat/completions";
    private static final int CASES = 300;

    private static CacheKey key(String body) {
        return key("team:a", "gpt-4o", false, Map.of(), body);
    }

    private static CacheKey key(String tenant, String model, boolean stream, Map<String, String> headers, String body) {
        return CacheKey.of(CHAT, "gpt-*", model, tenant, headers, stream, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void of_memberOrderWhitespaceAndEscapes_changeNothing() {
        String a = "{\"model\":\"gpt-4o\",\"temperature\":0.7,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        String b = "{ \"messages\" : [ { \"content\" : \"\\u0048i\" ,\n \"role\":\"user\"} ],\t\"temperature\":7e-1,"
                + "\"model\":\"gpt-4o\" }";
        assertThat(key(a)).isEqualTo(key(b));
        assertThat(key(a).hex()).hasSize(64).matches("[0-9a-f]+");
    }

    @Test
    void of_labelsNullsAndStreamFalse_countAsAbsent() {
        String plain = "{\"model\":\"m\",\"messages\":[]}";
        assertThat(key("{\"model\":\"m\",\"messages\":[],\"user\":\"u-1\",\"metadata\":{\"user_id\":\"x\"},"
                        + "\"store\":true,\"safety_identifier\":\"s\",\"prompt_cache_key\":\"p\"}"))
                .isEqualTo(key(plain));
        assertThat(key("{\"model\":\"m\",\"messages\":[],\"temperature\":null,\"stream\":false}"))
                .isEqualTo(key(plain));
        // a null inside the request is a value, not an absence
        assertThat(key("{\"model\":\"m\",\"messages\":[],\"response_format\":{\"x\":null}}"))
                .isNotEqualTo(key("{\"model\":\"m\",\"messages\":[],\"response_format\":{}}"));
    }

    @Test
    void of_lengthPrefixes_keepNeighboursApart() {
        assertThat(key("{\"stop\":[\"ab\"]}")).isNotEqualTo(key("{\"stop\":[\"a\",\"b\"]}"));
        assertThat(key("{\"a\":\"1\"}")).isNotEqualTo(key("{\"a\":1}"));
        assertThat(key("{\"a\":[]}")).isNotEqualTo(key("{\"a\":{}}"));
    }

    @Test
    void of_theContext_tenantModelStreamEndpointRouteAndHeaders_eachChangeTheKey() {
        String body = "{\"messages\":[]}";
        CacheKey base = key("team:a", "gpt-4o", false, Map.of(), body);
        assertThat(key("team:b", "gpt-4o", false, Map.of(), body)).isNotEqualTo(base);
        assertThat(key("key:a", "gpt-4o", false, Map.of(), body)).isNotEqualTo(base);
        assertThat(key("team:a", "gpt-4o-mini", false, Map.of(), body)).isNotEqualTo(base);
        assertThat(key("team:a", "gpt-4o", true, Map.of(), body)).isNotEqualTo(base);
        assertThat(key("team:a", "gpt-4o", false, Map.of("anthropic-beta", "x"), body))
                .isNotEqualTo(base);
        assertThat(key("team:a", "gpt-4o", false, Map.of("x-other", "x"), body)).isEqualTo(base);
        assertThat(CacheKey.of("/v1/messages", "gpt-*", "gpt-4o", "team:a", Map.of(), false, body.getBytes()))
                .isNotEqualTo(base);
        assertThat(CacheKey.of(CHAT, "*", "gpt-4o", "team:a", Map.of(), false, body.getBytes()))
                .isNotEqualTo(base);
    }

    @Test
    void of_aBodyThatIsNotJson_isRefused() {
        assertThatThrownBy(() -> key("{\"a\":")).isInstanceOf(IllegalArgumentException.class);
    }

    /** Random requests, written with random member order and whitespace: one key for one request. */
    @Test
    void of_randomRequests_writtenAnyWay_haveOneKey() {
        SplittableRandom random = new SplittableRandom(16);
        for (int i = 0; i < CASES; i++) {
            Map<String, Object> request = request(random);
            String one = write(request, random);
            String two = write(request, random);
            assertThat(key(one)).as("%s\n%s", one, two).isEqualTo(key(two));
        }
    }

    /** Random requests with one change anywhere in them (a message, a tool, a parameter): another key. */
    @Test
    void of_randomRequests_anyChange_changesTheKey() {
        SplittableRandom random = new SplittableRandom(61);
        for (int i = 0; i < CASES; i++) {
            Map<String, Object> request = request(random);
            String before = write(request, random);
            Map<String, Object> changed = deepCopy(request);
            String what = change(changed, random);
            String after = write(changed, random);
            assertThat(key(after)).as("%s: %s\n%s", what, before, after).isNotEqualTo(key(before));
        }
    }

    private static Map<String, Object> request(SplittableRandom r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", "gpt-4o");
        List<Object> messages = new ArrayList<>();
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) {
            Map<String, Object> msg = new LinkedHashMap<>();
            msg.put("role", i % 2 == 0 ? "user" : "assistant");
            msg.put("content", text(r));
            messages.add(msg);
        }
        m.put("messages", messages);
        if (r.nextBoolean()) m.put("temperature", r.nextInt(20) / 10.0);
        if (r.nextBoolean()) m.put("top_p", r.nextInt(10) / 10.0);
        if (r.nextBoolean()) m.put("max_tokens", 1 + r.nextInt(1000));
        if (r.nextBoolean()) m.put("seed", r.nextInt(1 << 20));
        if (r.nextBoolean()) m.put("stop", new ArrayList<>(List.of(text(r), text(r))));
        if (r.nextBoolean()) {
            Map<String, Object> fn = new LinkedHashMap<>();
            fn.put("name", "f" + r.nextInt(100));
            fn.put("parameters", new LinkedHashMap<>(Map.of("type", "object", "properties", new LinkedHashMap<>())));
            m.put("tools", new ArrayList<>(List.of(new LinkedHashMap<>(Map.of("type", "function", "function", fn)))));
            m.put("tool_choice", "auto");
        }
        return m;
    }

    private static String text(SplittableRandom r) {
        StringBuilder b = new StringBuilder();
        int n = 1 + r.nextInt(12);
        for (int i = 0; i < n; i++) b.append("abcdéf \"\\\n😀".charAt(r.nextInt(11)));
        return b.toString();
    }

    /** Changes one thing the answer depends on; says what. */
    @SuppressWarnings("unchecked")
    private static String change(Map<String, Object> m, SplittableRandom r) {
        switch (r.nextInt(5)) {
            case 0 -> {
                List<Object> messages = (List<Object>) m.get("messages");
                Map<String, Object> msg = (Map<String, Object>) messages.get(r.nextInt(messages.size()));
                msg.put("content", msg.get("content") + "x");
                return "a message";
            }
            case 1 -> {
                m.put("temperature", m.get("temperature") instanceof Double d ? d + 0.05 : 0.5);
                return "temperature";
            }
            case 2 -> {
                m.put("max_tokens", m.get("max_tokens") instanceof Integer t ? t + 1 : 7);
                return "max_tokens";
            }
            case 3 -> {
                if (m.get("tools") instanceof List<?> tools) {
                    Map<String, Object> fn =
                            (Map<String, Object>) ((Map<String, Object>) tools.getFirst()).get("function");
                    fn.put("name", fn.get("name") + "2");
                    return "a tool's name";
                }
                m.put("tool_choice", "none");
                return "tool_choice";
            }
            default -> {
                List<Object> messages = (List<Object>) m.get("messages");
                messages.add(new LinkedHashMap<>(Map.of("role", "user", "content", "more")));
                return "one more message";
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T deepCopy(T v) {
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> c = new LinkedHashMap<>();
            map.forEach((k, x) -> c.put((String) k, deepCopy(x)));
            return (T) c;
        }
        if (v instanceof List<?> list) {
            List<Object> c = new ArrayList<>();
            for (Object x : list) c.add(deepCopy(x));
            return (T) c;
        }
        return v;
    }

    /** JSON with members shuffled, random whitespace, and characters escaped or not at random. */
    private static String write(Object v, SplittableRandom r) {
        StringBuilder b = new StringBuilder();
        write(v, r, b);
        return b.toString();
    }

    private static void write(Object v, SplittableRandom r, StringBuilder b) {
        space(r, b);
        if (v instanceof Map<?, ?> map) {
            List<Map.Entry<?, ?>> members = new ArrayList<>(map.entrySet());
            Collections.shuffle(members, new java.util.Random(r.nextLong()));
            b.append('{');
            for (int i = 0; i < members.size(); i++) {
                if (i > 0) b.append(',');
                space(r, b);
                string((String) members.get(i).getKey(), r, b);
                space(r, b);
                b.append(':');
                write(members.get(i).getValue(), r, b);
            }
            space(r, b);
            b.append('}');
        } else if (v instanceof List<?> list) {
            b.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) b.append(',');
                write(list.get(i), r, b);
            }
            space(r, b);
            b.append(']');
        } else if (v instanceof String s) {
            string(s, r, b);
        } else if (v instanceof Double d) {
            // one value, spelled three ways
            b.append(
                    switch (r.nextInt(3)) {
                        case 0 -> d.toString();
                        case 1 -> new java.math.BigDecimal(d.toString()).toPlainString() + "0";
                        default ->
                            new java.math.BigDecimal(d.toString())
                                            .movePointRight(1)
                                            .toPlainString() + "e-1";
                    });
        } else {
            b.append(v);
        }
        space(r, b);
    }

    private static void string(String s, SplittableRandom r, StringBuilder b) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c == '\n') b.append("\\n");
            else if (r.nextInt(4) == 0) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        b.append('"');
    }

    private static void space(SplittableRandom r, StringBuilder b) {
        int n = r.nextInt(3);
        for (int i = 0; i < n; i++) b.append(" \n\t".charAt(r.nextInt(3)));
    }
}
