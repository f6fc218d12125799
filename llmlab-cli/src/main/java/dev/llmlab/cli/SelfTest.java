package dev.llmlab.cli;

import dev.llmlab.sim.Simulator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code llmlab sim --self-test}: one request of every kind against a simulator started in the
 * same process, then exit. It is a smoke test, and the launcher's training run for the JVM's
 * start-up cache (the classes a real run loads are exactly the ones it touches).
 */
final class SelfTest {
    private SelfTest() {}

    /** Returns the failures, empty when every endpoint answered as expected. */
    static List<String> run(Simulator sim) {
        String base = "http://127.0.0.1:" + sim.port();
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        List<String> failures = new ArrayList<>();
        String chat =
                "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello!\"}],\"max_tokens\":8";
        check(client, failures, get(base + "/health"), 200, "\"ok\"");
        check(client, failures, get(base + "/v1/models"), 200, "gpt-4o");
        check(client, failures, post(base + "/v1/chat/completions", chat + "}"), 200, "chat.completion");
        check(
                client,
                failures,
                post(
                        base + "/v1/chat/completions",
                        chat + ",\"stream\":true," + "\"stream_options\":{\"include_usage\":true}}"),
                200,
                "data: [DONE]");
        check(
                client,
                failures,
                post(
                        base + "/v1/completions",
                        "{\"model\":\"gpt-3.5-turbo-instruct\",\"prompt\":\"Say this is a test\",\"max_tokens\":4}"),
                200,
                "text_completion");
        check(
                client,
                failures,
                post(base + "/v1/embeddings", "{\"model\":\"text-embedding-3-small\",\"input\":\"hello\"}"),
                200,
                "embedding");
        check(
                client,
                failures,
                post(base + "/v1/chat/completions", "{\"model\":\"nope\",\"messages\":[]}"),
                404,
                "model_not_found");
        check(client, failures, get(base + "/metrics"), 200, "vllm:e2e_request_latency_seconds");
        return failures;
    }

    private static HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).GET().build();
    }

    private static HttpRequest post(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private static void check(HttpClient client, List<String> failures, HttpRequest req, int status, String needle) {
        try {
            HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != status || !r.body().contains(needle)) {
                failures.add(req.method() + " " + req.uri().getPath() + ": status " + r.statusCode() + ", body "
                        + r.body().substring(0, Math.min(200, r.body().length())));
            }
        } catch (IOException e) {
            failures.add(req.method() + " " + req.uri().getPath() + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failures.add("interrupted");
        }
    }
}
