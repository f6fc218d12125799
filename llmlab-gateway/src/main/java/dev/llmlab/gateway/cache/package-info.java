/**
 * The exact cache: answers kept by a hash of the whole normalised request ({@link
 * dev.llmlab.gateway.cache.CacheKey}), scoped to a tenant and a model, in this process and in a
 * shared Redis ({@link dev.llmlab.gateway.cache.ExactCache}), and what a request says of it
 * ({@link dev.llmlab.gateway.cache.CacheDirectives}).
 */
package dev.llmlab.gateway.cache;
