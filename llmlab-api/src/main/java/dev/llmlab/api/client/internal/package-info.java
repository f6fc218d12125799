/**
 * Not API: what the per-API client codecs ({@code dev.llmlab.api.openai}, {@code .anthropic},
 * {@code .gemini}) share, public only because Java without modules has no other way to share
 * across packages. It may change whenever they do; use {@link dev.llmlab.api.client.ClientCodec}.
 */
package dev.llmlab.api.client.internal;
