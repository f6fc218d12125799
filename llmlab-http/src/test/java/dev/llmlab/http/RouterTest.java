package dev.llmlab.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RouterTest {

    private static final Handler A = ex -> {};
    private static final Handler B = ex -> {};
    private static final Handler C = ex -> {};

    @Test
    void match_literalPath_returnsHandlerAndPattern() {
        Router r = Router.builder().add("GET", "/v1/models", A).build();

        Router.Match m = r.match("GET", "/v1/models");

        assertThat(m.handler).isSameAs(A);
        assertThat(m.pattern).isEqualTo("/v1/models");
    }

    @Test
    void match_literalPath_doesNotAllocatePerLookup() {
        Router r = Router.builder().add("GET", "/health", A).build();

        assertThat(r.match("GET", "/health")).isSameAs(r.match("GET", "/health"));
    }

    @Test
    void match_placeholder_extractsPercentDecodedValue() {
        Router r = Router.builder().add("GET", "/v1/models/{id}", A).build();

        Router.Match m = r.match("GET", "/v1/models/org%2Fllama%203+x");

        assertThat(m.handler).isSameAs(A);
        assertThat(m.pattern).isEqualTo("/v1/models/{id}");
        assertThat(m.pathParam("/v1/models/org%2Fllama%203+x", "id")).isEqualTo("org/llama 3+x");
        assertThat(m.pathParam("/v1/models/org%2Fllama%203+x", "nope")).isNull();
    }

    @Test
    void match_utf8Escapes_decodedAsUtf8() {
        Router r = Router.builder().add("GET", "/m/{id}", A).build();

        assertThat(r.match("GET", "/m/caf%C3%A9").pathParam("/m/caf%C3%A9", "id"))
                .isEqualTo("café");
        assertThat(r.match("GET", "/m/bad%zz").pathParam("/m/bad%zz", "id")).isEqualTo("bad%zz");
    }

    @Test
    void match_suffixPattern_selectsRouteBySuffix() {
        Router r = Router.builder()
                .add("POST", "/v1beta/models/{model}:generateContent", A)
                .add("POST", "/v1beta/models/{model}:streamGenerateContent", B)
                .build();

        String unary = "/v1beta/models/gemini-2.0-flash:generateContent";
        String stream = "/v1beta/models/gemini-2.0-flash:streamGenerateContent";

        assertThat(r.match("POST", unary).handler).isSameAs(A);
        assertThat(r.match("POST", unary).pathParam(unary, "model")).isEqualTo("gemini-2.0-flash");
        assertThat(r.match("POST", stream).handler).isSameAs(B);
        assertThat(r.match("POST", stream).pathParam(stream, "model")).isEqualTo("gemini-2.0-flash");
        assertThat(r.match("POST", "/v1beta/models/:generateContent")).isNull(); // placeholder needs a value
        assertThat(r.match("POST", "/v1beta/models/x:other")).isNull();
    }

    @Test
    void match_severalPlaceholders_eachExtracted() {
        Router r = Router.builder().add("GET", "/a/{x}/b/{y}", A).build();
        String path = "/a/1/b/two";

        Router.Match m = r.match("GET", path);

        assertThat(m.pathParam(path, "x")).isEqualTo("1");
        assertThat(m.pathParam(path, "y")).isEqualTo("two");
    }

    @Test
    void match_placeholder_neverCrossesSegments() {
        Router r = Router.builder().add("GET", "/v1/models/{id}", A).build();

        assertThat(r.match("GET", "/v1/models/a/b")).isNull();
        assertThat(r.match("GET", "/v1/models/")).isNull();
        assertThat(r.match("GET", "/v1/models")).isNull();
    }

    @Test
    void match_literalAndPlaceholderBothMatch_mostSpecificWins() {
        Router r = Router.builder()
                .add("GET", "/v1/models/{id}", A)
                .add("GET", "/v1/models/special", B)
                .add("GET", "/v1/{kind}/special", C)
                .build();

        assertThat(r.match("GET", "/v1/models/special").handler).isSameAs(B);
        assertThat(r.match("GET", "/v1/models/other").handler).isSameAs(A);
        assertThat(r.match("GET", "/v1/things/special").handler).isSameAs(C);
    }

    @Test
    void match_pathMatchesButNotMethod_reportsAllowedMethods() {
        Router r = Router.builder()
                .add("GET", "/v1/models/{id}", A)
                .add("DELETE", "/v1/models/{id}", B)
                .add("POST", "/v1/chat", C)
                .build();

        Router.Match templated = r.match("PUT", "/v1/models/x");
        Router.Match literal = r.match("GET", "/v1/chat");

        assertThat(templated.handler).isNull();
        assertThat(templated.allow).isEqualTo("GET, DELETE");
        assertThat(literal.handler).isNull();
        assertThat(literal.allow).isEqualTo("POST");
    }

    @Test
    void match_literalWrongMethodButTemplateRightMethod_templateServes() {
        Router r = Router.builder()
                .add("POST", "/v1/models/special", A)
                .add("GET", "/v1/models/{id}", B)
                .build();

        assertThat(r.match("GET", "/v1/models/special").handler).isSameAs(B);
        assertThat(r.match("PUT", "/v1/models/special").allow).isEqualTo("POST, GET");
    }

    @Test
    void match_unknownPath_returnsNull() {
        Router r = Router.builder().add("GET", "/v1/models", A).build();

        assertThat(r.match("GET", "/v2/models")).isNull();
        assertThat(r.match("GET", "")).isNull();
    }

    @Test
    void add_lowercaseMethod_normalised() {
        Router r = Router.builder().add("get", "/x", A).build();

        assertThat(r.match("GET", "/x").handler).isSameAs(A);
    }

    @Test
    void add_duplicateRoute_throws() {
        Router.Builder b = Router.builder().add("GET", "/x/{id}", A);

        assertThatThrownBy(() -> b.add("GET", "/x/{id}", B))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duplicate route GET /x/{id}");
    }

    @Test
    void add_malformedPattern_throws() {
        assertThatThrownBy(() -> Router.builder().add("GET", "x", A)).hasMessageContaining("must start with '/'");
        assertThatThrownBy(() -> Router.builder().add("GET", "/{a}{b}", A)).hasMessageContaining("one {name}");
        assertThatThrownBy(() -> Router.builder().add("GET", "/{}", A)).hasMessageContaining("empty placeholder");
        assertThatThrownBy(() -> Router.builder().add("GET", "/{a}/{a}", A)).hasMessageContaining("duplicate");
        assertThatThrownBy(() -> Router.builder().add("GET", "/a}", A)).hasMessageContaining("one {name}");
    }
}
