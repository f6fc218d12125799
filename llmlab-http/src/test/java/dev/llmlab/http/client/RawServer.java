package dev.llmlab.http.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback server over plain sockets that reads each request and lets the test answer it byte
 * for byte, or not at all: for the misbehaviours a real server will not show on demand.
 */
final class RawServer implements AutoCloseable {
    /** Answers one request on its socket. */
    interface Answer {
        void answer(Socket s, String request) throws IOException;
    }

    final ServerSocket socket;
    final List<String> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger accepted = new AtomicInteger();
    /** Told when a connection ends: the client closed it (or the server did). */
    final LinkedBlockingQueue<Integer> closed = new LinkedBlockingQueue<>();

    RawServer(Answer answer) throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket s = socket.accept();
                    int n = accepted.incrementAndGet();
                    Thread.ofVirtual().start(() -> {
                        try (s) {
                            for (String r = read(s.getInputStream()); r != null; r = read(s.getInputStream())) {
                                requests.add(r);
                                answer.answer(s, r);
                            }
                        } catch (IOException ignored) {
                            // the client went away
                        } finally {
                            closed.add(n);
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    int port() {
        return socket.getLocalPort();
    }

    /** Reads one request (head and Content-Length body); null at the end of the stream. */
    static String read(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            head.append((char) c);
            if (head.length() >= 4 && head.lastIndexOf("\r\n\r\n") == head.length() - 4) break;
        }
        if (c < 0) return null;
        String h = head.toString().toLowerCase();
        int at = h.indexOf("content-length: ");
        if (at < 0) return head.toString();
        int length = Integer.parseInt(h.substring(at + 16, h.indexOf("\r\n", at)));
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    static void write(Socket s, String wire) {
        try {
            OutputStream out = s.getOutputStream();
            out.write(wire.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
