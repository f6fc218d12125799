package dev.llmlab.bench.result;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One second of a run's per-second series, by the second (since the run began) in which requests
 * ended. Latency percentiles in ms, from the actual send, NaN when no request of the kind ended in
 * it; that second's histograms encoded (null when none), so that shards merge exactly.
 *
 * @param requests    requests completed
 * @param errors      requests failed
 * @param targetRate  in an open loop, the requests whose intended send fell in this second (the
 *                    offered load); null otherwise
 * @param tokenEvents by arrival rather than by request end: the token-bearing stream events that
 *                    arrived in this second, of every recorded request, failed ones included (what
 *                    the wire delivered, second by second, however long the streams); null in a
 *                    result written before the field existed
 */
public record Second(
        int second,
        long requests,
        long outputTokens,
        long errors,
        double ttftP50,
        double ttftP99,
        String ttftHistogram,
        double e2eP50,
        double e2eP99,
        String e2eHistogram,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long targetRate,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long tokenEvents) {}
