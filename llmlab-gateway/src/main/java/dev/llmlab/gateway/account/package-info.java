/**
 * What each request used and cost: {@link dev.llmlab.gateway.account.TokenUsage} (reported by the
 * provider, or {@link dev.llmlab.gateway.account.UsageEstimate estimated} with a tokenizer and
 * marked so), {@link dev.llmlab.gateway.account.Prices} (the built-in table with its sources, and
 * the config's overrides) and {@link dev.llmlab.gateway.account.Cost}. No I/O beyond reading the
 * built-in table once; everything is immutable and thread-safe. Definitions and sources:
 * docs/gateway-metrics.md.
 */
package dev.llmlab.gateway.account;
