/**
 * The admin API ({@code /admin/...}): virtual keys and teams, the audit log and spend, over HTTP
 * on the gateway's own port, for {@code llmlab gateway keys|teams|audit|spend} and for scripts.
 */
package dev.llmlab.gateway.admin;
