package dev.llmlab.top.kube;

import dev.llmlab.http.client.Call;
import dev.llmlab.http.client.ClientException;
import dev.llmlab.http.client.ResponseHead;
import dev.llmlab.http.client.ResponseListener;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps the objects of one resource (pods in a namespace, say) current, as client-go's reflector
 * does: it lists them, then watches from the list's {@code resourceVersion}, applying each event
 * (ADDED, MODIFIED, DELETED; BOOKMARK only moves the version on) as it arrives, so that an object
 * is known to have come or gone within one event's delivery.
 *
 * <ul>
 *   <li>A list comes in pages of {@value #PAGE}; a page's {@code continue} token that expired (410)
 *       starts the list again.
 *   <li>A watch the server ends (its {@code timeoutSeconds}) is made again from the last version
 *       seen, with no list (after the backoff when it ended at once, with nothing in it).
 *   <li>A version too old (410 Gone, as an answer or as an ERROR event) relists at once: the
 *       events in between are lost, and only a list says what is there now.
 *   <li>Any other failure (refused, timed out, dropped, an HTTP error such as 403) relists after a
 *       backoff of 1 s doubling to 30 s, reset once a watch delivers an event or lasts its time.
 *       Meanwhile the objects last known are kept, and {@link #error()} says why.
 *   <li>A custom resource may be served at several versions (LLMInferenceService at v1alpha2 and
 *       v1alpha1): a 404 tries the next one.
 * </ul>
 *
 * <p>Threading: everything but {@link #error()}, {@link #listed()} and {@link #close()} runs on the
 * API client's one event loop, where the listeners' callbacks run too; {@link #items()} is read
 * there (by {@code changed}).
 */
final class Watcher<T> {
    static final int PAGE = 500;
    static final long MAX_BACKOFF_MILLIS = 30_000;
    private static final int MAX_EVENT_BYTES = 16 * 1024 * 1024;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Where one resource is served, and what to say when it is not. */
    record Resource(List<String> versions, String plural, String missing) {}

    private final Api api;
    private final Resource resource;
    private final String namespace;
    private final String query;
    private final String what;
    private final Function<JsonNode, T> parse;
    private final Runnable changed;
    private final long firstBackoffMillis;

    private final Map<String, T> items = new HashMap<>();
    private int version;
    private String resourceVersion;
    private long backoffMillis;
    private Call call;
    /** Bumped at each request: callbacks of an older one are ignored. */
    private int generation;

    private boolean closed;
    private volatile boolean listed;
    private volatile String error;

    /**
     * @param namespace null for every namespace
     * @param query     the selectors, each as {@code &name=value}, encoded
     * @param what      what is listed, for messages ("pods in namespace llm")
     * @param changed   told on the loop after each change of {@link #items()}
     */
    Watcher(
            Api api,
            Resource resource,
            String namespace,
            String query,
            String what,
            Function<JsonNode, T> parse,
            Runnable changed,
            long firstBackoffMillis) {
        this.api = api;
        this.resource = resource;
        this.namespace = namespace;
        this.query = query;
        this.what = what;
        this.parse = parse;
        this.changed = changed;
        this.firstBackoffMillis = firstBackoffMillis;
        this.backoffMillis = firstBackoffMillis;
    }

    void start() {
        api.loop().execute(this::list);
    }

    /** The objects by {@code namespace/name}; on the loop only. */
    Map<String, T> items() {
        return items;
    }

    /** Whether a list has succeeded once. */
    boolean listed() {
        return listed;
    }

    /** Why the objects may not be current (the last list or watch failed), or null. */
    String error() {
        return error;
    }

    private String path() {
        return resource.versions().get(version) + (namespace == null ? "" : "/namespaces/" + Api.encode(namespace))
                + "/" + resource.plural();
    }

    private void list() {
        list(null, new HashMap<>());
    }

    private void list(String continueToken, Map<String, T> into) {
        if (closed) return;
        int gen = ++generation;
        String q = "?limit=" + PAGE + query + (continueToken == null ? "" : "&continue=" + Api.encode(continueToken));
        call = api.get(path() + q, new Listener(gen) {
            @Override
            void whole(int status, byte[] body, int length) {
                listed(status, body, length, into);
            }
        });
    }

    private void listed(int status, byte[] body, int length, Map<String, T> into) {
        if (status == 404 && version + 1 < resource.versions().size()) {
            version++;
            list();
            return;
        }
        if (status == 410) { // the continue token expired
            list();
            return;
        }
        if (status != 200) {
            if (status == 404) version = 0; // the next try asks each version again: one may be installed since
            fail(status == 404 && resource.missing() != null ? resource.missing() : http(status, body, length));
            return;
        }
        JsonNode page;
        try {
            page = JSON.readTree(body, 0, length);
        } catch (JacksonException e) {
            fail("the list is not JSON");
            return;
        }
        for (JsonNode o : page.path("items")) into.put(KubeObjects.key(o), parse.apply(o));
        String next = page.path("metadata").path("continue").asString("");
        if (!next.isEmpty()) {
            list(next, into);
            return;
        }
        items.clear();
        items.putAll(into);
        resourceVersion = page.path("metadata").path("resourceVersion").asString("");
        error = null;
        listed = true;
        changed.run();
        watch();
    }

    private void watch() {
        if (closed) return;
        int gen = ++generation;
        long started = System.nanoTime();
        String q = "?watch=1&allowWatchBookmarks=true&timeoutSeconds=" + Api.WATCH_SECONDS + "&resourceVersion="
                + Api.encode(resourceVersion) + query;
        call = api.get(path() + q, new Listener(gen) {
            private byte[] line = new byte[8192];
            private int length;
            private int events;

            @Override
            public Body onHead(Call c, ResponseHead head) {
                super.onHead(c, head);
                return status == 200 ? Body.STREAM : Body.WHOLE;
            }

            @Override
            public void onBody(Call c, ByteBuf content, int index, int n) {
                if (gen != generation) return;
                for (int i = index; i < index + n && gen == generation; i++) {
                    byte b = content.getByte(i);
                    if (b != '\n') {
                        if (length == line.length) {
                            if (length >= MAX_EVENT_BYTES) {
                                fail("a watch event larger than " + MAX_EVENT_BYTES / (1024 * 1024) + " MiB");
                                return;
                            }
                            line = Arrays.copyOf(line, length * 2);
                        }
                        line[length++] = b;
                    } else if (length > 0) {
                        events++;
                        int end = length;
                        length = 0;
                        event(line, end);
                    }
                }
            }

            @Override
            void whole(int status, byte[] body, int n) {
                if (status == 410) list();
                else if (status != 200) fail(http(status, body, n));
                else if (events == 0 && System.nanoTime() - started < 1_000_000_000L) {
                    // ended at once, and again if asked at once: ask again later, and later
                    long wait = backoffMillis;
                    backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF_MILLIS);
                    api.loop().schedule(Watcher.this::watch, wait, TimeUnit.MILLISECONDS);
                } else {
                    backoffMillis = firstBackoffMillis; // a watch that lasted its time: the server is well
                    watch();
                }
            }
        });
    }

    private void event(byte[] line, int length) {
        JsonNode e;
        try {
            e = JSON.readTree(line, 0, length);
        } catch (JacksonException x) {
            fail("a watch event is not JSON");
            return;
        }
        JsonNode object = e.path("object");
        String type = e.path("type").asString("");
        switch (type) {
            case "ADDED", "MODIFIED" -> items.put(KubeObjects.key(object), parse.apply(object));
            case "DELETED" -> items.remove(KubeObjects.key(object));
            case "BOOKMARK" -> {}
            case "ERROR" -> {
                if (object.path("code").asInt(0) == 410) {
                    generation++; // the rest of this watch is stale
                    call.cancel();
                    list();
                } else fail("the watch failed: " + object.path("message").asString(type));
                return;
            }
            default -> {
                fail("an unknown watch event '" + type + "'");
                return;
            }
        }
        String rv = object.path("metadata").path("resourceVersion").asString("");
        if (!rv.isEmpty()) resourceVersion = rv;
        backoffMillis = firstBackoffMillis;
        if (!type.equals("BOOKMARK")) changed.run();
    }

    private void fail(String why) {
        generation++;
        if (call != null) call.cancel();
        if (closed) return;
        long wait = backoffMillis;
        backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF_MILLIS);
        error = "cannot list " + what + ": " + why + " (retrying in "
                + (wait < 1000 ? wait + " ms" : wait / 1000 + " s") + ")";
        api.loop().schedule(this::list, wait, TimeUnit.MILLISECONDS);
    }

    /** An HTTP error as the API server explains it (its Status object's message). */
    private static String http(int status, byte[] body, int length) {
        String message = null;
        try {
            message = JSON.readTree(body, 0, length).path("message").asString(null);
        } catch (JacksonException | IllegalArgumentException e) {
            // not a Status: the body's start, if it is text
        }
        if (message == null && length > 0)
            message = new String(body, 0, Math.min(length, 200), StandardCharsets.UTF_8).strip();
        return "HTTP " + status + (message == null || message.isEmpty() ? "" : ": " + message);
    }

    /** Ends the watch; from any thread. */
    void close() {
        api.loop().execute(() -> {
            closed = true;
            generation++;
            if (call != null) call.cancel();
        });
    }

    /** A request's answer: its head's status, then its body whole (or streamed, for a watch), or its failure. */
    private abstract class Listener implements ResponseListener {
        final int gen;
        int status;

        Listener(int gen) {
            this.gen = gen;
        }

        @Override
        public Body onHead(Call c, ResponseHead head) {
            status = head.status();
            return Body.WHOLE;
        }

        abstract void whole(int status, byte[] body, int length);

        @Override
        public void onEnd(Call c, byte[] body, int length) {
            if (gen == generation && !closed) whole(status, body, length);
        }

        @Override
        public void onFailure(Call c, ClientException failure) {
            if (gen == generation && !closed) fail(failure.reason(Api.REQUEST_TIMEOUT));
        }
    }
}
