package dev.llmlab.top;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmlab.metrics.Quantity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --record} and {@code --replay}: a session of hand-made scrapes on a virtual clock, recorded
 * and replayed, gives the live top's snapshots (figures, percentiles, SLOs, targets and their ages)
 * at the same moments; a file cut short plays to its last complete line; what is not a recording is
 * refused with why.
 */
class RecordingTest {
    private static final long S = 1_000_000_000L;
    private static final long MS = 1_000_000L;
    /** The live clock's origin: not a multiple of an SLO slot, so a replay must cut slots where the live top did. */
    private static final long ORIGIN = 7_123_456_000L;

    private static final Instant WALL = Instant.parse("2026-03-01T12:00:00Z");
    private static final Target R1 = Target.of("http://r1:8000");
    private static final Target R2 = Target.of("http://r2:8000");
    private static final Target R3 = Target.of("http://r3:8000");

    @TempDir
    Path dir;

    /** A clock the test moves; its wall time follows its nanoseconds, as the system's does. */
    private static final class TestClock {
        final AtomicLong nanos = new AtomicLong(ORIGIN);

        Top.Clock clock() {
            return new Top.Clock(nanos::get, () -> WALL.plusNanos(nanos.get() - ORIGIN));
        }
    }

    /** A feed the test drives: its scrapes are handed to the sink by hand, its targets and error set by hand. */
    private static final class HandFeed implements Feed {
        final Consumer<Scrape> sink;
        volatile List<Target> targets;
        volatile String error;

        HandFeed(Consumer<Scrape> sink, List<Target> targets) {
            this.sink = sink;
            this.targets = targets;
        }

        @Override
        public CompletableFuture<Void> poll() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public List<Target> targets() {
            return targets;
        }

        @Override
        public String error() {
            return error;
        }

        @Override
        public void close() {}
    }

    private static Objectives objectives() {
        return new Objectives(
                List.of(
                        new Slo("ttft", Slo.Metric.TTFT, null, 95.0, Duration.ofMillis(100), null, null, null),
                        new Slo("slow", Slo.Metric.TTFT, null, 90.0, Duration.ofMillis(550), null, null, null)),
                null,
                null,
                null,
                Duration.ofSeconds(30));
    }

    /** The snapshot without what says it is recorded or replayed: the rest must be the same. */
    private static Snapshot seen(Snapshot s) {
        return s.withRecording(null);
    }

    /**
     * 40 s of a fleet: r1 and r2 read every second (the middle of each GET 200 ms before it reached
     * top), r2 failing for a while and restarting, r3 appearing at 20 s as r2 goes, and the source
     * failing for 3 s. A snapshot every 500 ms, live and replayed.
     */
    private List<Snapshot> live(Path file, Duration window) throws Exception {
        TestClock c = new TestClock();
        Recorder recorder = Recorder.open(
                new Top.Record(file, "http://r1:8000 http://r2:8000", window),
                Duration.ofSeconds(1),
                c.clock(),
                Recorder.QUEUE);
        HandFeed[] feed = new HandFeed[1];
        List<Snapshot> out = new ArrayList<>();
        try (Top top = new Top(
                List.of(R1, R2),
                (sink, listed) -> feed[0] = new HandFeed(sink, List.of(R1, R2)),
                null,
                objectives(),
                c.clock(),
                recorder)) {
            for (int k = 0; k < 40; k++) {
                // the refresh just after the snapshot of this moment (live, the two never meet exactly)
                c.nanos.set(ORIGIN + k * S + 1000);
                if (k == 20) feed[0].targets = List.of(R1, R3);
                feed[0].error = k >= 30 && k < 33 ? "Kubernetes: cannot list pods: HTTP 403" : null;
                top.pollAndWait(Duration.ofSeconds(1));
                long at = ORIGIN + k * S - 200 * MS;
                c.nanos.set(ORIGIN + k * S + 10 * MS);
                feed[0].sink.accept(
                        Scraper.read(R1, at, 200, FleetTest.page("m", 10 * k, k % 3, 0.5, 8 * k, 9 * k, 10 * k)));
                c.nanos.set(ORIGIN + k * S + 20 * MS);
                if (k < 20) {
                    int n = k < 12 ? k : k - 12; // restarted at 12
                    feed[0].sink.accept(
                            k >= 5 && k < 8
                                    ? Scraper.read(R2, at, 503, "overloaded")
                                    : Scraper.read(R2, at, 200, FleetTest.page("m", 5 * n, 1, 0.25, n, 4 * n, 5 * n)));
                } else
                    feed[0].sink.accept(
                            Scraper.read(R3, at, 200, FleetTest.page("m", 3 * k, 2, 0.75, 0, 3 * k, 3 * k)));
                c.nanos.set(ORIGIN + k * S + 500 * MS);
                out.add(top.snapshot(window));
                c.nanos.set(ORIGIN + (k + 1) * S);
                out.add(top.snapshot(window));
            }
            c.nanos.set(ORIGIN + 40 * S + 300 * MS);
        }
        return out;
    }

    @Test
    void aReplay_showsWhatTheLiveTopShowed_atTheSameMoments() throws Exception {
        Path file = dir.resolve("top.jsonl.gz");
        Duration window = Duration.ofSeconds(10);
        List<Snapshot> live = live(file, window);
        assertThat(live.get(60).slos()).as("SLOs are tracked").isNotEmpty();
        assertThat(live.get(60).slos().getFirst().windows().getFirst().total()).isPositive();

        Recording.Header h = Recording.header(file);
        assertThat(h.version()).isEqualTo(1);
        assertThat(h.started()).isEqualTo(WALL);
        assertThat(h.source()).isEqualTo("http://r1:8000 http://r2:8000");
        assertThat(h.interval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(h.window()).isEqualTo(window);

        // at half speed, each refresh of 1 s plays 500 ms
        ReplayFeed replay = ReplayFeed.open(new Source.Replay(file, 0.5, null), Duration.ofSeconds(1));
        List<Snapshot> replayed = new ArrayList<>();
        try (Top top = new Top(List.of(), replay::attach, null, objectives(), replay.clock(), null)) {
            for (int i = 0; i < live.size(); i++) {
                top.pollAndWait(Duration.ofSeconds(1));
                replayed.add(top.snapshot(window));
            }
            for (int i = 0; i < live.size(); i++)
                assertThat(seen(replayed.get(i))).as("snapshot %d", i).isEqualTo(seen(live.get(i)));
            assertThat(replayed.get(40).sourceError()).isNull();
            assertThat(replayed.get(61).sourceError()).contains("403");
            assertThat(replayed.get(50).targets()).extracting(TargetState::name).containsExactly("r1:8000", "r3:8000");
            RecordingStatus r = replayed.getLast().recording();
            assertThat(r.mode()).isEqualTo("replay");
            assertThat(r.speed()).isEqualTo(0.5);
            assertThat(r.scrapes()).isEqualTo(80);
            assertThat(r.ended()).isFalse();

            // past the end: the clock stops at the end line's time, and the replay says it ended
            top.pollAndWait(Duration.ofSeconds(1));
            top.pollAndWait(Duration.ofSeconds(1));
            Snapshot end = top.snapshot(window);
            assertThat(end.at()).isEqualTo(WALL.plusMillis(40_300));
            assertThat(end.recording().ended()).isTrue();
            assertThat(end.recording().note()).isNull();
            assertThat(end.recording().lost()).isZero();
            assertThat(SnapshotText.render(end)).contains("replay of " + file + " at 0.50x (80 scrapes): ended");
        }

        // --once: the end, or a moment given from the start
        Top.Settings once = new Top.Settings(null, Duration.ofSeconds(1), null, objectives(), null);
        Snapshot atEnd = Top.once(new Source.Replay(file, 1, null), window, once);
        assertThat(atEnd.at()).isEqualTo(WALL.plusMillis(40_300));
        assertThat(atEnd.models().getFirst().figures().requestsPerSecond())
                .isEqualTo(live.getLast().models().getFirst().figures().requestsPerSecond());
        Snapshot at25 = Top.once(new Source.Replay(file, 1, Duration.ofMillis(25_500)), window, once);
        assertThat(seen(at25)).isEqualTo(seen(live.get(50)));
    }

    @Test
    void aReading_comesBackWhole() throws Exception {
        String page = """
                # TYPE vllm:num_requests_running gauge
                vllm:num_requests_running{model_name="a"} NaN
                vllm:num_requests_running{model_name="b"} 3
                # TYPE vllm:request_success counter
                vllm:request_success_total{model_name="a",finished_reason="stop"} 7
                vllm:request_success_created{model_name="a",finished_reason="stop"} 1.7e9
                vllm:request_success_total{model_name="b",finished_reason="length"} 2
                # TYPE vllm:time_to_first_token_seconds histogram
                vllm:time_to_first_token_seconds_bucket{model_name="a",le="0.05"} 1
                vllm:time_to_first_token_seconds_bucket{model_name="a",le="+Inf"} 7
                vllm:time_to_first_token_seconds_count{model_name="a"} 7
                vllm:time_to_first_token_seconds_sum{model_name="a"} 0.31
                vllm:time_to_first_token_seconds_bucket{model_name="b",le="0.05"} 2
                """;
        Reading r = Scraper.read(R1, 0, 200, page).reading();
        Path file = dir.resolve("one.jsonl.gz");
        TestClock c = new TestClock();
        try (Recorder rec = Recorder.open(new Top.Record(file, "x", null), null, c.clock(), 8)) {
            rec.scrape(new Scrape(R1, ORIGIN, r, null), ORIGIN);
        }
        try (RecordingReader in = RecordingReader.open(file)) {
            Recording.Scraped s = (Recording.Scraped) in.next();
            assertThat(s.target()).isEqualTo(R1);
            Reading back = s.reading();
            assertThat(back.kind()).isEqualTo(r.kind());
            assertThat(back.models().keySet())
                    .containsExactlyElementsOf(r.models().keySet());
            for (String m : r.models().keySet()) {
                Reading.Model a = r.models().get(m);
                Reading.Model b = back.models().get(m);
                assertThat(b.exported()).isEqualTo(a.exported());
                assertThat(b.owned()).isEqualTo(a.owned());
                assertThat(b.gauges()).isEqualTo(a.gauges());
                assertThat(b.counters().keySet()).isEqualTo(a.counters().keySet());
                for (Quantity q : a.counters().keySet())
                    assertThat(b.counters().get(q).points())
                            .isEqualTo(a.counters().get(q).points());
                assertThat(b.histograms().keySet()).isEqualTo(a.histograms().keySet());
                for (Quantity q : a.histograms().keySet())
                    assertThat(b.histograms().get(q).points())
                            .isEqualTo(a.histograms().get(q).points());
            }
            assertThat(back.infra()).isNull();
            assertThat(in.next()).isInstanceOf(Recording.End.class);
            assertThat(in.next()).isNull();
            assertThat(in.note()).isNull();
        }
    }

    /** A file cut anywhere (top killed, a copy made mid-write) plays every line before the cut, and says so. */
    @Test
    void aTruncatedFile_playsToItsLastCompleteLine_andSaysSo() throws Exception {
        Path file = dir.resolve("whole.jsonl.gz");
        live(file, Duration.ofSeconds(10));
        byte[] whole = Files.readAllBytes(file);
        for (int cut : new int[] {whole.length / 3, whole.length / 2, whole.length - 9, whole.length - 1}) {
            Path part = dir.resolve("cut-" + cut + ".jsonl.gz");
            Files.write(part, java.util.Arrays.copyOf(whole, cut));
            long complete = completeScrapeLines(part);
            Snapshot s = Top.once(
                    new Source.Replay(part, 1, null),
                    Duration.ofSeconds(10),
                    new Top.Settings(null, Duration.ofSeconds(1), null, null, null));
            RecordingStatus r = s.recording();
            assertThat(r.ended()).isTrue();
            assertThat(r.scrapes()).as("cut at %d of %d", cut, whole.length).isEqualTo(complete);
            if (cut < whole.length / 2 + 1) assertThat(complete).isLessThan(80).isPositive();
            if (completeLines(part).stream().anyMatch(l -> l.contains("\"type\":\"end\""))) {
                assertThat(r.note()).as("only gzip's trailer is cut").isNull();
            } else {
                assertThat(r.note()).contains("without its end (was top killed?): played to its last complete line");
                assertThat(SnapshotText.render(s)).contains("! replay of").contains("without its end");
            }
        }
    }

    /** The lines a tolerant reader gets whole from a gzip file, cut or not, before its stream breaks off. */
    private static List<String> completeLines(Path file) throws IOException {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            int b;
            while ((b = in.read()) >= 0) text.write(b);
        } catch (IOException e) {
            // cut: what came before stands
        }
        String s = text.toString(StandardCharsets.UTF_8);
        return s.substring(0, s.lastIndexOf('\n') + 1).lines().toList();
    }

    private static long completeScrapeLines(Path file) throws IOException {
        return completeLines(file).stream()
                .filter(l -> l.contains("\"type\":\"scrape\""))
                .count();
    }

    /**
     * A top that is killed leaves what the writer last flushed, at most about a second old: the file
     * copied while the recorder still runs plays those scrapes.
     */
    @Test
    void aFileLeftOpen_playsWhatWasFlushed() throws Exception {
        Path file = dir.resolve("open.jsonl.gz");
        TestClock c = new TestClock();
        Recorder rec = Recorder.open(new Top.Record(file, "x", null), null, c.clock(), 64);
        try {
            for (int k = 0; k < 5; k++)
                rec.scrape(
                        Scraper.read(R1, ORIGIN + k * S, 200, FleetTest.page("m", k, 0, 0, 0, 0, 0)), ORIGIN + k * S);
            long deadline = System.nanoTime() + 10 * S;
            while (completeScrapeLines(file) < 5 && System.nanoTime() < deadline) Thread.sleep(20);
            Path copy = dir.resolve("copy.jsonl.gz");
            Files.copy(file, copy);
            Snapshot s = Top.once(
                    new Source.Replay(copy, 1, null),
                    Duration.ofSeconds(10),
                    new Top.Settings(null, Duration.ofSeconds(1), null, null, null));
            assertThat(s.recording().scrapes()).isEqualTo(5);
            assertThat(s.recording().note()).contains("without its end");
            assertThat(s.at()).isEqualTo(WALL.plusSeconds(4));
        } finally {
            rec.close();
        }
    }

    /** A writer that cannot keep up drops scrapes rather than hold up the scrape threads, and counts them. */
    @Test
    void aFullQueue_dropsAndCounts_andTheFileAndTheReplaySaySo() throws Exception {
        Path file = dir.resolve("lossy.jsonl.gz");
        TestClock c = new TestClock();
        Recording.Header h = new Recording.Header(1, WALL, ORIGIN, "x", Duration.ofSeconds(1), Duration.ofSeconds(10));
        OutputStream gzip = new GZIPOutputStream(Files.newOutputStream(file), true);
        Recorder rec = new Recorder(file, h, c.clock(), gzip, 3); // its writer not started: the disk is stuck
        for (int k = 0; k < 10; k++) {
            c.nanos.set(ORIGIN + k * S);
            rec.scrape(Scraper.read(R1, ORIGIN + k * S, 200, FleetTest.page("m", k, 0, 0, 0, 0, 0)), ORIGIN + k * S);
        }
        assertThat(rec.status().lost()).isEqualTo(7);
        assertThat(rec.status().scrapes()).isEqualTo(3);
        assertThat(rec.status().describe())
                .isEqualTo("recording to " + file + " (3 scrapes); 7 lost: the disk did not keep up");
        rec.start().close();

        String text;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(text.lines().toList().getLast()).contains("\"type\":\"end\"", "\"scrapes\":3", "\"lost\":7");
        assertThat(text).contains("\"type\":\"lost\"");
        Snapshot s = Top.once(
                new Source.Replay(file, 1, null),
                Duration.ofSeconds(10),
                new Top.Settings(null, Duration.ofSeconds(1), null, null, null));
        assertThat(s.recording().lost()).isEqualTo(7);
        assertThat(s.recording().scrapes()).isEqualTo(3);
        assertThat(SnapshotText.render(s)).contains("! replay of", "the recording lost 7 scrapes up to here");
    }

    @Test
    void whatIsNotARecording_isRefusedWithWhy() throws Exception {
        Path missing = dir.resolve("missing.jsonl.gz");
        assertThatThrownBy(() -> Recording.header(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot read the recording " + missing + ": no such file");
        Path text = Files.writeString(dir.resolve("notes.txt"), "hello\n");
        assertThatThrownBy(() -> Recording.header(text))
                .hasMessage(text + " is not an llmlab top recording: its first line is not JSON");
        Path empty = Files.write(dir.resolve("empty"), new byte[0]);
        assertThatThrownBy(() -> Recording.header(empty))
                .hasMessage(empty + " is not an llmlab top recording: it is empty");
        Path json = gzip("other.jsonl.gz", "{\"at\": \"2026-01-01T00:00:00Z\", \"models\": []}\n");
        assertThatThrownBy(() -> Recording.header(json))
                .hasMessage(json + " is not an llmlab top recording: its first line has no \"llmlab_top_recording\"");
        Path newer = gzip("newer.jsonl.gz", "{\"llmlab_top_recording\": 2, \"started\": \"2026-01-01T00:00:00Z\"}\n");
        assertThatThrownBy(() -> Recording.header(newer))
                .hasMessage(newer + " is a recording of format 2, newer than this llmlab reads (1): replay it with a"
                        + " newer llmlab");
        Path half = dir.resolve("half.gz");
        byte[] whole = Files.readAllBytes(gzip("h.gz", "{\"llmlab_top_recording\": 1}\n"));
        Files.write(half, java.util.Arrays.copyOf(whole, 6));
        assertThatThrownBy(() -> Recording.header(half))
                .hasMessageStartingWith(half + " is not an llmlab top recording");
        Path garbled = gzip("garbled.gz", "{\"llmlab_top_recording\": 1, \"started\": \"yesterday\"}\n");
        assertThatThrownBy(() -> Recording.header(garbled))
                .hasMessage(garbled + " is not an llmlab top recording: its header lacks or garbles started,"
                        + " monotonic_ns or window_ms");
        assertThatThrownBy(() -> Top.start(
                        new Source.Replay(text, 1, null),
                        new Top.Settings(Duration.ofSeconds(1), Duration.ofSeconds(1), null, null, null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not an llmlab top recording");
        assertThatThrownBy(() -> new Source.Replay(text, 0, null)).hasMessage("--speed must be more than 0, got 0.0");
    }

    @Test
    void aDamagedLine_endsTheReplayThere_withItsNumber() throws Exception {
        Path file = dir.resolve("d.jsonl.gz");
        live(file, Duration.ofSeconds(10));
        String text;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> lines = new ArrayList<>(text.lines().toList());
        lines.set(10, lines.get(10).substring(0, 50));
        Path damaged = gzip("damaged.jsonl.gz", String.join("\n", lines) + "\n");
        Snapshot s = Top.once(
                new Source.Replay(damaged, 1, null),
                Duration.ofSeconds(10),
                new Top.Settings(null, Duration.ofSeconds(1), null, null, null));
        assertThat(s.recording().note()).startsWith("line 11 is damaged (");
        assertThat(s.recording().scrapes())
                .isEqualTo(lines.subList(1, 10).stream()
                        .filter(l -> l.contains("\"type\":\"scrape\""))
                        .count());
    }

    @Test
    void aRecordingThatCannotBeWritten_isRefusedWithWhy() {
        Path nowhere = dir.resolve("no/such/dir/top.jsonl.gz");
        assertThatThrownBy(() -> Top.start(
                        new Source.Scraped(Discovery.of(List.of(R1))),
                        new Top.Settings(
                                Duration.ofSeconds(1),
                                Duration.ofSeconds(1),
                                null,
                                null,
                                null,
                                new Top.Record(nowhere, "x", null))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot write the recording " + nowhere + ": no such directory");
    }

    private Path gzip(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return p;
    }

    @Test
    void aGpuAndAGatewayReading_comeBackWhole() throws Exception {
        Reading gpu = Scraper.read(R1, 0, 200, FleetTest.dcgm(0.5, 0.7, 1000)).reading();
        Reading gateway = Scraper.read(R1, 0, 200, FleetTest.gateway(100, 1.0, 10_000, 10, 2, 1))
                .reading();
        Path file = dir.resolve("infra.jsonl.gz");
        TestClock c = new TestClock();
        try (Recorder rec = Recorder.open(new Top.Record(file, "x", null), null, c.clock(), 8)) {
            rec.scrape(new Scrape(R1, ORIGIN, gpu, null), ORIGIN);
            rec.scrape(new Scrape(R1, ORIGIN, gateway, null), ORIGIN);
        }
        try (RecordingReader in = RecordingReader.open(file)) {
            for (Reading r : List.of(gpu, gateway)) {
                Reading back = ((Recording.Scraped) in.next()).reading();
                assertThat(back.gpus()).isEqualTo(r.gpus());
                assertThat(back.infra().exported()).isEqualTo(r.infra().exported());
                assertThat(back.infra().gauges()).isEqualTo(r.infra().gauges());
                for (Quantity q : r.infra().counters().keySet())
                    assertThat(back.infra().counters().get(q).points())
                            .isEqualTo(r.infra().counters().get(q).points());
            }
        }
        assertThat(gpu.gpus()).isEqualTo(2);
    }
}
