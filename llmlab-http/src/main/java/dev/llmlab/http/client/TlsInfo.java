package dev.llmlab.http.client;

/**
 * What a TLS connection agreed on.
 *
 * @param engine   {@code openssl} or {@code jdk}
 * @param protocol such as {@code TLSv1.3}
 * @param cipher   the cipher suite, such as {@code TLS_AES_128_GCM_SHA256}
 */
public record TlsInfo(String engine, String protocol, String cipher) {}
