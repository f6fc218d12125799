/**
 * Limits and budgets reserved before the call and settled after: rates per minute, requests in
 * flight, and budgets in tokens or money per day or month, for virtual keys and teams. {@link
 * dev.llmlab.gateway.limits.Limiter} is the contract; {@link dev.llmlab.gateway.limits.LocalLimiter}
 * keeps the counts of one process.
 */
package dev.llmlab.gateway.limits;
