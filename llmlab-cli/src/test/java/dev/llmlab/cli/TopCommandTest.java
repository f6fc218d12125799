package dev.llmlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code llmlab top}: the mistakes people make get a message and exit 2; an unreachable target, exit 4. */
class TopCommandTest {
    @Test
    void aUrlThatIsNot_isNamed_withExit2() {
        Cli.Result r = Cli.run("top", "localhost:8000", "--once");
        assertThat(r.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err())
                .contains("top: not an http:// or https:// URL: 'localhost:8000'")
                .doesNotContain("Exception");
        assertThat(Cli.run("top", "--once").code()).isEqualTo(Main.EXIT_USAGE); // no URL
        Cli.Result w = Cli.run("top", "http://127.0.0.1:1", "--once", "--window", "5m");
        assertThat(w.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(w.err()).contains("--window must be more than 0 and at most 1m");
        assertThat(Cli.run("top", "http://127.0.0.1:1", "--window", "soon").err())
                .contains("soon");
    }

    @Test
    void anUnreachableTarget_isShownWithWhy_andExits4() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Cli.Result r = Cli.run("top", "http://127.0.0.1:" + port, "--once", "--json", "--window", "100ms");
        assertThat(r.code()).isEqualTo(Main.EXIT_TARGET);
        JsonNode j = JsonMapper.builder().build().readTree(r.out());
        assertThat(j.get("models")).isEmpty();
        assertThat(j.get("targets").get(0).get("url").asString()).isEqualTo("http://127.0.0.1:" + port + "/metrics");
        assertThat(j.get("targets").get(0).get("error").asString()).contains("refused");
    }

    @Test
    void help_saysWhatItReads() {
        Cli.Result r = Cli.run("top", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out())
                .contains("--once", "--json", "--window", "vLLM", "full-screen", "llmlab-top-YYYYMMDD-HHMMSS.json");
        assertThat(Cli.run("--help").out()).contains("top");
    }
}
