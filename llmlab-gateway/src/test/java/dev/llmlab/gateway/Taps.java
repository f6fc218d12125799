package dev.llmlab.gateway;

import dev.llmlab.http.HttpServer;
import dev.llmlab.http.Router;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Observers put between the gateway and the simulator, to see what the simulator was sent: the
 * simulator counts requests in its metrics, but not which of several API keys each one carried,
 * nor the bytes a stream has produced so far.
 */
final class Taps {
    private Taps() {}

    /** One request as the simulator received it, and its answer's status. */
    record Seen(String key, String fault, int status) {}

    /**
     * An HTTP relay for whole (not streamed) OpenAI chat answers: records the key and the fault
     * header of each request, forwards it to the simulator, and relays the answer with its headers.
     */
    static final class KeyTap implements AutoCloseable {
        private static final Set<String> NOT_FORWARDED =
                Set.of("host", "connection", "content-length", "transfer-encoding", "expect", "upgrade", "keep-alive");

        final List<Seen> seen = new CopyOnWriteArrayList<>();
        private final HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        private final HttpServer server;

        KeyTap(String simulator) {
            server = HttpServer.builder()
                    .host("127.0.0.1")
                    .port(0)
                    .ioThreads(1)
                    .router(Router.builder()
                            .add("POST", "/v1/chat/completions", ex -> {
                                HttpRequest.Builder r = HttpRequest.newBuilder(
                                                URI.create(simulator + "/v1/chat/completions"))
                                        .POST(HttpRequest.BodyPublishers.ofByteArray(ByteBufUtil.getBytes(ex.body())));
                                ex.requestHeaders().forEach(h -> {
                                    if (!NOT_FORWARDED.contains(h.getKey().toLowerCase(Locale.ROOT)))
                                        r.header(h.getKey(), h.getValue());
                                });
                                String auth = ex.requestHeaders().get("authorization");
                                String key = auth == null ? null : auth.replaceFirst("^Bearer ", "");
                                String fault = ex.requestHeaders().get("x-llmlab-fault");
                                http.sendAsync(r.build(), HttpResponse.BodyHandlers.ofByteArray())
                                        .whenComplete((a, failure) -> {
                                            if (failure != null) {
                                                seen.add(new Seen(key, fault, 0));
                                                ex.abort();
                                                return;
                                            }
                                            seen.add(new Seen(key, fault, a.statusCode()));
                                            a.headers().map().forEach((name, values) -> {
                                                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))
                                                        && !name.equals(":status"))
                                                    ex.responseHeaders().set(name, values.getFirst());
                                            });
                                            ex.respond(
                                                    a.statusCode(),
                                                    a.headers()
                                                            .firstValue("content-type")
                                                            .orElse("application/json"),
                                                    Unpooled.wrappedBuffer(a.body()));
                                        });
                            })
                            .build())
                    .start();
        }

        String url() {
            return "http://127.0.0.1:" + server.port();
        }

        @Override
        public void close() {
            server.shutdownGracefully();
            http.close();
        }
    }

    /**
     * A TCP relay that counts the bytes going from the simulator to the gateway. It copies with
     * blocking sockets and a small buffer, so it holds back the simulator exactly as much as the
     * gateway holds back reading: its count is what the gateway has taken in.
     */
    static final class ByteTap implements AutoCloseable {
        final AtomicLong toGateway = new AtomicLong();
        final AtomicInteger connections = new AtomicInteger();
        private final ServerSocket listener;
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();

        ByteTap(int simulatorPort) throws IOException {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                while (!listener.isClosed()) {
                    try {
                        Socket down = listener.accept();
                        Socket up = new Socket(InetAddress.getLoopbackAddress(), simulatorPort);
                        sockets.add(down);
                        sockets.add(up);
                        connections.incrementAndGet();
                        Thread.ofVirtual().start(() -> pump(down, up, null));
                        Thread.ofVirtual().start(() -> pump(up, down, toGateway));
                    } catch (IOException e) {
                        return; // closed
                    }
                }
            });
        }

        private static void pump(Socket from, Socket to, AtomicLong count) {
            byte[] buf = new byte[8192];
            try (InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    if (count != null) count.addAndGet(n);
                }
            } catch (IOException e) {
                // either side closed: close both below
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }

        String url() {
            return "http://127.0.0.1:" + listener.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            listener.close();
            for (Socket s : sockets) s.close();
        }
    }
}
