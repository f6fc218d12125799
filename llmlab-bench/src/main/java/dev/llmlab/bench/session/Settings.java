package dev.llmlab.bench.session;

import dev.llmlab.api.client.ClientApi;
import dev.llmlab.bench.load.Arrivals;
import dev.llmlab.bench.load.Schedule;
import dev.llmlab.bench.run.LoadPlan;
import dev.llmlab.core.time.Durations;
import dev.llmlab.core.token.Tokenizer;
import dev.llmlab.core.token.Tokenizers;
import java.util.Locale;
import java.util.Map;

/**
 * The session's settings read into what the run uses, each refused with a message naming its flag:
 * the load plan, the tokenizer, the extra body, the API key from the environment.
 */
final class Settings {
    private Settings() {}

    /**
     * The settings' plan, with the load replaced when {@code concurrency} or {@code rate} is given
     * (a scenario's level); without a bound, {@code defaultSeconds} (or 64 requests when it is 0).
     *
     * @throws BenchException (usage) for a plan the settings make impossible
     */
    static LoadPlan plan(SessionOptions o, Integer concurrency, Double rate, double defaultSeconds) {
        checkLoadValues(o);
        boolean given = concurrency != null || rate != null;
        Integer c = given ? concurrency : o.concurrency();
        Double r = given ? rate : o.rate();
        boolean open = r != null;
        double seconds = o.duration() != null ? Durations.toSeconds(o.duration()) : 0;
        long n = o.requests() != null ? o.requests() : 0;
        if (seconds <= 0 && n <= 0) {
            if (defaultSeconds > 0) seconds = defaultSeconds;
            else n = 64;
        }
        try {
            return new LoadPlan(
                    open ? 0 : c != null ? c : 8,
                    open ? r : 0,
                    Arrivals.parse(o.arrival(), o.burstiness()),
                    o.maxConcurrency() != null ? o.maxConcurrency() : 0,
                    seconds,
                    n,
                    Durations.toSeconds(o.warmup()),
                    Durations.toSeconds(o.cooldown()),
                    Schedule.Ramp.valueOf(o.ramp().toUpperCase(Locale.ROOT)),
                    Durations.toSeconds(o.rampTime()),
                    o.seed(),
                    Durations.toSeconds(o.drain()));
        } catch (IllegalArgumentException e) {
            throw BenchException.usage(e.getMessage());
        }
    }

    /** Each load flag's own value, refused with what is wrong with it before the flags are combined. */
    private static void checkLoadValues(SessionOptions o) {
        if (o.rate() != null && !(o.rate() > 0 && Double.isFinite(o.rate()))) {
            throw BenchException.usage("--rate must be a positive number of requests per second, got " + o.rate());
        }
        if (o.concurrency() != null && o.concurrency() < 1) {
            throw BenchException.usage("--concurrency must be at least 1 request in flight, got " + o.concurrency());
        }
        if (o.maxConcurrency() != null && o.maxConcurrency() < 1) {
            throw BenchException.usage("--max-concurrency must be at least 1, got " + o.maxConcurrency());
        }
        if (o.requests() != null && o.requests() < 1) {
            throw BenchException.usage("--requests must be at least 1, got " + o.requests());
        }
    }

    /**
     * The tokenizer {@code --tokenizer} names: a built-in encoding, or a tokenizer.json, read now.
     *
     * @throws BenchException (usage) naming the file and what is wrong with it; (runtime) when this
     *     machine cannot load the tokenizers library
     */
    static Tokenizer tokenizer(String nameOrFile) {
        try {
            return Tokenizers.forNameOrFile(nameOrFile);
        } catch (IllegalArgumentException e) {
            throw BenchException.usage("--tokenizer " + e.getMessage());
        } catch (IllegalStateException e) {
            throw new BenchException(BenchException.Kind.RUNTIME, "--tokenizer " + nameOrFile + ": " + e.getMessage());
        }
    }

    /** {@code --extra-body}'s JSON object, or null without one. */
    static tools.jackson.databind.node.ObjectNode extraBody(String json) {
        if (json == null || json.isBlank()) return null;
        tools.jackson.databind.JsonNode n;
        try {
            n = tools.jackson.databind.json.JsonMapper.builder().build().readTree(json);
        } catch (tools.jackson.core.JacksonException e) {
            throw new IllegalArgumentException("--extra-body: " + dev.llmlab.core.io.Problems.notJson(e));
        }
        if (!(n instanceof tools.jackson.databind.node.ObjectNode o))
            throw new IllegalArgumentException("--extra-body must be a JSON object, such as '{\"ignore_eos\": true}'");
        return o;
    }

    /** The key the environment holds for the API: {@code LLMLAB_API_KEY} first, then the provider's own variable. */
    static String envKey(ClientApi api, Map<String, String> env) {
        for (String v : keyVariables(api)) {
            String k = env.get(v);
            if (k != null) return k;
        }
        return null;
    }

    /** The variables a key is read from, in the order they are tried: llmlab's own, then the provider's. */
    static java.util.List<String> keyVariables(ClientApi api) {
        return switch (api) {
            case ANTHROPIC_MESSAGES -> java.util.List.of("LLMLAB_API_KEY", "ANTHROPIC_API_KEY");
            case GEMINI -> java.util.List.of("LLMLAB_API_KEY", "GEMINI_API_KEY", "GOOGLE_API_KEY");
            default -> java.util.List.of("LLMLAB_API_KEY", "OPENAI_API_KEY");
        };
    }
}
