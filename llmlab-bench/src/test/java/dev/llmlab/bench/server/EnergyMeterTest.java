package dev.llmlab.bench.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.assertj.core.data.Offset.offset;

import dev.llmlab.bench.result.ResultJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class EnergyMeterTest {
    static final long S = 1_000_000_000L;
    static final long RANGE = 262_143_328_850L;

    @TempDir
    Path dir;

    final AtomicLong now = new AtomicLong(100 * S);

    Path domain(String dirName, String name, long energyUj) throws IOException {
        Path d = Files.createDirectories(dir.resolve("powercap").resolve(dirName));
        Files.writeString(d.resolve("name"), name + "\n");
        Files.writeString(d.resolve("max_energy_range_uj"), RANGE + "\n");
        energy(d, energyUj);
        return d;
    }

    static void energy(Path domain, long uj) throws IOException {
        Files.writeString(domain.resolve("energy_uj"), uj + "\n");
    }

    /** A stand-in for nvidia-smi that prints whatever the test last wrote to power.csv. */
    List<String> fakeSmi(String csv) throws IOException {
        power(csv);
        Path script = dir.resolve("nvidia-smi");
        Files.writeString(script, "#!/bin/sh\ncat '" + dir.resolve("power.csv") + "'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return List.of(script.toString(), "--query-gpu=index,power.draw", "--format=csv,noheader,nounits");
    }

    void power(String csv) throws IOException {
        Files.writeString(dir.resolve("power.csv"), csv);
    }

    static List<String> texts(JsonNode array) {
        return array.valueStream().map(JsonNode::asString).toList();
    }

    @Test
    void rapl_countsTopLevelPackagesOnly_acrossAWraparound() throws IOException {
        Path p0 = domain("intel-rapl:0", "package-0", 1_000_000);
        domain("intel-rapl:0:0", "core", 0);
        domain("intel-rapl:0:1", "dram", 0);
        Path p1 = domain("intel-rapl:1", "package-1", RANGE - 2_000_000);
        domain("intel-rapl:2", "psys", 0);
        domain("intel-rapl-mmio:0", "package-0", 0);
        EnergyMeter m = EnergyMeter.start(
                dir.resolve("powercap"), List.of(dir.resolve("absent").toString()), now::get, null);

        now.addAndGet(S);
        energy(p0, 51_000_000); // +50 J
        energy(p1, 3_000_000); // wrapped: +2 J to the top, +3 J after
        m.sampleNow();
        now.addAndGet(S);
        energy(p0, 101_000_000); // +50 J
        energy(p1, 8_000_000); // +5 J
        JsonNode e = ResultJson.tree(m.stop(1000));

        assertThat(e.get("available").asBoolean()).isTrue();
        assertThat(texts(e.get("sources"))).containsExactly("rapl:package-0", "rapl:package-1");
        assertThat(e.get("joules").asDouble()).isCloseTo(110.0, offset(1e-9));
        assertThat(e.get("seconds").asDouble()).isEqualTo(2.0);
        assertThat(e.get("average_watts").asDouble()).isCloseTo(55.0, offset(1e-9));
        assertThat(e.get("joules_per_output_token").asDouble()).isCloseTo(0.11, offset(1e-12));
    }

    @Test
    void nvidiaSmi_integratesPowerPerGpu_skippingNotAvailable() throws IOException {
        EnergyMeter m = EnergyMeter.start(dir.resolve("no-powercap"), fakeSmi("0, 100.00\n1, [N/A]\n"), now::get, null);
        now.addAndGet(2 * S);
        power("0, 200.00\n1, 50.0\n");
        m.sampleNow();
        now.addAndGet(2 * S);
        power("0, 200.00\n1, 70.0\n");
        JsonNode e = ResultJson.tree(m.stop(0));

        // GPU 0: (100 + 200) / 2 * 2 + 200 * 2 = 700 J; GPU 1: (50 + 70) / 2 * 2 = 120 J
        assertThat(texts(e.get("sources"))).containsExactly("nvidia-smi:0", "nvidia-smi:1");
        assertThat(e.get("joules").asDouble()).isCloseTo(820.0, offset(1e-9));
        assertThat(e.get("seconds").asDouble()).isEqualTo(4.0);
        assertThat(e.get("average_watts").asDouble()).isCloseTo(205.0, offset(1e-9));
        assertThat(e.get("joules_per_output_token").isNull()).isTrue();
    }

    @Test
    void raplAndGpu_add() throws IOException {
        Path p0 = domain("intel-rapl:0", "package-0", 0);
        EnergyMeter m = EnergyMeter.start(dir.resolve("powercap"), fakeSmi("0, 10\n"), now::get, null);
        now.addAndGet(S);
        energy(p0, 30_000_000);
        JsonNode e = ResultJson.tree(m.stop(10));
        assertThat(texts(e.get("sources"))).containsExactly("rapl:package-0", "nvidia-smi:0");
        assertThat(e.get("joules").asDouble()).isCloseTo(40.0, offset(1e-9));
    }

    @Test
    void neither_isUnavailable_namingWhatWasTried_neverZero() {
        EnergyMeter m =
                EnergyMeter.start(dir.resolve("powercap"), List.of("llmlab-no-such-nvidia-smi"), now::get, null);
        now.addAndGet(S);
        JsonNode e = ResultJson.tree(m.stop(100));
        assertThat(e.toString())
                .isEqualTo("{\"available\":false,\"reason\":\"no " + dir.resolve("powercap")
                        + ", no llmlab-no-such-nvidia-smi on PATH\"}");
    }

    @Test
    void failingNvidiaSmi_andEmptyPowercap_areNotSources() throws IOException {
        Files.createDirectories(dir.resolve("powercap"));
        Path script = dir.resolve("broken-smi");
        Files.writeString(script, "#!/bin/sh\necho 'NVIDIA-SMI has failed' >&2\nexit 9\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        JsonNode e =
                ResultJson.tree(EnergyMeter.start(dir.resolve("powercap"), List.of(script.toString()), now::get, null)
                        .stop(1));
        assertThat(e.get("available").asBoolean()).isFalse();
        assertThat(e.get("reason").asString())
                .isEqualTo("no RAPL package domain under " + dir.resolve("powercap")
                        + ", nvidia-smi exited with status 9");
    }

    @Test
    void unreadableRapl_isNotASource() throws IOException {
        assumeThat(System.getProperty("user.name")).as("root reads anything").isNotEqualTo("root");
        Path p0 = domain("intel-rapl:0", "package-0", 5);
        Files.setPosixFilePermissions(p0.resolve("energy_uj"), PosixFilePermissions.fromString("---------"));
        JsonNode e = ResultJson.tree(
                EnergyMeter.start(dir.resolve("powercap"), List.of("llmlab-no-such-nvidia-smi"), now::get, null)
                        .stop(1));
        assertThat(e.get("reason").asString())
                .startsWith("RAPL energy_uj under " + dir.resolve("powercap") + " is not readable (root only)");
    }

    @Test
    void oneGpuReading_isAPowerNotAnEnergy() throws IOException {
        // The GPU vanishes after the first reading: nothing to integrate, so no source, and no 0 J.
        EnergyMeter m = EnergyMeter.start(dir.resolve("powercap"), fakeSmi("0, 100\n"), now::get, null);
        power("");
        now.addAndGet(S);
        JsonNode e = ResultJson.tree(m.stop(1));
        assertThat(e.get("available").asBoolean()).isFalse();
        assertThat(e.get("reason").asString()).isEqualTo("fewer than two readings of any source");
    }

    @Test
    void realMachine_neverThrows_andSaysWhatItFound() {
        JsonNode e = ResultJson.tree(EnergyMeter.start().stop(10));
        if (e.get("available").asBoolean()) {
            assertThat(e.get("sources")).isNotEmpty();
        } else {
            assertThat(e.get("reason").asString()).contains("powercap").contains("nvidia-smi");
        }
    }
}
