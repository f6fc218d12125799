package dev.llmlab.top.tui;

import static dev.llmlab.top.tui.Fixtures.fleet;
import static dev.llmlab.top.tui.Fixtures.model;
import static dev.llmlab.top.tui.Fixtures.quiet;
import static dev.llmlab.top.tui.Fixtures.replica;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.top.Column;
import dev.llmlab.top.Row;
import dev.llmlab.top.Snapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The keys as a state machine: what each does to the state and the rows shown, without a terminal. */
class ControllerTest {
    @TempDir
    Path dir;

    private Controller controller() {
        Controller c = new Controller(
                Fixtures.SETTINGS, dir, Clock.fixed(Instant.parse("2026-12-07T21:45:55Z"), ZoneOffset.UTC));
        c.refresh(fleet());
        return c;
    }

    private static void type(Controller c, String keys) {
        for (char ch : keys.toCharArray()) assertThat(c.key(Key.of(ch))).isTrue();
    }

    private static List<String> models(Controller c) {
        return Views.models(c.shown().snapshot(), c.state()).stream()
                .map(Row::model)
                .toList();
    }

    @Test
    void filter_appliesOnEnter_cancelsOnEsc_andMatchesReplicaNamesToo() {
        Controller c = controller();
        type(c, "/mis");
        assertThat(c.state().editing()).isEqualTo("mis");
        assertThat(models(c)).as("not applied while typing").hasSize(3);
        c.key(Key.ENTER);
        assertThat(c.state().filter()).isEqualTo("mis");
        assertThat(c.state().editing()).isNull();
        assertThat(models(c)).containsExactly("mistral");
        assertThat(c.state().selected()).isEqualTo("mistral");

        type(c, "/");
        assertThat(c.state().editing()).as("starts from the filter applied").isEqualTo("mis");
        c.key(Key.BACKSPACE);
        c.key(Key.BACKSPACE);
        c.key(Key.BACKSPACE);
        type(c, "R4");
        c.key(Key.ESCAPE);
        assertThat(c.state().filter()).as("Esc cancels the edit").isEqualTo("mis");

        type(c, "/");
        c.key(Key.BACKSPACE);
        c.key(Key.BACKSPACE);
        c.key(Key.BACKSPACE);
        type(c, "R4");
        c.key(Key.ENTER);
        assertThat(models(c)).as("r4 is qwen's replica; case does not matter").containsExactly("qwen");
        assertThat(Views.replicas(c.shown().snapshot(), "qwen", c.state()))
                .extracting(Row::replica)
                .containsExactly("r4:8000");

        c.key(Key.ESCAPE);
        assertThat(c.state().filter()).as("Esc in the table clears the filter").isEmpty();
        assertThat(models(c)).hasSize(3);
    }

    @Test
    void sort_cyclesWithS_reversesWithShiftS_andDigitsPickAColumn() {
        Controller c = controller();
        assertThat(models(c)).containsExactly("llama", "mistral", "qwen");
        type(c, "s");
        assertThat(c.state().sort()).isEqualTo(Sort.by(Column.REQUESTS_PER_SECOND));
        assertThat(models(c)).as("largest first").containsExactly("llama", "qwen", "mistral");
        type(c, "S");
        assertThat(models(c)).containsExactly("mistral", "qwen", "llama");
        type(c, "s");
        assertThat(c.state().sort().column()).isEqualTo(Column.ERROR_RATE);

        type(c, "1");
        assertThat(c.state().sort()).isEqualTo(Sort.BY_NAME);
        type(c, "1");
        assertThat(models(c)).as("the same digit again reverses").containsExactly("qwen", "mistral", "llama");
        type(c, "2");
        assertThat(c.state().sort()).isEqualTo(Sort.by(Column.REQUESTS_PER_SECOND));
        type(c, "7");
        assertThat(c.state().sort().column()).isEqualTo(Column.TTFT_P99);
        type(c, "0");
        assertThat(c.state().sort().column()).isEqualTo(Column.OUTPUT_TOKENS_PER_SECOND);

        Sort last = Sort.by(Column.values()[Column.values().length - 1]);
        assertThat(last.next()).as("after the last column, the name").isEqualTo(Sort.BY_NAME);
    }

    @Test
    void selection_movesWithArrowsAndJk_staysInBounds_andFollowsItsModelWhenTheOrderChanges() {
        Controller c = controller();
        assertThat(c.state().selected()).isEqualTo("llama");
        c.key(Key.DOWN);
        type(c, "j");
        assertThat(c.state().selected()).isEqualTo("qwen");
        c.key(Key.DOWN);
        assertThat(c.state().selected()).as("stops at the last").isEqualTo("qwen");
        type(c, "k");
        assertThat(c.state().selected()).isEqualTo("mistral");
        type(c, "2"); // by requests/s: llama, qwen, mistral
        assertThat(c.state().selected()).isEqualTo("mistral");
        assertThat(c.state().selectedIndex()).isEqualTo(2);
        c.key(Key.HOME);
        assertThat(c.state().selected()).isEqualTo("llama");
        c.key(Key.END);
        assertThat(c.state().selected()).isEqualTo("mistral");

        // the selected model goes away: the selection stays in place, on the row there now
        c.refresh(new Snapshot(
                Fixtures.AT,
                10,
                List.of(model("llama", 1, quiet(8)), model("qwen", 1, quiet(5))),
                List.of(replica("llama", "r1:8000", quiet(8)), replica("qwen", "r4:8000", quiet(5))),
                List.of(),
                null));
        assertThat(c.state().selected()).isEqualTo("qwen");
    }

    @Test
    void enter_drillsIntoTheSelectedModel_andEscGoesBack() {
        Controller c = controller();
        c.key(Key.DOWN);
        c.key(Key.ENTER);
        assertThat(c.state().drilled()).isEqualTo("mistral");
        c.key(Key.DOWN);
        assertThat(c.state().replicaIndex()).as("one replica: stays").isZero();
        c.key(Key.ESCAPE);
        assertThat(c.state().drilled()).isNull();
        assertThat(c.state().selected()).as("back on the same model").isEqualTo("mistral");

        c.key(Key.UP);
        c.key(Key.ENTER);
        type(c, "2"); // drilled down, the replicas sort too: r1 (5/s) before r2 (3/s)
        c.key(Key.DOWN);
        assertThat(c.state().replicaIndex()).isEqualTo(1);
        assertThat(Views.replicas(c.shown().snapshot(), "llama", c.state()))
                .extracting(Row::replica)
                .containsExactly("r1:8000", "r2:8000");
    }

    @Test
    void help_opensWithQuestionMark_andAnyKeyClosesIt() {
        Controller c = controller();
        type(c, "?");
        assertThat(c.state().help()).isTrue();
        assertThat(c.key(Key.of('q'))).as("q closes the help, it does not quit").isTrue();
        assertThat(c.state().help()).isFalse();
        type(c, "?");
        c.key(Key.DOWN);
        assertThat(c.state().help()).isFalse();
        assertThat(c.state().selected())
                .as("the key that closed it did nothing else")
                .isEqualTo("llama");
    }

    @Test
    void pause_freezesTheView_whileRefreshesAreStillRecorded() {
        Controller c = controller();
        type(c, "p");
        assertThat(c.state().paused()).isTrue();
        Snapshot next = new Snapshot(
                Fixtures.AT.plusSeconds(1), 10, List.of(model("llama", 1, quiet(99))), List.of(), List.of(), null);
        c.refresh(next);
        assertThat(c.shown().snapshot()).as("frozen").isNotSameAs(next);
        assertThat(models(c)).hasSize(3);
        type(c, "p");
        assertThat(c.state().paused()).isFalse();
        assertThat(c.shown().snapshot()).as("resumed on the latest").isSameAs(next);
        assertThat(c.shown()
                        .trends()
                        .get(Trends.key(model("llama", 1, quiet(0))))
                        .requests())
                .as("the point read while paused was kept")
                .containsExactly(8.0, 99.0);
    }

    @Test
    void export_writesTheViewOnScreen_andSaysWhere() throws Exception {
        Controller c = controller();
        type(c, "/l");
        c.key(Key.ENTER); // llama and mistral
        type(c, "2");
        type(c, "e");
        Path file = dir.resolve("llmlab-top-20261207-214555.json");
        assertThat(file).exists();
        assertThat(c.state().status()).isEqualTo("exported 2 models, 3 replicas to llmlab-top-20261207-214555.json");
        JsonNode j = JsonMapper.builder().build().readTree(Files.readString(file));
        assertThat(j.get("models").valueStream().map(m -> m.get("model").asString()))
                .containsExactly("llama", "mistral");
        assertThat(j.get("replicas").valueStream().map(m -> m.get("replica").asString()))
                .containsExactly("r1:8000", "r2:8000", "r3:8000");
        assertThat(j.get("targets")).hasSize(5);

        c.key(Key.ENTER);
        type(c, "e");
        Path second = dir.resolve("llmlab-top-20261207-214555-2.json");
        assertThat(c.state().status())
                .as("never overwrites")
                .endsWith(second.getFileName().toString());
        JsonNode d = JsonMapper.builder().build().readTree(Files.readString(second));
        assertThat(d.get("models")).hasSize(1);
        assertThat(d.get("models").get(0).get("model").asString()).isEqualTo("llama");
        assertThat(d.get("replicas")).hasSize(2);
        assertThat(d.get("targets").valueStream().map(t -> t.get("name").asString()))
                .containsExactly("r1:8000", "r2:8000");

        c.key(Key.DOWN);
        assertThat(c.state().status()).as("the next key clears the message").isNull();
        type(c, "e");
        c.refresh(fleet());
        assertThat(c.state().status()).as("a refresh soon after leaves it").isNotNull();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).hasSize(3);
        }
    }

    @Test
    void aStatusMessage_goesAfterAFewSeconds() {
        Instant[] now = {Instant.parse("2026-12-07T21:45:55Z")};
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        Controller c = new Controller(Fixtures.SETTINGS, dir, clock);
        c.refresh(fleet());
        type(c, "e");
        now[0] = now[0].plus(Controller.STATUS_FOR);
        c.refresh(fleet());
        assertThat(c.state().status()).isNotNull();
        now[0] = now[0].plusMillis(1);
        c.refresh(fleet());
        assertThat(c.state().status()).isNull();
    }

    @Test
    void export_thatCannotWrite_saysWhy() {
        Controller c = new Controller(Fixtures.SETTINGS, dir.resolve("missing"), Clock.systemUTC());
        c.refresh(fleet());
        type(c, "e");
        assertThat(c.state().status()).startsWith("export failed: ");
    }

    @Test
    void q_andCtrlC_quit() {
        Controller c = controller();
        assertThat(c.key(Key.of('q'))).isFalse();
        assertThat(controller().key(Key.INTERRUPT)).isFalse();
        Controller typing = controller();
        type(typing, "/q");
        assertThat(typing.state().editing())
                .as("q typed into the filter is a letter")
                .isEqualTo("q");
    }
}
