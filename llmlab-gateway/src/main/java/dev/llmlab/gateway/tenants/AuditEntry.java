package dev.llmlab.gateway.tenants;

import java.time.Instant;

/**
 * One admin action: who did what to which key or team, and when.
 *
 * @param actor  the admin key's name, and the address it came from
 * @param action such as {@code key.create}, {@code key.rotate}, {@code key.revoke}, {@code team.update}
 * @param detail what changed, as JSON (never a secret)
 */
public record AuditEntry(long id, Instant at, String actor, String action, String target, String detail) {}
