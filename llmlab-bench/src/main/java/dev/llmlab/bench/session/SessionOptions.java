package dev.llmlab.bench.session;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Every setting of a bench session, typed: the target, the prompts, the load, the targets and the
 * outputs (the flags of {@code llmlab bench}: README and docs/bench.md). Built with
 * {@link #builder()}, whose defaults are the flags' defaults. What a setting means, and which
 * combinations are refused, is checked where the session starts, with messages naming the flag.
 *
 * @param url            the base URL to measure, e.g. {@code http://host:8000/v1}; null for a local target
 * @param caCert         also trust the CA certificates of this PEM file (besides the JDK's); null for none
 * @param insecure       accept any TLS certificate for any host (no verification)
 * @param sim            measure a local target even with a {@code url}
 * @param simArgs        the local target's arguments
 * @param api            the API's flag name
 * @param model          the model id; null for the API's default
 * @param apiKey         the API key; null for the environment's
 * @param headers        extra request headers, each {@code Name: value}
 * @param stream         whether answers are streamed
 * @param maxTokens      max_tokens per request
 * @param inputTokens    prompt length: a count or a distribution
 * @param outputTokens   max_tokens drawn per request from this distribution; null for {@code maxTokens}
 * @param dataset        prompts from this file instead of synthetic ones
 * @param datasetFormat  {@code jsonl}, {@code sharegpt} or {@code trace}
 * @param concurrency    a closed loop's users
 * @param rate           an open loop's requests per second
 * @param arrival        an open loop's arrivals: constant, poisson or gamma
 * @param burstiness     gamma arrivals' shape
 * @param maxConcurrency an open loop's cap on requests in flight
 * @param duration       how long the load runs
 * @param requests       how many requests the load sends
 * @param warmup         requests sent before this are left out
 * @param cooldown       requests sent in the last of this are left out
 * @param ramp           none, linear or exponential
 * @param rampTime       the ramp's length
 * @param drain          after a {@code duration} run stops sending, how long requests in flight may take
 * @param seed           seeds prompts and schedules
 * @param reusePrompts   send the seed's exact prompts, without the run's fresh nonce (a warm prefix cache)
 * @param check          send one check request before the first run, and stop if it fails
 * @param extraBody      a JSON object whose fields are laid over every request body, or null
 * @param tokenizer      what counts tokens: a built-in encoding's name, or a tokenizer.json's path
 * @param slo            targets, e.g. {@code ttft_p95<=500ms,error_rate<=1%}
 * @param targets        a preset of targets
 * @param timeout        per-request timeout
 * @param ioThreads      client event loops; null for one per core
 * @param saturationStop stop an open loop whose queue grows without bound
 * @param scrape         Prometheus endpoints to sample each second
 * @param html           write the HTML report here
 * @param json           write the result here
 * @param quiet          show no progress line
 */
public record SessionOptions(
        String url,
        Path caCert,
        boolean insecure,
        boolean sim,
        String simArgs,
        String api,
        String model,
        String apiKey,
        List<String> headers,
        boolean stream,
        int maxTokens,
        String inputTokens,
        String outputTokens,
        Path dataset,
        String datasetFormat,
        Integer concurrency,
        Double rate,
        String arrival,
        double burstiness,
        Integer maxConcurrency,
        Duration duration,
        Long requests,
        Duration warmup,
        Duration cooldown,
        String ramp,
        Duration rampTime,
        long seed,
        boolean reusePrompts,
        boolean check,
        String extraBody,
        String tokenizer,
        String slo,
        String targets,
        Duration timeout,
        Duration drain,
        Integer ioThreads,
        boolean saturationStop,
        List<String> scrape,
        Path html,
        Path json,
        boolean quiet) {

    public SessionOptions {
        headers = headers == null ? List.of() : List.copyOf(headers);
        scrape = scrape == null ? List.of() : List.copyOf(scrape);
        if (simArgs == null) simArgs = "";
        if (tokenizer == null) tokenizer = DEFAULT_TOKENIZER;
    }

    /** The tokenizer without {@code --tokenizer}. */
    public static final String DEFAULT_TOKENIZER = "o200k_base";

    /** Whether the session measures a target it starts itself. */
    public boolean local() {
        return url == null || sim;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings by name, from the flags' defaults. */
    public static final class Builder {
        private String url;
        private Path caCert;
        private boolean insecure;
        private boolean sim;
        private String simArgs = "";
        private String api = "openai-chat";
        private String model;
        private String apiKey;
        private List<String> headers = List.of();
        private boolean stream = true;
        private int maxTokens = 128;
        private String inputTokens = "128";
        private String outputTokens;
        private Path dataset;
        private String datasetFormat = "jsonl";
        private Integer concurrency;
        private Double rate;
        private String arrival = "poisson";
        private double burstiness = 1;
        private Integer maxConcurrency;
        private Duration duration;
        private Long requests;
        private Duration warmup = Duration.ZERO;
        private Duration cooldown = Duration.ZERO;
        private String ramp = "none";
        private Duration rampTime = Duration.ZERO;
        private long seed = 1;
        private boolean reusePrompts;
        private boolean check = true;
        private String extraBody;
        private String tokenizer = DEFAULT_TOKENIZER;
        private String slo;
        private String targets;
        private Duration timeout = Duration.ofSeconds(600);
        private Duration drain = Duration.ofSeconds((long) dev.llmlab.bench.run.LoadPlan.DEFAULT_DRAIN_SECONDS);
        private Integer ioThreads;
        private boolean saturationStop = true;
        private List<String> scrape = List.of();
        private Path html;
        private Path json;
        private boolean quiet;

        private Builder() {}

        public Builder url(String v) {
            url = v;
            return this;
        }

        public Builder caCert(Path v) {
            caCert = v;
            return this;
        }

        public Builder insecure(boolean v) {
            insecure = v;
            return this;
        }

        public Builder sim(boolean v) {
            sim = v;
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

        public Builder apiKey(String v) {
            apiKey = v;
            return this;
        }

        public Builder headers(List<String> v) {
            headers = v;
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

        public Builder dataset(Path v) {
            dataset = v;
            return this;
        }

        public Builder datasetFormat(String v) {
            datasetFormat = v;
            return this;
        }

        public Builder concurrency(Integer v) {
            concurrency = v;
            return this;
        }

        public Builder rate(Double v) {
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

        public Builder maxConcurrency(Integer v) {
            maxConcurrency = v;
            return this;
        }

        public Builder duration(Duration v) {
            duration = v;
            return this;
        }

        public Builder requests(Long v) {
            requests = v;
            return this;
        }

        public Builder warmup(Duration v) {
            warmup = v;
            return this;
        }

        public Builder cooldown(Duration v) {
            cooldown = v;
            return this;
        }

        public Builder ramp(String v) {
            ramp = v;
            return this;
        }

        public Builder rampTime(Duration v) {
            rampTime = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder reusePrompts(boolean v) {
            reusePrompts = v;
            return this;
        }

        public Builder check(boolean v) {
            check = v;
            return this;
        }

        public Builder extraBody(String v) {
            extraBody = v;
            return this;
        }

        public Builder tokenizer(String v) {
            tokenizer = v;
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

        public Builder timeout(Duration v) {
            timeout = v;
            return this;
        }

        public Builder drain(Duration v) {
            drain = v;
            return this;
        }

        public Builder ioThreads(Integer v) {
            ioThreads = v;
            return this;
        }

        public Builder saturationStop(boolean v) {
            saturationStop = v;
            return this;
        }

        public Builder scrape(List<String> v) {
            scrape = v;
            return this;
        }

        public Builder html(Path v) {
            html = v;
            return this;
        }

        public Builder json(Path v) {
            json = v;
            return this;
        }

        public Builder quiet(boolean v) {
            quiet = v;
            return this;
        }

        public SessionOptions build() {
            return new SessionOptions(
                    url,
                    caCert,
                    insecure,
                    sim,
                    simArgs,
                    api,
                    model,
                    apiKey,
                    headers,
                    stream,
                    maxTokens,
                    inputTokens,
                    outputTokens,
                    dataset,
                    datasetFormat,
                    concurrency,
                    rate,
                    arrival,
                    burstiness,
                    maxConcurrency,
                    duration,
                    requests,
                    warmup,
                    cooldown,
                    ramp,
                    rampTime,
                    seed,
                    reusePrompts,
                    check,
                    extraBody,
                    tokenizer,
                    slo,
                    targets,
                    timeout,
                    drain,
                    ioThreads,
                    saturationStop,
                    scrape,
                    html,
                    json,
                    quiet);
        }
    }
}
