package dev.llmlab.gateway.spend;

import java.time.Instant;

/**
 * What one request used, as the ledger keeps it.
 *
 * @param id        this row's own id (random), so that a batch written twice counts once
 * @param requestId the request's id, as the access log shows it (a client may choose it: not unique)
 * @param keyName   the client key's name, or null for a gateway without keys
 * @param team      the key's team, or null
 * @param microUsd  the cost in millionths of a US dollar; 0 when the model has no price
 */
public record SpendEntry(
        String id,
        Instant at,
        String requestId,
        String keyName,
        String team,
        String route,
        String model,
        long inputTokens,
        long outputTokens,
        long microUsd) {}
