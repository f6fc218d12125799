/**
 * Where the gateway's state lives beyond one request: the connections to the stores that several
 * gateways share (Redis) and that outlast them (an embedded database or PostgreSQL).
 */
package dev.llmlab.gateway.state;
