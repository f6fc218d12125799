package dev.llmlab.top;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Headless Chromium with a page open, driven over the DevTools protocol (a WebSocket): evaluate
 * JavaScript in the page while it runs, and take screenshots. A page that keeps a stream open
 * never "finishes loading", so {@code --dump-dom} cannot be used on it; this can.
 */
final class Chromium implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration START = Duration.ofSeconds(30);

    private final Process process;
    private final HttpClient http;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> calls = new ConcurrentHashMap<>();

    /** The browser as the bench report's browser test finds it; null where none is installed. */
    static Path binary() {
        List<Path> candidates = new ArrayList<>(List.of(
                Path.of("/usr/bin/chromium"), Path.of("/usr/bin/chromium-browser"), Path.of("/usr/bin/google-chrome")));
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!d.isEmpty()) candidates.add(Path.of(d, "chromium"));
        }
        return candidates.stream().filter(Files::isExecutable).findFirst().orElse(null);
    }

    private Chromium(Process process, HttpClient http, URI debugger) {
        this.process = process;
        this.http = http;
        this.socket =
                http.newWebSocketBuilder().buildAsync(debugger, new Listener()).join();
    }

    /** Starts the browser on {@code page} in a window of that size, its profile and logs in {@code dir}. */
    static Chromium open(Path binary, URI page, int width, int height, Path dir) throws Exception {
        Path profile = Files.createTempDirectory(dir, "profile");
        Process p = new ProcessBuilder(
                        binary.toString(),
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-dev-shm-usage",
                        "--no-first-run",
                        "--disable-extensions",
                        "--hide-scrollbars",
                        "--force-device-scale-factor=1",
                        "--window-size=" + width + "," + height,
                        "--remote-debugging-address=127.0.0.1",
                        "--remote-debugging-port=0",
                        "--user-data-dir=" + profile,
                        page.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("chromium.log").toFile())
                .start();
        HttpClient http = HttpClient.newHttpClient();
        try {
            Path portFile = profile.resolve("DevToolsActivePort");
            long deadline = System.nanoTime() + START.toNanos();
            String port = null;
            while (port == null) {
                if (!p.isAlive())
                    throw new IllegalStateException(
                            "chromium exited: " + Files.readString(dir.resolve("chromium.log")));
                if (System.nanoTime() > deadline) throw new IllegalStateException("chromium did not start in " + START);
                List<String> lines = Files.exists(portFile) ? Files.readAllLines(portFile) : List.of();
                if (lines.size() >= 2) port = lines.getFirst().strip();
                else Thread.sleep(50);
            }
            URI debugger = null;
            while (debugger == null) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("no page target in " + START);
                String list;
                try {
                    list = http.send(
                                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body();
                } catch (IOException e) { // named its port a moment before it listens
                    list = "[]";
                }
                for (JsonNode t : JSON.readTree(list))
                    if (t.get("type").asString().equals("page")
                            && t.get("url").asString().startsWith(page.toString()))
                        debugger = URI.create(t.get("webSocketDebuggerUrl").asString());
                if (debugger == null) Thread.sleep(50);
            }
            Chromium browser = new Chromium(p, http, debugger);
            // the window's size less the browser's own bars would be the page's: make it the page's
            browser.call(
                    "Emulation.setDeviceMetricsOverride",
                    JSON.createObjectNode()
                            .put("width", width)
                            .put("height", height)
                            .put("deviceScaleFactor", 1)
                            .put("mobile", false));
            return browser;
        } catch (Exception | Error e) {
            http.shutdownNow();
            kill(p);
            throw e;
        }
    }

    /** Calls a DevTools method and waits for its result. */
    JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        calls.put(id, answer);
        ObjectNode m = JSON.createObjectNode().put("id", id).put("method", method);
        m.set("params", params == null ? JSON.createObjectNode() : params);
        socket.sendText(m.toString(), true).join();
        JsonNode r = answer.get(30, TimeUnit.SECONDS);
        if (r.has("error")) throw new IllegalStateException(method + ": " + r.get("error"));
        return r.get("result");
    }

    /** The value of a JavaScript expression in the page, as a string ("undefined" and "null" as such). */
    String eval(String expression) throws Exception {
        ObjectNode p = JSON.createObjectNode().put("expression", expression).put("returnByValue", true);
        JsonNode r = call("Runtime.evaluate", p);
        if (r.has("exceptionDetails")) throw new IllegalStateException(expression + ": " + r.get("exceptionDetails"));
        JsonNode v = r.get("result").get("value");
        return v == null ? r.get("result").get("type").asString() : v.isString() ? v.asString() : v.toString();
    }

    /** Waits until {@code condition} is true in the page; fails, saying what the page shows, if it never is. */
    void await(String condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        // while the page still loads, its body may not be there yet: that is "not yet", not a failure
        String test = "(function () { try { return !!(" + condition + "); } catch (e) { return false; } })()";
        while (!eval(test).equals("true")) {
            if (System.nanoTime() > deadline)
                throw new AssertionError("not within " + timeout + ": " + condition + "\nthe page's body: "
                        + eval("document.body.outerHTML.slice(0, 4000)"));
            Thread.sleep(50);
        }
    }

    /** The page as it is drawn now, a PNG of the window's size. */
    byte[] screenshot() throws Exception {
        JsonNode r = call("Page.captureScreenshot", JSON.createObjectNode().put("format", "png"));
        return Base64.getDecoder().decode(r.get("data").asString());
    }

    @Override
    public void close() {
        socket.abort();
        http.shutdownNow();
        kill(process);
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                JsonNode m = JSON.readTree(text.toString());
                text.setLength(0);
                if (m.has("id")) {
                    CompletableFuture<JsonNode> f = calls.remove(m.get("id").asInt());
                    if (f != null) f.complete(m);
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            calls.values().forEach(f -> f.completeExceptionally(error));
        }
    }
}
