package dev.llmlab.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A blocking HTTP/1.1 client over a raw socket, for what java.net.http hides: pipelining, exact bytes, half
 * read streams, stalled readers. Every read has a timeout so a broken server fails the test instead of hanging.
 */
final class RawClient implements AutoCloseable {

    record Response(String version, int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    /** Parses bytes already captured (e.g. from an EmbeddedChannel); cannot send. */
    RawClient(InputStream captured) {
        socket = null;
        in = new BufferedInputStream(captured);
        out = OutputStream.nullOutputStream();
    }

    RawClient(int port) throws IOException {
        this(port, 0);
    }

    RawClient(int port, int receiveBufferSize) throws IOException {
        socket = new Socket();
        if (receiveBufferSize > 0) {
            socket.setReceiveBufferSize(receiveBufferSize); // before connect, so the window is small from the start
        }
        socket.setSoTimeout(5_000);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    RawClient send(String raw) throws IOException {
        return send(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawClient send(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
        return this;
    }

    static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
    }

    /** Reads one full response; a chunked body is returned de-chunked. */
    Response read() throws IOException {
        Response head = readHead();
        String te = head.header("transfer-encoding");
        String cl = head.header("content-length");
        String body;
        if (te != null && te.equalsIgnoreCase("chunked")) {
            StringBuilder sb = new StringBuilder();
            String chunk;
            while ((chunk = readChunk()) != null) {
                sb.append(chunk);
            }
            body = sb.toString();
        } else if (cl != null) {
            body = new String(in.readNBytes(Integer.parseInt(cl)), StandardCharsets.UTF_8);
        } else if (head.status() / 100 == 1 || head.status() == 204) {
            body = "";
        } else {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        return new Response(head.version(), head.status(), head.headers(), body);
    }

    /** Reads a status line and headers. */
    Response readHead() throws IOException {
        String status = readLine();
        if (status == null) {
            throw new IOException("connection closed before a response");
        }
        String[] parts = status.split(" ", 3);
        Map<String, String> headers = new LinkedHashMap<>();
        String line;
        while ((line = readLine()) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            headers.put(
                    line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    line.substring(colon + 1).trim());
        }
        return new Response(parts[0], Integer.parseInt(parts[1]), headers, "");
    }

    /** Reads one chunk of a chunked body; null for the terminating chunk. */
    String readChunk() throws IOException {
        String sizeLine = readLine();
        if (sizeLine == null) {
            throw new IOException("connection closed inside a chunked body");
        }
        int size = Integer.parseInt(sizeLine.trim(), 16);
        if (size == 0) {
            String line;
            while ((line = readLine()) != null && !line.isEmpty()) {
                // trailers
            }
            return null;
        }
        byte[] data = in.readNBytes(size);
        readLine(); // CRLF after the chunk
        return new String(data, StandardCharsets.UTF_8);
    }

    /** Reads and discards chunks until {@code marker} was seen in one; returns the bytes read. */
    long readChunksUntil(String marker) throws IOException {
        long total = 0;
        String chunk;
        while ((chunk = readChunk()) != null) {
            total += chunk.length();
            if (chunk.contains(marker)) {
                return total;
            }
        }
        throw new IOException("stream ended without " + marker);
    }

    /** True if the server closed the connection (EOF or reset) before any further byte arrived. */
    boolean closedByPeer() throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketException e) {
            return true; // reset
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    static List<Response> readAll(RawClient c, int n) throws IOException {
        List<Response> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(c.read());
        }
        return all;
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.close();
        }
    }
}
