package dev.llmlab.top;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * top's config file ({@code llmlab top --config top.yaml}): what to watch, how often, and the SLOs
 * to track. Every key is optional; a flag given on the command line wins over the file. The keys
 * are in docs/top.md.
 *
 * @param targets    metrics URLs, as on the command line
 * @param prometheus a Prometheus server to read the fleet from instead
 * @param cost       what a replica costs, for the cost per million tokens
 */
public record TopConfig(
        List<String> targets,
        PrometheusSource prometheus,
        Duration window,
        Duration interval,
        Duration timeout,
        List<Slo> slos,
        Alerts alerts,
        Cost cost) {
    /** @param selector label matchers every series must also match, or null */
    public record PrometheusSource(String url, String selector) {
        public PrometheusSource {
            if (url == null || url.isBlank()) throw new IllegalArgumentException("prometheus needs a url");
        }
    }

    /**
     * When SLO burn alerts, and where they go; see {@link Objectives}.
     *
     * @param webhook a URL that alerts are POSTed to as JSON when they fire and resolve
     */
    public record Alerts(Objectives.Rule page, Objectives.Rule ticket, String webhook, Duration trend) {}

    /**
     * What serving costs, for {@code $/M OUT}: {@code gpuHour} times {@code gpusPerReplica} times a
     * model's replicas, over its output tokens in the window.
     *
     * @param gpuHour        the price of one GPU for an hour, in dollars
     * @param gpusPerReplica GPUs each replica holds (default 1)
     */
    public record Cost(Double gpuHour, Integer gpusPerReplica) {
        public Cost {
            if (gpuHour == null || !(gpuHour > 0))
                throw new IllegalArgumentException("cost needs a gpu_hour price above 0");
            if (gpusPerReplica == null) gpusPerReplica = 1;
            if (gpusPerReplica < 1) throw new IllegalArgumentException("gpus_per_replica must be at least 1");
        }

        /** Dollars an hour for {@code replicas} replicas. */
        public double perHour(int replicas) {
            return gpuHour * gpusPerReplica * replicas;
        }
    }

    public TopConfig {
        targets = targets == null ? List.of() : List.copyOf(targets);
        slos = slos == null ? List.of() : List.copyOf(slos);
        if (!targets.isEmpty() && prometheus != null)
            throw new IllegalArgumentException("give either targets or prometheus, not both");
        objectives(slos, alerts); // validates the SLOs together (names, windows, webhook)
    }

    /** The SLOs and their alerting, as top tracks them. */
    public Objectives objectives() {
        return objectives(slos, alerts);
    }

    private static Objectives objectives(List<Slo> slos, Alerts alerts) {
        if (alerts == null) return new Objectives(slos, null, null, null, null);
        URI webhook;
        try {
            webhook = alerts.webhook() == null ? null : new URI(alerts.webhook());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("alerts.webhook is not a URL: " + alerts.webhook());
        }
        return new Objectives(slos, alerts.page(), alerts.ticket(), webhook, alerts.trend());
    }
}
