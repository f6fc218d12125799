package dev.llmlab.benchmarks.jmh;

import dev.llmlab.api.openai.OpenAiRequests;
import dev.llmlab.sim.Simulator;
import dev.llmlab.sim.catalog.Catalog;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.JsonNode;

/*
 * What it measures: the real non-streaming chat request path end to end, through a real dev.llmlab.sim.Simulator
 * (built-in catalog, instant latency profile, one event loop) on 127.0.0.1, driven by a minimal blocking
 * HTTP/1.1 keep-alive client over a plain java.net.Socket, one request at a time on one connection: write
 * POST /v1/chat/completions with Fixtures.CHAT_BODY, read the whole 200 response (status line, headers,
 * Content-Length body). Each op is one round trip: the server's Netty codec, Router, GenerateHandler,
 * Generation, the JSON encoding, the response write, plus the client and two loopback syscalls each way.
 *
 * Allocation per op, split by side: -prof gc's gc.alloc.rate.norm counts every thread of the JVM (server + client
 * + anything else). Add -prof dev.llmlab.benchmarks.jmh.AllocSplitProfiler for the split:
 *   alloc.server.norm    the server's event-loop thread (llmlab-http-*): what the simulator allocates per
 *                        non-streaming request, Netty's own objects included;
 *   alloc.client.norm    the benchmark thread, i.e. this file's client (about zero: it reuses its buffers);
 *   alloc.other.norm     any other thread.
 *
 * Time per op is a loopback round trip on a shared 2-core machine where client and server compete for the
 * cores: compare it across runs of the same machine only; the allocation numbers are the stable result.
 *
 * How to run:
 *   flock /tmp/llmlab-perf.lock java -jar llmlab-benchmarks/target/benchmarks.jar RequestPathLoopback -prof gc \
 *       -prof dev.llmlab.benchmarks.jmh.AllocSplitProfiler -f 1 -wi 3 -i 5
 * `-p transport=nio` (or epoll, io_uring) pins the server's transport; the default is what `llmlab sim` picks.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g", Fixtures.NATIVE_ACCESS})
public class RequestPathLoopbackBenchmark {

    @Param({"auto"})
    public String transport;

    private Simulator sim;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private byte[] request;
    private final byte[] buf = new byte[64 * 1024];
    private int bodyStart;
    private int bodyLength;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        sim = Simulator.start(Fixtures.userConfig(transport), Catalog.LatencyOverride.NONE);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!sim.isWarm()) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("tokenizers did not load within 60 s");
            Thread.sleep(10);
        }
        byte[] body = Fixtures.chatBody();
        byte[] head = ("POST " + Fixtures.ROUTE + " HTTP/1.1\r\n"
                        + "Host: 127.0.0.1:" + sim.port() + "\r\n"
                        + "Content-Type: application/json\r\n"
                        + "Content-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        request = new byte[head.length + body.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(body, 0, request, head.length, body.length);

        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", sim.port()), 5_000);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();

        // One checked round trip: a 200 chat.completion with the expected 16 tokens.
        RequestPathBenchmark.check(request() == 200, "status " + status() + ": " + bodyText());
        JsonNode json = OpenAiRequests.readBody(buf, bodyStart, bodyLength);
        RequestPathBenchmark.check(
                json.path("object").asString().equals("chat.completion"), "not a completion: " + json);
        RequestPathBenchmark.check(
                json.path("usage").path("completion_tokens").asInt() == Fixtures.REPLY_TOKENS,
                "unexpected usage: " + json);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        AllocSplitProfiler.recordThreads(); // the server's threads end with it, before -prof sees the last iteration
        if (socket != null) socket.close();
        if (sim != null) sim.close();
    }

    /** One request and its full response on the kept-alive connection; returns the HTTP status (always 200). */
    @Benchmark
    public int request() throws IOException {
        out.write(request);
        out.flush();
        int status = readResponse();
        if (status != 200) throw new IOException("HTTP " + status + ": " + bodyText());
        return status;
    }

    /** Reads one response with a Content-Length body into {@link #buf}, allocating nothing. */
    private int readResponse() throws IOException {
        int n = 0;
        int headerEnd = -1;
        while (headerEnd < 0) {
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) throw new EOFException("connection closed after " + n + " bytes");
            int from = Math.max(0, n - 3);
            n += r;
            headerEnd = indexOfBlankLine(buf, from, n);
            if (headerEnd < 0 && n == buf.length) throw new IOException("response head larger than the buffer");
        }
        bodyStart = headerEnd;
        bodyLength = contentLength(buf, headerEnd);
        int total = headerEnd + bodyLength;
        if (total > buf.length) throw new IOException("response larger than the buffer: " + total);
        while (n < total) {
            int r = in.read(buf, n, total - n);
            if (r < 0) throw new EOFException("connection closed in the body");
            n += r;
        }
        if (n != total) throw new IOException("unexpected bytes after the response (" + (n - total) + ")");
        return status();
    }

    /** The index just after the first CRLFCRLF in buf[from, to), or -1. */
    private static int indexOfBlankLine(byte[] b, int from, int to) {
        for (int i = from; i + 3 < to; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') return i + 4;
        }
        return -1;
    }

    private static final byte[] CONTENT_LENGTH = "content-length:".getBytes(StandardCharsets.US_ASCII);

    /** The Content-Length header's value (case-insensitive name), scanning the head buf[0, headEnd). */
    private static int contentLength(byte[] b, int headEnd) throws IOException {
        int lineStart = 0;
        while (lineStart < headEnd) {
            int i = 0;
            while (i < CONTENT_LENGTH.length
                    && lineStart + i < headEnd
                    && (b[lineStart + i] | 0x20) == CONTENT_LENGTH[i]) {
                i++;
            }
            int p = lineStart + i;
            if (i == CONTENT_LENGTH.length) {
                while (b[p] == ' ') p++;
                int v = 0;
                while (b[p] >= '0' && b[p] <= '9') v = v * 10 + (b[p++] - '0');
                return v;
            }
            while (p < headEnd && b[p] != '\n') p++;
            lineStart = p + 1;
        }
        throw new IOException("response without Content-Length");
    }

    private int status() {
        return (buf[9] - '0') * 100 + (buf[10] - '0') * 10 + (buf[11] - '0');
    }

    private String bodyText() {
        return new String(buf, bodyStart, bodyLength, StandardCharsets.UTF_8);
    }
}
