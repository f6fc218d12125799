package dev.llmlab.http.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small HTTP proxy on loopback, as squid or tinyproxy would act for these requests: {@code CONNECT
 * host:port} opens a tunnel and pumps bytes both ways; an absolute-form request ({@code POST
 * http://host:port/path}) is forwarded in origin form, with the rest of the connection pumped
 * through. It keeps each request head it saw, and demands {@code Proxy-Authorization} when given
 * one (407 otherwise).
 */
final class TestProxy implements AutoCloseable {
    final List<String> heads = new CopyOnWriteArrayList<>();
    private final ServerSocket socket;
    private final String authorization;

    TestProxy(String authorization) throws IOException {
        this.authorization = authorization;
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket s = socket.accept();
                    Thread.ofVirtual().start(() -> serve(s));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    int port() {
        return socket.getLocalPort();
    }

    /** The first line of each request head the proxy saw. */
    List<String> lines() {
        return heads.stream().map(h -> h.substring(0, h.indexOf("\r\n"))).toList();
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            String head = readHead(in);
            if (head == null) return;
            heads.add(head);
            String line = head.substring(0, head.indexOf("\r\n"));
            String[] parts = line.split(" ");
            if (authorization != null
                    && !head.toLowerCase(Locale.ROOT)
                            .contains("proxy-authorization: " + authorization.toLowerCase(Locale.ROOT))) {
                client.getOutputStream()
                        .write("HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                return;
            }
            if (parts[0].equals("CONNECT")) {
                String[] hp = parts[1].split(":");
                try (Socket up = new Socket(hp[0], Integer.parseInt(hp[1]))) {
                    client.getOutputStream()
                            .write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    pump(client, up);
                }
                return;
            }
            java.net.URI target = java.net.URI.create(parts[1]); // absolute form
            try (Socket up = new Socket(target.getHost(), target.getPort())) {
                String forwarded =
                        parts[0] + " " + target.getRawPath() + " " + parts[2] + head.substring(line.length());
                up.getOutputStream().write(forwarded.getBytes(StandardCharsets.ISO_8859_1));
                pump(client, up);
            }
        } catch (IOException ignored) {
            // one side went away
        }
    }

    /** Copies both ways until either side closes. */
    private static void pump(Socket a, Socket b) throws IOException {
        Thread back = Thread.ofVirtual().start(() -> copy(b, a));
        copy(a, b);
        try {
            back.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void copy(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException ignored) {
            // closed
        } finally {
            try {
                to.shutdownOutput();
            } catch (IOException ignored) {
                // closed already
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            head.append((char) c);
            if (head.length() >= 4 && head.lastIndexOf("\r\n\r\n") == head.length() - 4) return head.toString();
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
