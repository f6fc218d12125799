/**
 * What the gateway says about the requests it served: {@link
 * dev.llmlab.gateway.observe.RequestRecord}, filled once per finished request, feeds both the
 * Prometheus metrics ({@link dev.llmlab.gateway.observe.GatewayMetrics}, served on {@code GET
 * /metrics}) and the JSON access log ({@link dev.llmlab.gateway.observe.AccessLog}). Names,
 * labels, fields and their definitions: docs/gateway-metrics.md.
 */
package dev.llmlab.gateway.observe;
