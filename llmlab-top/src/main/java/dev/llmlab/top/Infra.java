package dev.llmlab.top;

import dev.llmlab.metrics.Quantity;

/**
 * The rows of what serves the models rather than the models: GPUs (a DCGM exporter's page) and
 * gateways (llmlab gateway, LiteLLM), each over its target's window, with the same rules as a
 * model's row: counter increases by Prometheus' reset rule, gauges as last read, NaN for what the
 * page does not export.
 */
final class Infra {
    private Infra() {}

    /** A GPU row, or null when the page reports no GPU. */
    static GpuRow gpu(String target, double seconds, Reading before, Reading after) {
        Reading.Model a = after.infra();
        if (a == null || after.gpus() == 0) return null;
        Reading.Model b = before.infra();
        return new GpuRow(
                target,
                seconds,
                after.gpus(),
                gauge(a, Quantity.GPU_UTILIZATION),
                gauge(a, Quantity.GPU_MEMORY_USED),
                gauge(a, Quantity.GPU_POWER),
                Fleet.increase(b, a, Quantity.GPU_ENERGY) / seconds);
    }

    /** A gateway row, or null when the page is no gateway's. */
    static GatewayRow gateway(String target, String kind, double seconds, Reading before, Reading after) {
        Reading.Model a = after.infra();
        if (a == null || !a.exported().contains(Quantity.GATEWAY_REQUESTS)) return null;
        Reading.Model b = before.infra();
        double requests = Fleet.increase(b, a, Quantity.GATEWAY_REQUESTS);
        double cost = Fleet.increase(b, a, Quantity.GATEWAY_COST);
        double tokens = Fleet.increase(b, a, Quantity.GATEWAY_TOKENS);
        double hits = Fleet.increase(b, a, Quantity.GATEWAY_CACHE_HITS);
        return new GatewayRow(
                target,
                kind,
                seconds,
                requests / seconds,
                cost / seconds * 3600,
                tokens > 0 ? cost / tokens * 1e6 : Double.NaN,
                requests > 0 ? hits / requests : Double.NaN,
                Fleet.increase(b, a, Quantity.GATEWAY_RETRIES) / seconds,
                gauge(a, Quantity.GATEWAY_OPEN_BREAKERS),
                Fleet.increase(b, a, Quantity.GATEWAY_KEY_COOLDOWNS) / seconds);
    }

    private static double gauge(Reading.Model m, Quantity q) {
        Double v = m.gauges().get(q);
        return v == null ? Double.NaN : v;
    }
}
