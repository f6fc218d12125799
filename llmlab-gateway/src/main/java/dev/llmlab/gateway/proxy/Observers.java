package dev.llmlab.gateway.proxy;

import dev.llmlab.gateway.account.UsageEstimate;
import dev.llmlab.gateway.observe.AccessLog;
import dev.llmlab.gateway.observe.GatewayMetrics;
import dev.llmlab.gateway.spend.SpendLog;

/**
 * What every request reports to, for the gateway's whole life (a reload keeps them).
 *
 * @param metrics   the Prometheus metrics
 * @param accessLog one JSON line per request
 * @param estimate  the token count used when a provider reports no usage
 * @param spend     the spend ledger: one row per request that used tokens; null for none
 */
public record Observers(GatewayMetrics metrics, AccessLog accessLog, UsageEstimate estimate, SpendLog spend) {
    public Observers(GatewayMetrics metrics, AccessLog accessLog, UsageEstimate estimate) {
        this(metrics, accessLog, estimate, null);
    }
}
