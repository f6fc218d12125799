package dev.llmlab.core.config;

import dev.llmlab.core.dist.Distribution;
import dev.llmlab.core.dist.Distributions.Unit;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Records standing in for real configuration in the loader's tests. */
final class TestConfigs {

    private TestConfigs() {}

    enum Mode {
        PROFILE,
        ENGINE
    }

    record SimConfig(Server server, List<Model> models, double timeScale, Mode mode) {
        SimConfig {
            models = models == null ? List.of() : List.copyOf(models);
            if (timeScale < 0) {
                throw new IllegalArgumentException("time_scale must be >= 0, got " + timeScale);
            }
        }
    }

    record Server(String host, int port, Duration idleTimeout) {
        Server {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be in 0..65535, got " + port);
            }
        }
    }

    record Model(
            String name,
            Distribution ttft,
            Distribution itl,
            @DistributionUnit(Unit.COUNT) Distribution outputTokens,
            @DistributionUnit(Unit.COUNT) List<Distribution> extraLengths,
            Map<String, Duration> timeouts) {
        Model {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("name is required");
            }
            if (ttft != null && itl != null && ttft.mean() < itl.mean()) {
                throw new IllegalArgumentException("a model whose ttft is below its itl is implausible");
            }
        }
    }

    record Limits(int min, int max) {
        Limits {
            if (min > max) {
                throw new IllegalArgumentException("the lower bound exceeds the upper bound");
            }
        }
    }

    record Root(String name, Limits limits) {}

    record Item(String name) {}
}
