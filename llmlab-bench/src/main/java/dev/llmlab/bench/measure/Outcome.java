package dev.llmlab.bench.measure;

/** How a request ended, as the client saw it; every failure is one of these classes. */
public enum Outcome {
    /** A complete answer: status 200 and, when streamed, the stream's end. */
    OK,
    /** An HTTP status other than 200. */
    HTTP_STATUS,
    /** No complete answer within the request timeout. */
    TIMEOUT,
    /** The connection could not be made, or closed before the answer was complete. */
    CONNECTION,
    /** The answer arrived but was not what the API defines (bad JSON, bad SSE framing, no terminator). */
    MALFORMED
}
