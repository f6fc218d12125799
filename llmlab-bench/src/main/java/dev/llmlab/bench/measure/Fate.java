package dev.llmlab.bench.measure;

/**
 * The fate of one request, as the client saw it: it was answered, or it failed in one of these
 * classes. A result's {@code errors} counts failures by the lower-case name (an HTTP status by
 * {@code http_NNN}).
 */
public enum Fate {
    /** A complete answer: status 200 and, when streamed, the stream's end. */
    OK,
    /** An HTTP status other than 200. */
    HTTP_STATUS,
    /** No complete answer within the request timeout. */
    TIMEOUT,
    /**
     * The connection could not be made (refused, unresolved, no tunnel from a proxy, no connection
     * within the timeout), or closed before the answer was complete. (A stopped run's abandoned
     * requests end so too, but a stopped run records nothing more: they are counted nowhere.)
     */
    CONNECTION,
    /** The TLS handshake failed: the server's certificate was refused (unknown CA, expired, another host's). */
    TLS,
    /** The answer arrived but was not what the API defines (bad JSON, bad SSE framing, no terminator). */
    MALFORMED,
    /**
     * The server began a 200 answer and then reported an error inside it (Anthropic's {@code error}
     * event, an OpenAI-style {@code {"error": ...}} chunk, the Responses API's {@code response.failed}).
     */
    STREAM_ERROR
}
