package dev.llmlab.bench.result;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.JsonNode;

/**
 * Where a run ran: llmlab's version, the JDK, the machine, how the client reached the target, and
 * what the target said of itself.
 *
 * @param memoryBytes  the machine's physical memory
 * @param targetModels the target's {@code GET /models} answer as it sent it (its own JSON, kept as
 *                     is), or a string saying why it was unavailable
 * @param transport    the client's I/O transport ({@code epoll} or {@code nio}); absent in results
 *                     written before it was recorded
 * @param tls          how an https target was reached; absent for plain http
 * @param proxy        the proxies the client used, as the environment named them; absent for none
 */
public record Environment(
        String llmlabVersion,
        String jdk,
        String os,
        int cores,
        String cpu,
        long memoryBytes,
        JsonNode targetModels,
        @JsonInclude(JsonInclude.Include.NON_NULL) String transport,
        @JsonInclude(JsonInclude.Include.NON_NULL) Tls tls,
        @JsonInclude(JsonInclude.Include.NON_NULL) String proxy) {

    /**
     * The TLS of an https target.
     *
     * @param engine   {@code openssl} (netty-tcnative's BoringSSL) or {@code jdk}
     * @param protocol the first connection's protocol ({@code TLSv1.3}); null if none was made
     * @param cipher   the first connection's cipher suite; null if none was made
     * @param verified whether certificates and host names were verified (false with {@code --insecure})
     */
    public record Tls(String engine, String protocol, String cipher, boolean verified) {}

    public Environment {
        targetModels = targetModels == null ? null : targetModels.deepCopy();
    }

    /** Without how the client reached the target (a result read from an older file, a test's). */
    public Environment(
            String llmlabVersion,
            String jdk,
            String os,
            int cores,
            String cpu,
            long memoryBytes,
            JsonNode targetModels) {
        this(llmlabVersion, jdk, os, cores, cpu, memoryBytes, targetModels, null, null, null);
    }

    @Override
    public JsonNode targetModels() {
        return targetModels == null ? null : targetModels.deepCopy();
    }
}
