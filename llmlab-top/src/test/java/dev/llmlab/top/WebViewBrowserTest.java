package dev.llmlab.top;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.http.client.TlsOptions;
import dev.llmlab.sim.Simulator;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web view in a real browser, watching the real simulator: headless Chromium opens the page,
 * which must connect, show the rows that appear once load is sent to the simulator, follow each
 * new snapshot, draw its charts, and say so when the view goes away. Skipped only where no
 * Chromium is installed (CI installs Debian's {@code chromium}). {@code -Dllmlab.top.keep=DIR}
 * keeps the screenshot there, to look at.
 */
class WebViewBrowserTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration PAGE = Duration.ofSeconds(20);
    private static final int WIDTH = 1280;
    private static final int HEIGHT = 1400;

    @TempDir
    Path dir;

    @Test
    void thePage_followsTheSimulatorLive() throws Exception {
        Path chromium = Chromium.binary();
        Assumptions.assumeTrue(chromium != null, "no chromium binary");
        try (Simulator sim = SimFixture.start();
                HttpClient http = HttpClient.newHttpClient();
                Top top = Top.start(
                        new Source.Scraped(Discovery.of(List.of(Target.of("http://127.0.0.1:" + sim.port())))),
                        new Top.Settings(
                                null,
                                TIMEOUT,
                                TlsOptions.DEFAULT,
                                // the simulator's 30 ms TTFT misses this SLO on every request
                                new Objectives(
                                        List.of(new Slo(
                                                "fast",
                                                Slo.Metric.TTFT,
                                                null,
                                                99.0,
                                                java.time.Duration.ofMillis(10),
                                                null,
                                                null,
                                                null)),
                                        null,
                                        null,
                                        null,
                                        null),
                                null));
                WebView view = new WebView(
                        () -> top.snapshot(Top.LONGEST_WINDOW),
                        new InetSocketAddress("127.0.0.1", 0),
                        null,
                        WebView.MAX_STREAMS);
                Chromium page = Chromium.open(chromium, URI.create(view.url()), WIDTH, HEIGHT, dir)) {
            // connected, and shown at once the snapshot of before any reading: no rows, the target not read yet
            page.await("document.body.dataset.state === 'connected' && document.body.dataset.updates === '1'", PAGE);
            assertThat(page.eval("document.querySelectorAll('tr.model').length"))
                    .isEqualTo("0");
            assertThat(page.eval("document.getElementById('target-rows').textContent"))
                    .contains("not read yet");

            top.pollAndWait(TIMEOUT);
            SimFixture.chat(http, sim.port(), 20);
            top.pollAndWait(TIMEOUT);
            view.refresh();
            // the next snapshot arrives and the model's row appears, with what top read
            page.await("document.querySelector('tr.model[data-model=\"llama\"]') !== null", PAGE);
            assertThat(page.eval("document.body.dataset.lastId"))
                    .isEqualTo(String.valueOf(view.streams().latest().id()));
            String row = page.eval("Array.from(document.querySelector('tr.model').cells)"
                    + ".map(function (c) { return c.textContent; }).join('|')");
            assertThat(row).startsWith("\u25b8llama|(1 replica)|llmlab|");
            String[] cells = row.split("\\|");
            assertThat(Double.parseDouble(cells[3])).as("REQ/S in " + row).isPositive();
            assertThat(cells[8]).as("TTFT50 in " + row).endsWith("ms");

            // the SLO's table shows, every request of the window bad
            page.await("!document.getElementById('slos').hidden", PAGE);
            assertThat(page.eval("document.getElementById('slo-rows').textContent"))
                    .contains("fast", "llama", "ttft p99 <= 10ms", "0.0% 100.0x");

            // a click shows the replica
            page.eval("document.querySelector('tr.model').click()");
            page.await("document.querySelector('tr.replica') !== null", PAGE);
            assertThat(page.eval("document.querySelector('tr.replica').cells[1].textContent"))
                    .isEqualTo("127.0.0.1:" + sim.port());

            // and a third snapshot: the charts have two points of the model each, drawn by uPlot
            top.pollAndWait(TIMEOUT);
            view.refresh();
            page.await("document.body.dataset.updates === '3'", PAGE);
            page.await("document.querySelectorAll('.chart canvas').length === 5", PAGE);
            assertThat(page.eval("document.querySelector('tr.replica') !== null"))
                    .as("the replica stays shown across updates")
                    .isEqualTo("true");

            byte[] png = page.screenshot();
            String keep = System.getProperty("llmlab.top.keep");
            if (keep != null) {
                Files.createDirectories(Path.of(keep));
                Files.write(Path.of(keep, "top-web.png"), png);
            }
            assertThat(png).startsWith(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            assertThat(image.getWidth()).isEqualTo(WIDTH);
            assertThat(image.getHeight()).isEqualTo(HEIGHT);
            Set<Integer> colours = new HashSet<>();
            for (int y = 0; y < HEIGHT; y += 7) for (int x = 0; x < WIDTH; x += 7) colours.add(image.getRGB(x, y));
            assertThat(colours.size())
                    .as("colours in the screenshot: text, badges, chart lines")
                    .isGreaterThan(20);

            assertThat(page.eval("document.body.dataset.error")).isEqualTo("undefined");

            // top stops: the page says it is trying to reconnect
            view.close();
            page.await("document.body.dataset.state === 'reconnecting'", PAGE);
        }
    }
}
