package dev.llmlab.top;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A reader of a Server-Sent Events stream, as a browser's EventSource parses it: its events in a queue. */
final class SseClient implements AutoCloseable {
    record Event(String id, String event, String data) {}

    private final HttpClient http = HttpClient.newHttpClient();
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    final HttpResponse<InputStream> response;
    volatile String retry;

    SseClient(URI uri) throws IOException, InterruptedException {
        response = http.send(
                HttpRequest.newBuilder(uri)
                        .header("accept", "text/event-stream")
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        Thread t = new Thread(() -> read(response.body()), "sse-client");
        t.setDaemon(true);
        t.start();
    }

    private void read(InputStream body) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String id = null, event = null;
            StringBuilder data = null;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isEmpty()) {
                    if (data != null) events.add(new Event(id, event == null ? "message" : event, data.toString()));
                    event = null;
                    data = null;
                    continue;
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
                switch (field) {
                    case "id" -> id = value;
                    case "event" -> event = value;
                    case "retry" -> retry = value;
                    case "data" ->
                        data = data == null
                                ? new StringBuilder(value)
                                : data.append('\n').append(value);
                    default -> {}
                }
            }
        } catch (IOException e) {
            // the stream was cut: the same as its end, for a reader
        } finally {
            ended.countDown();
        }
    }

    /** The next event, waiting at most {@code timeout} for it. */
    Event next(Duration timeout) throws InterruptedException {
        Event e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (e == null) throw new AssertionError("no event within " + timeout);
        return e;
    }

    /** Events received and not yet taken. */
    int pending() {
        return events.size();
    }

    boolean awaitEnd(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException e) {
            // closing what is gone
        }
        http.shutdownNow();
    }
}
