package dev.llmlab.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.bench.result.BenchResult;
import dev.llmlab.bench.result.Stats;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class ReportsTest {
    @Test
    void console_showsP95_theColumnSloExamplesUse() {
        BenchResult r = ReportFixtures.run(7, 400, 10, 1.0);
        StringWriter text = new StringWriter();
        Reports.console(new PrintWriter(text, true), r);
        List<String> lines = text.toString().lines().toList();
        List<String> header = Arrays.asList(lines.getFirst().trim().split("\\s+"));
        assertThat(header).containsSubsequence("p90", "p95", "p99");
        Stats ttft = r.metrics().get("ttft");
        String row =
                lines.stream().filter(l -> l.startsWith("ttft ")).findFirst().orElseThrow();
        List<String> cells = Arrays.asList(row.trim().split("\\s+"));
        // header has "metric (ms)" as two words, the row's name is one
        assertThat(cells.get(header.indexOf("p95") - 1)).isEqualTo(String.format(Locale.ROOT, "%.2f", ttft.p95()));
    }
}
