package dev.llmlab.bench.session;

import dev.llmlab.api.client.ClientApi;
import dev.llmlab.bench.client.BenchClient;
import dev.llmlab.bench.client.Requests;
import dev.llmlab.bench.client.Target;
import dev.llmlab.bench.measure.Fate;
import dev.llmlab.bench.measure.RequestRecord;
import dev.llmlab.core.config.Suggestions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One request before the clock starts, as {@code vllm bench serve} sends one: a target that cannot
 * answer it (nothing listening, a URL without {@code /v1}, a model the server does not have, an
 * embeddings API asked of a chat model) would fail every request of the run, and a run of failures
 * measures nothing. Its failure stops the session with what the server said and, where one fits, a
 * hint: the URL's path, the server's own list of models, the key.
 *
 * <p>The request is the run's own kind (API, model, headers, streaming) with a short prompt of its
 * own, so that it warms no prefix a measured request will use.
 */
final class TargetCheck {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private TargetCheck() {}

    /**
     * Sends the check request and waits for its end.
     *
     * @return null when it succeeded, else why the target cannot be measured, with hints
     */
    static String run(
            BenchClient client,
            Target target,
            String nonce,
            int maxTokens,
            Duration timeout,
            tools.jackson.databind.node.ObjectNode extraBody) {
        String prompt = nonce + "Say hello.";
        byte[] body = Requests.withExtra(
                Requests.body(
                        target.api(),
                        target.model(),
                        Requests.user(prompt),
                        prompt,
                        Math.min(maxTokens, 16),
                        target.stream()),
                extraBody);
        CompletableFuture<RequestRecord> answer = new CompletableFuture<>();
        long now = System.nanoTime();
        client.send(body, 0, now, 0, answer::complete);
        RequestRecord r;
        try {
            // the client ends the request by its own --timeout; this bound only guards against a lost callback
            r = answer.get(timeout.toNanos() + TimeUnit.SECONDS.toNanos(5), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while checking the target";
        } catch (ExecutionException | TimeoutException e) {
            return "no answer to the check request within " + timeout.toSeconds() + " s";
        }
        if (r.ok()) return null;
        List<String> hints = hints(target, r, () -> models(client));
        return "the target failed the check request sent before the run ("
                + target.api().flag() + ", model " + target.model() + ", " + target.origin() + target.path() + "): "
                + (r.error() != null ? r.error() : r.errorClass())
                + (hints.isEmpty() ? "" : "\n  hint: " + String.join("\n  hint: ", hints));
    }

    /** What to try, for a failed check request; {@code models} is asked only where the server's list would help. */
    static List<String> hints(Target target, RequestRecord r, java.util.function.Supplier<List<String>> models) {
        List<String> out = new ArrayList<>();
        ClientApi api = target.api();
        String base = target.basePath();
        int status = r.status();
        if (r.fate() == Fate.CONNECTION && r.status() == 0) {
            out.add("is the server running at " + target.origin() + ", and is the port right?");
        } else if (r.fate() == Fate.TLS) {
            out.add("--ca-cert FILE trusts a private CA; --insecure checks nothing");
        } else if (r.fate() == Fate.TIMEOUT) {
            out.add("a cold server can take long to answer its first request: --timeout sets how long to wait");
        } else if (r.fate() == Fate.HTTP_STATUS) {
            if (status == 404 && !base.endsWith(api.basePath())) {
                out.add("does the URL end in " + api.basePath() + "? e.g. --url " + target.origin() + api.basePath());
            }
            if (status == 401 || status == 403) {
                out.add("the server refused the key: give --api-key, or set "
                        + String.join(
                                " or ",
                                Settings.keyVariables(api).stream()
                                        .map(v -> "$" + v)
                                        .toList()));
            }
            if (status == 405 || status == 501) {
                out.add("the server does not take POST " + target.path() + ": is it an LLM API server, and is --api ("
                        + api.flag() + ") the API it speaks?");
            }
            if (status == 400 || status == 404 || status == 422) {
                List<String> known = models.get();
                if (!known.isEmpty() && !known.contains(target.model())) {
                    String near = Suggestions.nearest(target.model(), known);
                    out.add((near != null ? "did you mean --model " + near + "? " : "")
                            + "the server lists " + (known.size() > 10 ? known.size() + " models: " : "these models: ")
                            + String.join(", ", first(known, 10)) + (known.size() > 10 ? ", ..." : ""));
                }
            }
        }
        return out;
    }

    private static List<String> first(List<String> l, int n) {
        return l.size() <= n ? l : l.subList(0, n);
    }

    /** The server's model ids ({@code GET /models}: OpenAI's and Anthropic's {@code data[].id}, Gemini's {@code models[].name}); empty when it has no such list. */
    static List<String> models(BenchClient client) {
        try {
            return modelIds(JSON.readTree(client.get("/models", Duration.ofSeconds(5))));
        } catch (IllegalStateException | JacksonException e) {
            return List.of();
        }
    }

    static List<String> modelIds(JsonNode page) {
        List<String> ids = new ArrayList<>();
        for (JsonNode m : page.path("data"))
            if (m.path("id").isString()) ids.add(m.path("id").asString());
        for (JsonNode m : page.path("models")) {
            String name = m.path("name").asString("");
            if (!name.isEmpty()) ids.add(name.startsWith("models/") ? name.substring("models/".length()) : name);
        }
        return ids;
    }
}
