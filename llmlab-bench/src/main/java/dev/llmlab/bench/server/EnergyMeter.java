package dev.llmlab.bench.server;

import dev.llmlab.bench.result.Energy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Energy this machine used during a bench run, from the CPU packages' RAPL counters and the GPUs'
 * power draw (nvidia-smi), so a result can say joules per output token.
 *
 * <p>It measures the machine bench runs on: meaningful when the server under test runs there too
 * (a local vLLM, the simulator), and then it includes the load generator's own share. A remote
 * server's energy cannot be read from here.
 *
 * <p>Why it says "unavailable" instead of 0: most machines have neither source readable (RAPL is
 * root-only since Linux 5.10, GPUs are rare), and a 0 would read as a measurement. A source counts
 * only if it gave a reading at the start; its readings continue once a second on a daemon thread,
 * which RAPL's wrapping counters need and the power integral benefits from.
 *
 * <p>Thread-safety: start and stop from one thread; readings are serialised by the meter's lock.
 */
public final class EnergyMeter {
    private final List<Rapl.Domain> rapl;
    private final NvidiaSmi gpu;
    private final String raplWhyNone;
    private final String gpuWhyNone;
    private final LongSupplier clock;
    private final long startNanos;
    private final ScheduledExecutorService timer;

    private EnergyMeter(Path powercap, List<String> nvidiaSmi, LongSupplier clock, Duration interval) {
        this.clock = clock;
        this.startNanos = clock.getAsLong();
        Rapl.Probe probe = Rapl.probe(powercap);
        this.rapl = probe.domains();
        NvidiaSmi smi = new NvidiaSmi(nvidiaSmi);
        this.raplWhyNone = probe.whyNone();
        this.gpuWhyNone = smi.probe(clock.getAsLong());
        this.gpu = gpuWhyNone == null ? smi : null;
        if (interval == null || (rapl.isEmpty() && gpu == null)) {
            this.timer = null;
        } else {
            this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "llmlab-energy");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleAtFixedRate(this::sampleNow, interval.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Finds the sources (RAPL package domains under /sys/class/powercap, nvidia-smi on PATH), takes
     * their first reading and keeps reading once a second until {@link #stop}. Never throws; may
     * take a fraction of a second when nvidia-smi is present.
     */
    public static EnergyMeter start() {
        return new EnergyMeter(
                Path.of("/sys/class/powercap"), NvidiaSmi.COMMAND, System::nanoTime, Duration.ofSeconds(1));
    }

    /** For tests: another powercap tree and nvidia-smi command; {@code interval} null reads only on {@link #sampleNow}. */
    static EnergyMeter start(Path powercap, List<String> nvidiaSmi, LongSupplier clock, Duration interval) {
        return new EnergyMeter(powercap, nvidiaSmi, clock, interval);
    }

    /** One reading of every source. */
    synchronized void sampleNow() {
        for (Rapl.Domain d : rapl) d.read();
        if (gpu != null) gpu.read(clock);
    }

    /**
     * Takes a last reading, stops, and returns the energy used: its sources, joules, average watts,
     * joules per output token (NaN when {@code outputTokens} is 0) and seconds, or unavailable with
     * the reason naming what was tried. Call once.
     */
    public Energy stop(long outputTokens) {
        if (timer != null) {
            timer.shutdown();
            try {
                if (!timer.awaitTermination(5, TimeUnit.SECONDS)) timer.shutdownNow();
            } catch (InterruptedException e) {
                timer.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        sampleNow();
        double seconds = (clock.getAsLong() - startNanos) / 1e9;
        List<String> sources = new ArrayList<>();
        double joules = 0;
        synchronized (this) {
            for (Rapl.Domain d : rapl) {
                sources.add("rapl:" + d.name);
                joules += d.joules();
            }
            if (gpu != null) {
                for (var e : gpu.gpus().entrySet()) {
                    if (e.getValue().readings() < 2) continue; // one reading is a power, not an energy
                    sources.add("nvidia-smi:" + e.getKey());
                    joules += e.getValue().joules();
                }
            }
        }
        if (sources.isEmpty() || !(seconds > 0)) {
            String why = rapl.isEmpty() && gpu == null
                    ? raplWhyNone + ", " + gpuWhyNone
                    : "fewer than two readings of any source";
            return Energy.unavailable(why);
        }
        return Energy.measured(
                sources,
                round(joules, 1e3),
                round(joules / seconds, 1e3),
                outputTokens > 0 ? joules / outputTokens : Double.NaN,
                round(seconds, 1e3));
    }

    private static double round(double v, double scale) {
        return Math.round(v * scale) / scale;
    }
}
