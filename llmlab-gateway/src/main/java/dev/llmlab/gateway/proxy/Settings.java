package dev.llmlab.gateway.proxy;

import dev.llmlab.gateway.account.Prices;
import dev.llmlab.gateway.config.RetryConfig;
import dev.llmlab.gateway.reliability.RetryBudget;
import dev.llmlab.gateway.route.Routes;

/**
 * What the request path reads of the config, as one immutable snapshot: a reload makes a new one
 * and swaps it in whole, so that a request sees one config from its start to its end, and requests
 * in flight (streams included) finish on the snapshot they began with.
 *
 * @param routes     the routes by model name
 * @param clientKeys the keys clients must send
 * @param retry      the retry policy
 * @param budget     the retries the gateway may still add; kept across reloads
 * @param prices     the price table with the config's overrides
 * @param limits     the client keys' limits; their counts kept across reloads
 * @param caches     the routes that keep answers in the exact cache; the cache kept across reloads
 */
public record Settings(
        Routes routes,
        ClientKeys clientKeys,
        RetryConfig retry,
        RetryBudget budget,
        Prices prices,
        ClientLimits limits,
        RouteCaches caches) {}
