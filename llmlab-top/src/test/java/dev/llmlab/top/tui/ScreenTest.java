package dev.llmlab.top.tui;

import static dev.llmlab.top.tui.Fixtures.SETTINGS;
import static dev.llmlab.top.tui.Fixtures.capped;
import static dev.llmlab.top.tui.Fixtures.figures;
import static dev.llmlab.top.tui.Fixtures.fleet;
import static dev.llmlab.top.tui.Fixtures.model;
import static dev.llmlab.top.tui.Fixtures.ok;
import static dev.llmlab.top.tui.Fixtures.red;
import static dev.llmlab.top.tui.Fixtures.replica;
import static dev.llmlab.top.tui.Fixtures.styleOf;
import static dev.llmlab.top.tui.Fixtures.text;
import static dev.llmlab.top.tui.Fixtures.yellow;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.top.Row;
import dev.llmlab.top.Snapshot;
import dev.llmlab.top.TargetState;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;

/** The screen as a function of (frame, state, size): what each area shows, at any size. */
class ScreenTest {
    private static Frame frame(Snapshot s) {
        return new Frame(s, Map.of(), Map.of("r1:8000", Set.of("llama"), "r2:8000", Set.of("llama")));
    }

    private static List<AttributedString> render(Snapshot s, UiState st, int w, int h) {
        return Screen.render(SETTINGS, frame(s), st.reselect(Views.models(s, st)), w, h);
    }

    @Test
    void everySize_givesExactlyItsHeight_andNoLineWiderThanItsWidth() {
        UiState[] states = {
            UiState.START,
            UiState.START.withHelp(true),
            UiState.START.withDrilled("llama"),
            UiState.START.withEditing("lla"),
            UiState.START.withPaused(true).withFilter("l")
        };
        for (UiState st : states)
            for (int w : new int[] {1, 7, 20, 40, 80, 160, 300})
                for (int h : new int[] {1, 2, 3, 5, 24, 60}) {
                    List<AttributedString> lines = render(fleet(), st, w, h);
                    assertThat(lines).as("%s at %dx%d", st, w, h).hasSize(h);
                    for (AttributedString l : lines)
                        assertThat(l.columnLength()).isLessThanOrEqualTo(w);
                }
        assertThat(render(fleet(), UiState.START, 0, 10)).isEmpty();
    }

    @Test
    void table_hasAHeader_aRowPerModel_theSelectedModelsReplicas_theFailures_andTheKeys() {
        List<String> l = text(render(fleet(), UiState.START, 200, 20));
        assertThat(l.get(0))
                .startsWith(" llmlab top  21:45:55  window 10s  refresh 1s  sort MODEL▲  targets 4 read, 1 failing");
        assertThat(l.get(1))
                .startsWith("MODEL▲")
                .contains("REPLICA", "KIND", "REQ/S", "REQ/S TREND", "TTFT99", "E2E99");
        assertThat(l.get(2)).startsWith("llama ").contains("(2 replicas)", "8.0");
        assertThat(l.get(3)).startsWith("mistral ");
        assertThat(l.get(4)).startsWith("qwen ");
        assertThat(l.get(5)).startsWith("replicas of llama (2)");
        assertThat(l.get(6)).contains("r1:8000").doesNotContain("llama");
        assertThat(l.get(7)).contains("r2:8000");
        assertThat(l.get(18)).isEqualTo("! r5:8000: connection refused");
        assertThat(l.get(19)).startsWith("? help  / filter  s/S sort");
    }

    @Test
    void header_saysPaused_theFilter_andTheSort() {
        UiState st = UiState.START.withPaused(true).withFilter("ll").withSort(Sort.by(dev.llmlab.top.Column.TTFT_P99));
        String h = text(render(fleet(), st, 200, 10)).get(0);
        assertThat(h).contains(" PAUSED ", "filter \"ll\"", "sort TTFT99▼");
        assertThat(text(render(fleet(), st, 200, 10)).get(1))
                .contains("TTFT99▼")
                .doesNotContain("MODEL▲");
    }

    @Test
    void narrowTerminal_dropsTheRightmostColumns_andCutsNames() {
        Snapshot s = new Snapshot(
                Fixtures.AT,
                10,
                List.of(model("meta-llama/Llama-3.1-70B-Instruct", 1, Fixtures.quiet(1))),
                List.of(),
                List.of(),
                null);
        List<String> wide = text(render(s, UiState.START, 300, 8));
        List<String> narrow = text(render(s, UiState.START, 80, 8));
        assertThat(wide.get(1)).contains("PREFIX%");
        assertThat(narrow.get(1)).contains("MODEL").doesNotContain("TTFT50", "PREFIX%");
        assertThat(narrow.get(1)).doesNotEndWith("…"); // whole columns or none
        assertThat(narrow.get(2)).startsWith("Llama-3.1-70B-Instruct");
        List<String> tiny = text(render(s, UiState.START, 12, 8));
        assertThat(tiny.get(2)).isEqualTo("Ll…-Instruct");
        assertThat(Table.align("meta-llama/Llama-3.1-70B-Instruct", 16, true)).isEqualTo("Lla…70B-Instruct");
    }

    @Test
    void colours_followTheThresholds() {
        Row hot = model("hot", 1, figures(10, 0.02, 3, 0.97, capped(2.5)));
        Row warm = model("warm", 1, figures(10, 0.06, 0, 0.92, ok(0.2)));
        Snapshot s = new Snapshot(Fixtures.AT, 10, List.of(hot, warm), List.of(), List.of(), null);
        List<AttributedString> l = render(s, UiState.START, 300, 8);
        AttributedString hotLine = l.get(2);
        assertThat(hotLine.toString()).contains(">2.50s");
        assertThat(red(styleOf(hotLine, ">2.50s"))).as("a capped TTFT99").isTrue();
        assertThat(yellow(styleOf(hotLine, "2.0 "))).as("ERR% 2%").isTrue();
        assertThat(red(styleOf(hotLine, "97.0"))).as("waiting with KV at 97%").isTrue();
        AttributedString warmLine = l.get(3);
        assertThat(red(styleOf(warmLine, "6.0"))).as("ERR% 6%").isTrue();
        assertThat(yellow(styleOf(warmLine, "92.0"))).as("KV 92%").isTrue();
        assertThat(red(styleOf(warmLine, "200.0ms")) || yellow(styleOf(warmLine, "200.0ms")))
                .isFalse();
    }

    @Test
    void sparklines_showEachRowsRecentPoints() {
        Snapshot s = fleet();
        Row llama = s.models().getFirst();
        Frame f = new Frame(
                s,
                Map.of(Trends.key(llama), new Trends.Series(new double[] {0, 4, 8}, new double[] {0.1, 0.2})),
                Map.of());
        List<String> l = text(Screen.render(SETTINGS, f, UiState.START.reselect(s.models()), 300, 10));
        assertThat(l.get(2)).contains("         ▁▅█", "          ▅█");
    }

    @Test
    void drilledDown_showsTheModel_itsReplicas_itsTrends_andItsTargets() {
        List<String> l = text(render(fleet(), UiState.START.withDrilled("llama"), 200, 24));
        assertThat(l.get(1)).startsWith("llama  vllm  2 replicas");
        assertThat(l.get(2)).startsWith("MODEL");
        assertThat(l.get(3)).startsWith("llama ");
        assertThat(l.get(4)).contains("r1:8000");
        assertThat(l.get(5)).contains("r2:8000");
        assertThat(String.join("\n", l))
                .contains(
                        "requests/s", "TTFT p99", "targets", "  r1:8000  http://r1:8000/metrics  vllm  read 12 ms ago")
                .doesNotContain("r3:8000", "r5:8000");
        assertThat(l.get(23)).startsWith("Esc back");

        Snapshot gone = new Snapshot(
                Fixtures.AT,
                10,
                List.of(),
                List.of(),
                List.of(Fixtures.failing("r1:8000", "timed out after 2 s"), Fixtures.failing("r2:8000", "HTTP 503")),
                null);
        String d = String.join("\n", text(render(gone, UiState.START.withDrilled("llama"), 200, 24)));
        assertThat(d).contains("llama  no rows in this window", "r1:8000", "timed out after 2 s", "HTTP 503");
    }

    @Test
    void errors_sayWhyTargetsFailed_andWhyTheListCouldNotBeRead_andStayFew() {
        List<TargetState> many = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) many.add(Fixtures.failing("t" + i + ":1", "connection refused"));
        Snapshot s = new Snapshot(Fixtures.AT, 10, List.of(), List.of(), many, "kubernetes: 403 Forbidden");
        List<String> l = text(render(s, UiState.START, 120, 24));
        assertThat(l.get(0)).contains("targets 0 read, 30 failing");
        assertThat(l).contains("! targets: kubernetes: 403 Forbidden", "! t0:1: connection refused");
        assertThat(l.stream().filter(x -> x.startsWith("!"))).hasSize(5);
        assertThat(l.get(22)).startsWith("! and 27 more");
        assertThat(l.get(2)).as("a table without rows says why").isEqualTo("no target could be read (why: below)");
        assertThat(text(render(
                                new Snapshot(Fixtures.AT, 10, List.of(), List.of(), List.of(), null),
                                UiState.START,
                                120,
                                9))
                        .get(2))
                .startsWith("waiting for two readings");
    }

    @Test
    void filterNothingMatches_saysSo() {
        List<String> l = text(render(fleet(), UiState.START.withFilter("nomatch"), 120, 10));
        assertThat(l.get(2)).startsWith("no model or replica matches \"nomatch\"");
    }

    @Test
    void footer_showsTheFilterBeingTyped_orTheStatus() {
        assertThat(text(render(fleet(), UiState.START.withEditing("lla"), 120, 10))
                        .get(9))
                .startsWith("/lla█   Enter applies, Esc cancels");
        assertThat(text(render(fleet(), UiState.START.withStatus("exported 3 models"), 120, 10))
                        .get(9))
                .isEqualTo("exported 3 models");
    }

    @Test
    void help_listsEveryKey_andTheColours() {
        String h = String.join("\n", text(render(fleet(), UiState.START.withHelp(true), 200, 40)));
        assertThat(h)
                .contains(
                        "filter",
                        "sort by the next column",
                        "1 MODEL, 2 REQ/S",
                        "0 OUT TOK/S",
                        "drill down",
                        "export",
                        "llmlab-top-YYYYMMDD-HHMMSS.json",
                        "pause",
                        "quit",
                        "red",
                        "yellow",
                        "any key closes");
    }

    @Test
    void manyModels_scrollSoThatTheSelectedOneIsShown() {
        List<Row> models = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) models.add(model(String.format("m%02d", i), 1, Fixtures.quiet(i)));
        List<Row> replicas = models.stream()
                .map(m -> replica(m.model(), m.model() + "-r", m.figures()))
                .toList();
        Snapshot s = new Snapshot(Fixtures.AT, 10, models, replicas, List.of(), null);
        UiState st = UiState.START.select(models, 40);
        List<String> l = text(Screen.render(SETTINGS, new Frame(s, Map.of(), Map.of()), st, 120, 12));
        assertThat(l).anyMatch(x -> x.startsWith("m40 "));
        assertThat(l).noneMatch(x -> x.startsWith("m00 "));
    }

    @Test
    void manyReplicas_drilledDown_scrollSoThatTheSelectedOneIsShown_andLeaveRoomForTheTargets() {
        List<Row> replicas = new java.util.ArrayList<>();
        List<TargetState> targets = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            replicas.add(replica("big", String.format("r%02d:8000", i), Fixtures.quiet(1)));
            targets.add(Fixtures.read(String.format("r%02d:8000", i)));
        }
        Snapshot s =
                new Snapshot(Fixtures.AT, 10, List.of(model("big", 40, Fixtures.quiet(40))), replicas, targets, null);
        java.util.Map<String, Set<String>> served = new java.util.HashMap<>();
        for (TargetState t : targets) served.put(t.name(), Set.of("big"));
        UiState st = UiState.START.withDrilled("big").withReplicaIndex(35);
        List<String> l = text(Screen.render(SETTINGS, new Frame(s, Map.of(), served), st, 120, 24));
        assertThat(l).anyMatch(x -> x.matches(" +r35:8000 +vllm .*"));
        assertThat(l).noneMatch(x -> x.matches(" +r00:8000 +vllm .*"));
        assertThat(l).contains("targets");
        assertThat(l).anyMatch(x -> x.startsWith("  r00:8000  http://r00:8000/metrics"));
    }

    @Test
    void slosAndGateways_showUnderTheTable_aFiringPageInRed() {
        dev.llmlab.top.SloStatus.Window w = new dev.llmlab.top.SloStatus.Window("5m", 300, 300, 80, 100, 0.8, 20);
        dev.llmlab.top.SloStatus page = new dev.llmlab.top.SloStatus(
                "ttft",
                "llama",
                "ttft p99 <= 100ms",
                0.99,
                List.of(w),
                "page",
                new dev.llmlab.top.SloStatus.Trend(Double.NaN, Double.NaN, Double.NaN, 0, 300, Double.NaN),
                false,
                null);
        dev.llmlab.top.GatewayRow gw =
                new dev.llmlab.top.GatewayRow("gw:4000", "gateway", 10, 5, 180, 50, 0.4, 0.5, 1, 0.2);
        Snapshot s = new Snapshot(
                Fixtures.AT,
                10,
                List.of(model("llama", 1, Fixtures.quiet(1))),
                List.of(),
                List.of(Fixtures.read("r1:8000")),
                null,
                List.of(page),
                null,
                List.of(),
                List.of(gw),
                Double.NaN,
                null);
        List<AttributedString> lines = render(s, UiState.START, 160, 30);
        List<String> l = text(lines);
        assertThat(l).anyMatch(x -> x.startsWith("GATEWAY") && x.contains("$/M TOK"));
        assertThat(l).anyMatch(x -> x.startsWith("gw:4000"));
        AttributedString slo = lines.stream()
                .filter(x -> x.toString().startsWith("ttft") && x.toString().contains("PAGE"))
                .findFirst()
                .orElseThrow();
        assertThat(red(styleOf(slo, "PAGE"))).isTrue();
    }
}
