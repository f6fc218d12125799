package dev.llmlab.benchmarks.load;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A small open-loop sweep against a streaming OpenAI-compatible endpoint, for the engine's
 * figures until {@code llmlab bench} (issue 5) exists: Poisson arrivals at each rate, every reply
 * streamed and timed, TTFT from the intended send time (so a late client cannot hide queueing),
 * TPOT as (e2e - ttft) / (tokens - 1). With {@code --time-scale X} every time is divided by X,
 * reporting model time for a simulator running X times slower (X < 1: faster) than real time.
 *
 * <p>Writes the sweep JSON that {@code llmlab sim calibrate} reads (docs/engine.md) and prints a
 * table. Arguments: url model promptTokens outputTokens seconds timeScale out.json rate1 rate2 ...
 * (rates in requests per model-time second).
 */
public final class SweepDriver {
    public static void main(String[] args) throws Exception {
        String url = args[0];
        String model = args[1];
        int prompt = Integer.parseInt(args[2]);
        int output = Integer.parseInt(args[3]);
        double seconds = Double.parseDouble(args[4]);
        double scale = Double.parseDouble(args[5]);
        Path out = Path.of(args[6]);
        List<Double> rates = new ArrayList<>();
        for (int i = 7; i < args.length; i++) rates.add(Double.parseDouble(args[i]));

        // A prompt of about `prompt` tokens: common English words are one token each.
        StringBuilder text = new StringBuilder();
        String[] words = {"the", "model", "serves", "tokens", "under", "load", "with", "a", "batch", "of", "requests"};
        Random rnd = new Random(1);
        for (int i = 0; i < prompt - 12; i++)
            text.append(words[rnd.nextInt(words.length)]).append(' ');
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
        JsonMapper json = JsonMapper.builder().build();
        ObjectNode root = json.createObjectNode();
        root.put("schema_version", 1);
        ObjectNode config = root.putObject("config");
        config.put("url", url)
                .put("model", model)
                .put("input_tokens", prompt)
                .put("output_tokens", output)
                .put("time_scale", scale)
                .put("seconds_per_point", seconds);
        ArrayNode points = root.putObject("sweep").putArray("points");
        // Every prompt unique across the whole sweep (a number first), so no point hits the prefix cache
        // that an earlier point filled; and an unmeasured warm-up first, so the client's JIT and its
        // connections are ready before anything is timed (time-scale magnifies client delays).
        AtomicLong serial = new AtomicLong();
        warmUp(client, url, model, output, text, serial);
        System.out.printf(
                "%10s %10s %10s %10s %10s %10s %12s%n",
                "rate", "sent/s", "done/s", "ttft_p50", "ttft_p99", "tpot_p50", "out_tok/s");
        for (double rate : rates) {
            Histogram ttft = new org.HdrHistogram.SynchronizedHistogram(3);
            Histogram tpot = new org.HdrHistogram.SynchronizedHistogram(3);
            AtomicLong tokens = new AtomicLong();
            AtomicLong done = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            long sent = 0;
            long start = System.nanoTime();
            long end = start + (long) (seconds * scale * 1e9);
            Random arrivals = new Random(42);
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                long t = start;
                while (true) {
                    t += (long) (-Math.log(1 - arrivals.nextDouble()) / rate * scale * 1e9);
                    if (t >= end) break;
                    long intended = t;
                    long wait = intended - System.nanoTime();
                    if (wait > 0) LockSupport.parkNanos(wait);
                    String body = body(model, output, serial.getAndIncrement(), text);
                    sent++;
                    pool.submit(() -> {
                        try {
                            HttpResponse<java.io.InputStream> r = client.send(
                                    HttpRequest.newBuilder(URI.create(url))
                                            .header("content-type", "application/json")
                                            .POST(HttpRequest.BodyPublishers.ofString(body))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofInputStream());
                            if (r.statusCode() != 200) {
                                failed.incrementAndGet();
                                r.body().close();
                                return;
                            }
                            long first = 0;
                            long last = 0;
                            int n = 0;
                            try (BufferedReader in =
                                    new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                                for (String line = in.readLine(); line != null; line = in.readLine()) {
                                    if (!line.startsWith("data: {") || !line.contains("\"content\":\"")) continue;
                                    long now = System.nanoTime();
                                    if (n++ == 0) first = now;
                                    last = now;
                                }
                            }
                            if (n == 0) {
                                failed.incrementAndGet();
                                return;
                            }
                            ttft.recordValue(Math.max(1, (long) ((first - intended) / scale / 1000)));
                            if (n > 1) tpot.recordValue(Math.max(1, (long) ((last - first) / scale / (n - 1) / 1000)));
                            tokens.addAndGet(n);
                            done.incrementAndGet();
                        } catch (Exception e) {
                            failed.incrementAndGet();
                        }
                    });
                }
            }
            // The rate the client achieved is what it sent over the window; throughput is what came back
            // over the time until the last reply (past saturation, well after the window).
            double achieved = sent / seconds;
            double elapsed = (System.nanoTime() - start) / scale / 1e9;
            double outRate = tokens.get() / elapsed;
            ObjectNode p = points.addObject();
            p.put("rate_target", rate)
                    .put("rate_achieved", achieved)
                    .put("requests_completed", done.get())
                    .put("requests_failed", failed.get())
                    .put("request_throughput", done.get() / elapsed)
                    .put("output_token_throughput", outRate);
            ObjectNode metrics = p.putObject("metrics");
            put(metrics.putObject("ttft"), ttft);
            put(metrics.putObject("tpot"), tpot);
            System.out.printf(
                    "%10.2f %10.2f %10.2f %10.1f %10.1f %10.2f %12.0f%n",
                    rate,
                    achieved,
                    done.get() / elapsed,
                    ttft.getValueAtPercentile(50) / 1000.0,
                    ttft.getValueAtPercentile(99) / 1000.0,
                    tpot.getValueAtPercentile(50) / 1000.0,
                    outRate);
        }
        Files.writeString(out, json.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        chart(points);
        System.exit(0);
    }

    /** TTFT p50 (log scale, 10 ms to 10 s) and output throughput (linear) per rate, as text bars. */
    private static void chart(ArrayNode points) {
        double maxOut = 1;
        for (var p : points)
            maxOut = Math.max(maxOut, p.get("output_token_throughput").asDouble());
        System.out.printf(
                "%n%8s  %-32s  %-32s%n", "rate/s", "TTFT p50 (log, 10 ms .. 10 s)", "output tokens/s (linear)");
        for (var p : points) {
            double ttft = p.at("/metrics/ttft/p50").asDouble();
            double out = p.get("output_token_throughput").asDouble();
            int a = (int) Math.round(Math.max(0, Math.min(30, 10 * Math.log10(Math.max(ttft, 10) / 10))));
            int b = (int) Math.round(30 * out / maxOut);
            System.out.printf(
                    "%8.2f  %-32s  %-32s%n",
                    p.get("rate_target").asDouble(),
                    "#".repeat(Math.max(1, a)) + String.format(" %.0f", ttft),
                    "#".repeat(Math.max(1, b)) + String.format(" %.0f", out));
        }
    }

    private static String body(String model, int output, long serial, CharSequence text) {
        return "{\"model\":\"" + model + "\",\"stream\":true,\"max_tokens\":" + output
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + serial + " " + text + "\"}]}";
    }

    /** 64 requests, 16 at a time, unmeasured. */
    private static void warmUp(
            HttpClient client, String url, String model, int output, CharSequence text, AtomicLong serial)
            throws InterruptedException {
        try (ExecutorService pool =
                Executors.newFixedThreadPool(16, Thread.ofVirtual().factory())) {
            for (int i = 0; i < 64; i++) {
                String body = body(model, output, serial.getAndIncrement(), text);
                pool.submit(() -> client.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .header("content-type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.discarding()));
            }
        }
    }

    private static void put(ObjectNode o, Histogram h) {
        o.put("unit", "ms")
                .put("count", h.getTotalCount())
                .put("mean", h.getMean() / 1000)
                .put("p50", h.getValueAtPercentile(50) / 1000.0)
                .put("p90", h.getValueAtPercentile(90) / 1000.0)
                .put("p99", h.getValueAtPercentile(99) / 1000.0);
    }

    private SweepDriver() {}
}
