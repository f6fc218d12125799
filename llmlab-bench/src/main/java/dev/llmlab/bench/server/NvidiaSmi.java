package dev.llmlab.bench.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * GPU energy from {@code nvidia-smi}'s instantaneous {@code power.draw}, integrated over time with
 * the trapezoid rule, per GPU.
 *
 * <p>Why power and not the energy counter ({@code total_energy_consumption} via NVML): nvidia-smi's
 * query of it is missing on older drivers and GPUs, while power.draw works everywhere nvidia-smi
 * does; at one reading a second the integral is close for a load that changes over seconds.
 * Why a process and not NVML: no native dependency, and nothing to do on machines without GPUs.
 *
 * <p>Each query is a process with a timeout, so a hung driver cannot hang the meter. A GPU
 * reporting {@code [N/A]} is skipped in that reading. Not thread-safe: the meter's thread owns it.
 */
final class NvidiaSmi {
    static final List<String> COMMAND =
            List.of("nvidia-smi", "--query-gpu=index,power.draw", "--format=csv,noheader,nounits");
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final List<String> command;
    private final Map<String, Gpu> gpus = new LinkedHashMap<>();

    /** One GPU's integral so far. */
    static final class Gpu {
        private long lastNanos;
        private double lastWatts;
        private double joules;
        private int readings;

        void add(long nanos, double watts) {
            if (readings > 0) joules += (lastWatts + watts) / 2 * ((nanos - lastNanos) / 1e9);
            lastNanos = nanos;
            lastWatts = watts;
            readings++;
        }

        int readings() {
            return readings;
        }

        double joules() {
            return joules;
        }
    }

    NvidiaSmi(List<String> command) {
        this.command = command;
    }

    /** Null when nvidia-smi answers with at least one GPU's power; otherwise why not. */
    String probe(long nanos) {
        try {
            Map<String, Double> w = query();
            if (w.isEmpty()) return "nvidia-smi reported no power draw";
            record(nanos, w);
            return null;
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /**
     * One reading, timed by {@code clock} when the query returns; a failed reading is skipped (the
     * trapezoid then spans the gap).
     */
    void read(LongSupplier clock) {
        try {
            Map<String, Double> w = query();
            record(clock.getAsLong(), w);
        } catch (IOException e) {
            // skipped
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void record(long nanos, Map<String, Double> watts) {
        watts.forEach((gpu, w) -> gpus.computeIfAbsent(gpu, g -> new Gpu()).add(nanos, w));
    }

    Map<String, Gpu> gpus() {
        return gpus;
    }

    /** GPU index to watts, from one run of the command. */
    Map<String, Double> query() throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            String exe = command.get(0);
            throw new IOException(exe.contains("/") ? "cannot run " + exe : "no " + exe + " on PATH");
        }
        try {
            if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("nvidia-smi did not answer within " + TIMEOUT.toSeconds() + " s");
            }
            if (p.exitValue() != 0) throw new IOException("nvidia-smi exited with status " + p.exitValue());
            return parse(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
        }
    }

    /** Lines of {@code index, watts}; lines with {@code [N/A]} or anything unparseable are left out. */
    static Map<String, Double> parse(String csv) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String line : csv.split("\r?\n")) {
            String[] f = line.split(",");
            if (f.length != 2) continue;
            String index = f[0].strip();
            try {
                double w = Double.parseDouble(f[1].strip());
                if (!index.isEmpty() && Double.isFinite(w) && w >= 0) out.put(index, w);
            } catch (NumberFormatException e) {
                // [N/A], [Not Supported]
            }
        }
        return out;
    }
}
