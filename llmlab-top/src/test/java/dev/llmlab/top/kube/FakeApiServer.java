package dev.llmlab.top.kube;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Kubernetes API server as far as list and watch go, on a real loopback socket: collections by
 * path, each object with a resourceVersion from one counter (as etcd's), lists with their version,
 * watches that replay the events after the version asked and then stream new ones as the test makes
 * them, equality and existence label selectors and {@code metadata.name} field selectors. A test can
 * expire the history (a 410, as an answer and as an ERROR event), answer with an HTTP error, drop
 * every watch mid-stream, and stop and start again on the same port.
 */
final class FakeApiServer implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private record Event(long version, String type, ObjectNode object) {}

    private final class Collection {
        final Map<String, ObjectNode> objects = new LinkedHashMap<>();
        final List<Event> log = new ArrayList<>();
        long expiredBelow;
        int lists;
        int watches;
        int status;
        String message;
    }

    private record Watch(BlockingQueue<String> queue, Map<String, String> query) {}

    private final Map<String, Collection> collections = new HashMap<>();
    private final List<Watch> open = new CopyOnWriteArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final SSLContext tls;
    private final String token;
    private long version = 100;
    private HttpServer server;
    private ExecutorService pool;
    private int port;

    /** @param tls null for plain HTTP; @param token the bearer token to require, or null */
    FakeApiServer(SSLContext tls, String token) throws IOException {
        this.tls = tls;
        this.token = token;
        start(0);
    }

    private void start(int at) throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), at);
        if (tls != null) {
            HttpsServer s = HttpsServer.create(address, 0);
            s.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = s;
        } else server = HttpServer.create(address, 0);
        pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-api-server");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
        port = server.getAddress().getPort();
    }

    String url() {
        return (tls != null ? "https" : "http") + "://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    /** Adds or replaces {@code object} (by its metadata.name) in the collection at {@code path}. */
    synchronized void put(String path, ObjectNode object) {
        Collection c = collection(path);
        String name = key(object);
        String type = c.objects.containsKey(name) ? "MODIFIED" : "ADDED";
        ObjectNode o = stamp(object);
        c.objects.put(name, o);
        emit(path, c, type, o);
    }

    /** Deletes the object of that name (in the path's namespace, or as {@code namespace/name}). */
    synchronized void delete(String path, String name) {
        Collection c = collection(path);
        String key = name.contains("/") ? name : path.replaceFirst(".*/namespaces/([^/]+)/.*", "$1") + "/" + name;
        ObjectNode o = c.objects.remove(key);
        if (o != null) emit(path, c, "DELETED", stamp(o));
    }

    /**
     * Changes objects without telling the watches, and forgets the history before: as a compacted
     * etcd, a watch from an older version is answered 410.
     */
    synchronized void replaceQuietly(String path, List<ObjectNode> objects) {
        Collection c = collection(path);
        c.objects.clear();
        for (ObjectNode o : objects)
            c.objects.put(o.path("metadata").path("name").asString(), stamp(o));
        c.expiredBelow = version;
    }

    /** Tells the open watches of {@code path} that their version is too old: an ERROR event with a 410 Status. */
    void expire(String path) {
        String gone =
                "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                        + "\"message\":\"too old resource version\",\"reason\":\"Expired\",\"code\":410}}";
        for (Watch w : open) if (w.query().get("path").equals(path)) w.queue().add(gone);
    }

    /** Ends every open watch as the API server does at its timeoutSeconds: the body ends. */
    void endWatches() {
        for (Watch w : open) w.queue().add("END");
    }

    /** Answers every request for {@code path} with this status (0: answer again). */
    synchronized void fail(String path, int status, String message) {
        Collection c = collection(path);
        c.status = status;
        c.message = message;
    }

    /** Ends every open watch by closing its connection mid-stream. */
    void drop() {
        for (Watch w : open) w.queue().add("DROP");
    }

    synchronized int lists(String path) {
        return collection(path).lists;
    }

    synchronized int watches(String path) {
        return collection(path).watches;
    }

    List<String> requests() {
        return requests;
    }

    /** Stops answering: every connection closed, the port closed. */
    void stop() {
        drop();
        server.stop(0);
        pool.shutdownNow();
    }

    /** Answers again, on the same port. */
    void restart() throws IOException {
        start(port);
    }

    @Override
    public void close() {
        stop();
    }

    private static String key(JsonNode o) {
        return o.path("metadata").path("namespace").asString() + "/"
                + o.path("metadata").path("name").asString();
    }

    private Collection collection(String path) {
        return collections.computeIfAbsent(path, p -> new Collection());
    }

    private ObjectNode stamp(ObjectNode o) {
        ObjectNode copy = o.deepCopy();
        ((ObjectNode) copy.get("metadata")).put("resourceVersion", Long.toString(++version));
        return copy;
    }

    private void emit(String path, Collection c, String type, ObjectNode o) {
        Event e = new Event(version, type, o);
        c.log.add(e);
        for (Watch w : open)
            if (w.query().get("path").equals(path) && matches(o, w.query()))
                w.queue().add(line(e));
    }

    private static String line(Event e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", e.type());
        n.set("object", e.object());
        return n.toString();
    }

    private void handle(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getRawPath();
        Map<String, String> q = query(x.getRequestURI().getRawQuery());
        q.put("path", path);
        requests.add(path
                + (x.getRequestURI().getRawQuery() == null
                        ? ""
                        : "?" + x.getRequestURI().getRawQuery()));
        if (token != null && !("Bearer " + token).equals(x.getRequestHeaders().getFirst("Authorization"))) {
            status(x, 401, "Unauthorized");
            return;
        }
        Watch watch;
        List<String> replay = new ArrayList<>();
        synchronized (this) {
            Collection c = collections.get(path);
            if (c == null) {
                status(x, 404, "the server could not find the requested resource");
                return;
            }
            if (c.status != 0) {
                status(x, c.status, c.message);
                return;
            }
            if (!q.containsKey("watch")) {
                c.lists++;
                ObjectNode list = JSON.createObjectNode();
                list.putObject("metadata").put("resourceVersion", Long.toString(version));
                var items = list.putArray("items");
                for (ObjectNode o : c.objects.values()) if (matches(o, q)) items.add(o);
                send(x, 200, list.toString());
                return;
            }
            c.watches++;
            long from = Long.parseLong(q.getOrDefault("resourceVersion", "0"));
            if (from < c.expiredBelow) {
                status(x, 410, "too old resource version: " + from);
                return;
            }
            for (Event e : c.log) if (e.version() > from && matches(e.object(), q)) replay.add(line(e));
            watch = new Watch(new LinkedBlockingQueue<>(replay), q);
            open.add(watch);
        }
        x.getResponseHeaders().add("content-type", "application/json");
        x.sendResponseHeaders(200, 0);
        OutputStream out = x.getResponseBody();
        try {
            while (true) {
                String line = watch.queue().poll(50, TimeUnit.MILLISECONDS);
                if (line == null) continue;
                if (line.equals("DROP")) throw new IllegalStateException("the test dropped the watch");
                if (line.equals("END")) {
                    out.close();
                    return;
                }
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException("stopped");
        } finally {
            open.remove(watch);
        }
    }

    private static void status(HttpExchange x, int code, String message) throws IOException {
        ObjectNode s = JSON.createObjectNode();
        s.put("kind", "Status").put("status", "Failure").put("message", message).put("code", code);
        send(x, code, s.toString());
    }

    private static void send(HttpExchange x, int code, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("content-type", "application/json");
        x.sendResponseHeaders(code, b.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(b);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw == null) return q;
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            q.put(k, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return q;
    }

    /** Whether {@code o} passes the request's label selector ({@code k}, {@code k=v}, {@code k!=v}) and name. */
    private static boolean matches(JsonNode o, Map<String, String> q) {
        JsonNode m = o.path("metadata");
        String field = q.get("fieldSelector");
        if (field != null && !field.equals("metadata.name=" + m.path("name").asString())) return false;
        String selector = q.get("labelSelector");
        if (selector == null || selector.isEmpty()) return true;
        JsonNode labels = m.path("labels");
        for (String term : selector.split(",")) {
            if (term.contains("!=")) {
                String[] kv = term.split("!=", 2);
                if (labels.path(kv[0]).asString("").equals(kv[1])) return false;
            } else if (term.contains("=")) {
                String[] kv = term.split("=", 2);
                if (!labels.path(kv[0]).asString("").equals(kv[1])) return false;
            } else if (!labels.has(term)) return false;
        }
        return true;
    }
}
