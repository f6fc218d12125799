/**
 * The spend ledger: one row per request that used tokens, with its key, team and cost, written to
 * the gateway's database in batches off the request path, and the totals budgets start from.
 */
package dev.llmlab.gateway.spend;
