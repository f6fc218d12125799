package dev.llmlab.bench.result;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * The server's own view of a run ({@code --scrape}): per scraped endpoint, its samples of requests
 * running and waiting and KV-cache use (docs/server-metrics.md).
 */
public record Server(List<Source> sources) {
    public Server {
        sources = sources == null ? List.of() : List.copyOf(sources);
    }

    /**
     * One scraped endpoint.
     *
     * @param kind   the server it looked like ({@code vllm}, {@code llmlab}, ..., {@code unknown})
     * @param error  why not one sample could be read; null when any was
     * @param model  the model whose series the samples read (with the series that name no model), when
     *               the page labels its series by model and the benchmarked model is among them; null
     *               when every series was read
     * @param models the models the page labelled its series with (the first 32, sorted); empty when none
     */
    public record Source(
            String url,
            String kind,
            String error,
            List<Sample> samples,
            @JsonInclude(JsonInclude.Include.NON_NULL) String model,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> models) {
        public Source {
            samples = samples == null ? List.of() : List.copyOf(samples);
            models = models == null ? List.of() : List.copyOf(models);
        }

        /** A source whose page labels no models. */
        public Source(String url, String kind, String error, List<Sample> samples) {
            this(url, kind, error, samples, null, List.of());
        }
    }

    /**
     * One sample, at {@code second} since the run began; a figure the server did not give is NaN.
     * Gauges of requests are counts, so whole values are written as integers.
     */
    public record Sample(
            double second,
            @JsonSerialize(using = ResultJson.Whole.class) double running,
            @JsonSerialize(using = ResultJson.Whole.class) double waiting,
            double kvCacheUsage) {}
}
