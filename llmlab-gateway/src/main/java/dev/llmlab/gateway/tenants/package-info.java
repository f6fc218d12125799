/**
 * Virtual keys and teams made through the admin API and kept in the gateway's database, with the
 * audit log of every change. Keys are kept as SHA-256 hashes; the secret is shown once.
 */
package dev.llmlab.gateway.tenants;
