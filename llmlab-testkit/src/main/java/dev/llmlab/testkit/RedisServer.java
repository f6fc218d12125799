package dev.llmlab.testkit;

import java.io.IOException;
import java.util.List;

/**
 * A real {@code redis-server} (Debian's package) on a free loopback port, with nothing saved to
 * disk, for the tests of the gateway's shared state. {@link #restart} stops it and starts an empty
 * one on the same port, as a Redis that crashed and came back does.
 */
public final class RedisServer implements AutoCloseable {
    private final String binary;
    private final int port;
    private Process process;

    private RedisServer(String binary, int port) {
        this.binary = binary;
        this.port = port;
    }

    public static RedisServer start() throws IOException {
        RedisServer r = new RedisServer(
                LocalProcess.binary("redis-server", "/usr/bin/redis-server", "/usr/local/bin/redis-server")
                        .toString(),
                LocalProcess.freePort());
        r.up();
        return r;
    }

    private void up() throws IOException {
        process = LocalProcess.start(
                List.of(
                        binary,
                        "--port",
                        String.valueOf(port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--protected-mode",
                        "yes"),
                line -> line.contains("Ready to accept connections"));
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:PORT} */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Stops it; its data is gone. */
    public void stop() throws InterruptedException {
        LocalProcess.stop(process);
    }

    /** Starts it again, empty, on the same port. */
    public void startAgain() throws IOException {
        up();
    }

    /** Stops it and starts an empty one on the same port. */
    public void restart() throws IOException, InterruptedException {
        stop();
        up();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
