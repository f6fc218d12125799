package dev.llmlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code llmlab bench report RESULT.json --html FILE} and {@code llmlab bench compare ... --html FILE}. */
class ReportCommandTest {
    @TempDir
    static Path dir;

    static Path fast;
    static Path slow;

    private static Cli.Result run(String... args) {
        return Cli.run(args);
    }

    @BeforeAll
    static void twoRuns() {
        fast = dir.resolve("fast.json");
        slow = dir.resolve("slow.json");
        for (Path p : new Path[] {fast, slow}) {
            Cli.Result r = run(
                    "bench",
                    "--sim-args",
                    p == fast ? "--ttft 5ms --itl 1ms" : "--ttft 20ms --itl 2ms",
                    "--requests",
                    "8",
                    "--concurrency",
                    "2",
                    "--max-tokens",
                    "4",
                    "--json",
                    p.toString(),
                    "--quiet");
            assertThat(r.code()).as(r.err()).isZero();
        }
    }

    @Test
    void report_writesTheHtmlOfASavedResult() throws IOException {
        Path html = dir.resolve("fast.html");
        Cli.Result r = run("bench", "report", fast.toString(), "--html", html.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.readString(html))
                .startsWith("<!DOCTYPE html>")
                .contains("llmlab bench report")
                .contains("embedded simulator")
                .contains("closed loop, 2 users")
                .contains("var uPlot=")
                .endsWith("</html>\n");
    }

    @Test
    void report_toStandardOutput() {
        Cli.Result r = run("bench", "report", fast.toString(), "--html", "-");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
    }

    @Test
    void report_badInput_isAUsageError() throws IOException {
        Cli.Result missing = run(
                "bench",
                "report",
                dir.resolve("none.json").toString(),
                "--html",
                dir.resolve("x.html").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("report: cannot read").contains("none.json");
        Path notJson = dir.resolve("broken.json");
        Files.writeString(notJson, "{\"schema_version\": 1, \"summary\": ");
        Cli.Result broken = run(
                "bench",
                "report",
                notJson.toString(),
                "--html",
                dir.resolve("x.html").toString());
        assertThat(broken.code()).isEqualTo(2);
        assertThat(broken.err()).contains("broken.json is not JSON");
        Path other = dir.resolve("other.json");
        Files.writeString(other, "{\"hello\": \"world\"}");
        Cli.Result notResult = run(
                "bench",
                "report",
                other.toString(),
                "--html",
                dir.resolve("x.html").toString());
        assertThat(notResult.code()).isEqualTo(2);
        assertThat(notResult.err()).contains("is not an llmlab bench result");
        Cli.Result noHtml = run("bench", "report", fast.toString());
        assertThat(noHtml.code()).isEqualTo(2);
        assertThat(noHtml.err()).contains("--html");
        assertThat(dir.resolve("x.html")).doesNotExist();
    }

    @Test
    void report_unwritableOutput_isARuntimeError() {
        Cli.Result r = run(
                "bench",
                "report",
                fast.toString(),
                "--html",
                dir.resolve("no/such/dir/r.html").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("report: cannot write").contains("no such directory");
        Cli.Result isDir = run("bench", "report", fast.toString(), "--html", dir.toString());
        assertThat(isDir.code()).isEqualTo(1);
        assertThat(isDir.err()).contains("report: cannot write");
    }

    @Test
    void compare_html_writesThePageBesideTheTable() throws IOException {
        Path html = dir.resolve("compare.html");
        Cli.Result r = run("bench", "compare", fast.toString(), slow.toString(), "--html", html.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("fast.json").contains("ttft p50").contains("%"); // the table as before
        assertThat(Files.readString(html))
                .startsWith("<!DOCTYPE html>")
                .contains("llmlab bench comparison")
                .contains("fast.json")
                .contains("slow.json")
                .contains("class=\"worse\"");
        Cli.Result stdout = run("bench", "compare", fast.toString(), slow.toString(), "--html", "-");
        assertThat(stdout.code()).as(stdout.err()).isZero();
        assertThat(stdout.out()).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
        Cli.Result unwritable = run(
                "bench",
                "compare",
                fast.toString(),
                slow.toString(),
                "--html",
                dir.resolve("no/such/c.html").toString());
        assertThat(unwritable.code()).isEqualTo(1);
        assertThat(unwritable.err()).contains("compare: cannot write");
    }
}
