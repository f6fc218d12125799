package dev.llmlab.bench.result;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * Every setting of a run, resolved (docs/bench.md, {@code config}). Built with {@link #builder()};
 * a scenario or a merge changes a copy through {@link #toBuilder()}.
 *
 * @param embeddedSim     whether bench measured a simulator it started itself
 * @param inputTokens     the prompt length: a count, or a distribution's spec ("uniform(min=1,max=9)")
 * @param outputTokens    max_tokens drawn per request: a count, a distribution's spec, or null for {@code maxTokens}
 * @param concurrency     a closed loop's users (0 in an open loop)
 * @param rate            an open loop's rate (0 in a closed loop)
 * @param maxConcurrency  an open loop's cap on requests in flight; 0 for none
 * @param durationS       seconds the load runs; 0 when it is bounded by {@code requests}
 * @param requests        requests the load sends; 0 when it is bounded by {@code durationS}
 * @param promptNonce     the opening every prompt of this run had (docs/bench.md, prompts and the prefix
 *                        cache); null with {@code --reuse-prompts}
 * @param tokenizer       what counted tokens (prompt lengths, the check of the server's usage): {@code o200k_base},
 *                        {@code cl100k_base}, or {@code file:} and a tokenizer.json's file name; null (absent)
 *                        in a result written before the field existed, which counted with o200k_base
 * @param shard           {@code I/N} for a shard of a distributed run, else null
 * @param scenario        the scenario that ran this result's levels; null for a single run
 * @param secondsPerPoint how long each level of a scenario ran, NaN when its levels ran a number of requests;
 *                        null for a single run
 * @param mergedFrom      how many shards' results a merged result came from; null otherwise
 * @param mergedShards    those shards' {@code shard}, in order; null otherwise
 */
public record RunConfig(
        String url,
        boolean embeddedSim,
        String simArgs,
        String api,
        String model,
        boolean stream,
        int maxTokens,

        @JsonSerialize(using = ResultJson.CountOrSpec.class)
        @JsonDeserialize(using = ResultJson.CountOrSpecReader.class)
        String inputTokens,

        @JsonSerialize(using = ResultJson.CountOrSpec.class)
        @JsonDeserialize(using = ResultJson.CountOrSpecReader.class)
        String outputTokens,

        Mode mode,
        int concurrency,
        double rate,
        String arrival,
        double burstiness,
        int maxConcurrency,
        double durationS,
        long requests,
        double warmupS,
        double cooldownS,
        String ramp,
        double rampS,
        long seed,
        @JsonInclude(JsonInclude.Include.NON_NULL) String promptNonce,
        String slo,
        String targets,
        double timeoutS,
        int ioThreads,
        @JsonInclude(JsonInclude.Include.NON_NULL) String tokenizer,
        String shard,
        String dataset,
        String datasetFormat,
        @JsonInclude(JsonInclude.Include.NON_NULL) Sweep.Kind scenario,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double secondsPerPoint,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer mergedFrom,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<String> mergedShards) {

    public RunConfig {
        if (mergedShards != null) mergedShards = List.copyOf(mergedShards);
    }

    /** How the load was offered. */
    public enum Mode {
        /** Users that each wait for an answer before sending again. */
        @JsonProperty("closed")
        CLOSED,
        /** Requests at scheduled times, whatever the answers do. */
        @JsonProperty("open")
        OPEN,
        /** An open loop whose rate follows a shape. */
        @JsonProperty("stress")
        STRESS
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.url = url;
        b.embeddedSim = embeddedSim;
        b.simArgs = simArgs;
        b.api = api;
        b.model = model;
        b.stream = stream;
        b.maxTokens = maxTokens;
        b.inputTokens = inputTokens;
        b.outputTokens = outputTokens;
        b.mode = mode;
        b.concurrency = concurrency;
        b.rate = rate;
        b.arrival = arrival;
        b.burstiness = burstiness;
        b.maxConcurrency = maxConcurrency;
        b.durationS = durationS;
        b.requests = requests;
        b.warmupS = warmupS;
        b.cooldownS = cooldownS;
        b.ramp = ramp;
        b.rampS = rampS;
        b.seed = seed;
        b.promptNonce = promptNonce;
        b.slo = slo;
        b.targets = targets;
        b.timeoutS = timeoutS;
        b.ioThreads = ioThreads;
        b.tokenizer = tokenizer;
        b.shard = shard;
        b.dataset = dataset;
        b.datasetFormat = datasetFormat;
        b.scenario = scenario;
        b.secondsPerPoint = secondsPerPoint;
        b.mergedFrom = mergedFrom;
        b.mergedShards = mergedShards;
        return b;
    }

    /** Settings by name; what is not set is absent (null, 0, or NaN for a figure). */
    public static final class Builder {
        private String url;
        private boolean embeddedSim;
        private String simArgs;
        private String api;
        private String model;
        private boolean stream;
        private int maxTokens;
        private String inputTokens;
        private String outputTokens;
        private Mode mode;
        private int concurrency;
        private double rate = Double.NaN;
        private String arrival;
        private double burstiness = Double.NaN;
        private int maxConcurrency;
        private double durationS = Double.NaN;
        private long requests;
        private double warmupS = Double.NaN;
        private double cooldownS = Double.NaN;
        private String ramp;
        private double rampS = Double.NaN;
        private long seed;
        private String promptNonce;
        private String slo;
        private String targets;
        private double timeoutS = Double.NaN;
        private int ioThreads;
        private String tokenizer;
        private String shard;
        private String dataset;
        private String datasetFormat;
        private Sweep.Kind scenario;
        private Double secondsPerPoint;
        private Integer mergedFrom;
        private List<String> mergedShards;

        private Builder() {}

        public Builder url(String v) {
            url = v;
            return this;
        }

        public Builder embeddedSim(boolean v) {
            embeddedSim = v;
            return this;
        }

        public Builder simArgs(String v) {
            simArgs = v;
            return this;
        }

        public Builder api(String v) {
            api = v;
            return this;
        }

        public Builder model(String v) {
            model = v;
            return this;
        }

        public Builder stream(boolean v) {
            stream = v;
            return this;
        }

        public Builder maxTokens(int v) {
            maxTokens = v;
            return this;
        }

        public Builder inputTokens(String v) {
            inputTokens = v;
            return this;
        }

        public Builder outputTokens(String v) {
            outputTokens = v;
            return this;
        }

        public Builder mode(Mode v) {
            mode = v;
            return this;
        }

        public Builder concurrency(int v) {
            concurrency = v;
            return this;
        }

        public Builder rate(double v) {
            rate = v;
            return this;
        }

        public Builder arrival(String v) {
            arrival = v;
            return this;
        }

        public Builder burstiness(double v) {
            burstiness = v;
            return this;
        }

        public Builder maxConcurrency(int v) {
            maxConcurrency = v;
            return this;
        }

        public Builder durationS(double v) {
            durationS = v;
            return this;
        }

        public Builder requests(long v) {
            requests = v;
            return this;
        }

        public Builder warmupS(double v) {
            warmupS = v;
            return this;
        }

        public Builder cooldownS(double v) {
            cooldownS = v;
            return this;
        }

        public Builder ramp(String v) {
            ramp = v;
            return this;
        }

        public Builder rampS(double v) {
            rampS = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder promptNonce(String v) {
            promptNonce = v;
            return this;
        }

        public Builder slo(String v) {
            slo = v;
            return this;
        }

        public Builder targets(String v) {
            targets = v;
            return this;
        }

        public Builder timeoutS(double v) {
            timeoutS = v;
            return this;
        }

        public Builder ioThreads(int v) {
            ioThreads = v;
            return this;
        }

        public Builder tokenizer(String v) {
            tokenizer = v;
            return this;
        }

        public Builder shard(String v) {
            shard = v;
            return this;
        }

        public Builder dataset(String v) {
            dataset = v;
            return this;
        }

        public Builder datasetFormat(String v) {
            datasetFormat = v;
            return this;
        }

        public Builder scenario(Sweep.Kind v) {
            scenario = v;
            return this;
        }

        public Builder secondsPerPoint(Double v) {
            secondsPerPoint = v;
            return this;
        }

        /** Marks the config as a merge of shards with these {@code shard} values (its own shard cleared). */
        public Builder mergedFrom(List<String> shards) {
            shard = null;
            mergedFrom = shards.size();
            mergedShards = List.copyOf(shards);
            return this;
        }

        public RunConfig build() {
            return new RunConfig(
                    url,
                    embeddedSim,
                    simArgs,
                    api,
                    model,
                    stream,
                    maxTokens,
                    inputTokens,
                    outputTokens,
                    mode,
                    concurrency,
                    rate,
                    arrival,
                    burstiness,
                    maxConcurrency,
                    durationS,
                    requests,
                    warmupS,
                    cooldownS,
                    ramp,
                    rampS,
                    seed,
                    promptNonce,
                    slo,
                    targets,
                    timeoutS,
                    ioThreads,
                    tokenizer,
                    shard,
                    dataset,
                    datasetFormat,
                    scenario,
                    secondsPerPoint,
                    mergedFrom,
                    mergedShards);
        }
    }
}
