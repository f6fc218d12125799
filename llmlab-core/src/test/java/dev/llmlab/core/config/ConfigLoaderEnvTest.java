package dev.llmlab.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderEnvTest {
    record Key(String name, Secret key) {}

    record Doc(String url, List<String> tags, List<Key> keys) {}

    private static final Map<String, String> ENV = Map.of("HOST", "example.org", "K1", "sk-one", "EMPTY", "");

    private static Doc parse(String yaml) {
        return ConfigLoader.parse(yaml, "gw.yaml", Doc.class, ENV::get);
    }

    @Test
    void parse_withEnvironment_replacesVariablesInEveryString() {
        Doc d = parse("""
                url: https://${HOST}/v1
                tags: ["a-${HOST}", "$${HOST}"]
                keys:
                  - name: one
                    key: ${K1}
                """);
        assertThat(d.url()).isEqualTo("https://example.org/v1");
        assertThat(d.tags()).containsExactly("a-example.org", "${HOST}");
        assertThat(d.keys().getFirst().key().reveal()).isEqualTo("sk-one");
    }

    @Test
    void secret_toString_isRedacted() {
        Doc d = parse("keys: [{name: one, key: \"${K1}\"}]");
        assertThat(d.toString()).doesNotContain("sk-one").contains("<redacted>");
    }

    @Test
    void parse_unsetVariable_namesItWithLineAndField() {
        assertThatThrownBy(() -> parse("url: x\nkeys:\n  - name: one\n    key: ${OPENAI_KEY}\n"))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.line()).isEqualTo(4);
                    assertThat(e.field()).isEqualTo("keys[0].key");
                    assertThat(e.problem()).contains("OPENAI_KEY is not set");
                });
    }

    @Test
    void parse_emptyVariable_isAnErrorToo() {
        assertThatThrownBy(() -> parse("url: ${EMPTY}"))
                .isInstanceOfSatisfying(
                        ConfigException.class, e -> assertThat(e.problem()).contains("EMPTY is not set"));
    }

    @Test
    void parse_withoutEnvironment_leavesTextAsWritten() {
        Doc d = ConfigLoader.parse("url: ${HOST}", "x.yaml", Doc.class);
        assertThat(d.url()).isEqualTo("${HOST}");
    }

    @Test
    void parse_unclosedVariable_isAnError() {
        assertThatThrownBy(() -> parse("url: ${HOST"))
                .isInstanceOfSatisfying(
                        ConfigException.class, e -> assertThat(e.problem()).contains("without its"));
    }
}
