package dev.llmlab.http;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Event loops that a server and a client share, so that a request a server's handler passes on (a
 * gateway's upstream call) goes out on the thread the request came in on, and its answer comes back
 * there: no task is handed between threads on the way, and no lock is taken. The transport is the
 * server's automatic choice (epoll when its native library loads, else NIO).
 *
 * <p>Whoever starts them closes them, after the server and the client that use them: neither
 * closes loops it did not start ({@link HttpServer.Builder#eventLoops}, {@link
 * dev.llmlab.http.client.HttpClient.Builder#eventLoops}).
 *
 * <p>Thread-safety: immutable once started; {@link #close()} may be called from any thread but the
 * loops' own.
 */
public final class EventLoops implements AutoCloseable {
    final TransportSelector.Selected transport;
    private final EventLoopGroup group;

    private EventLoops(TransportSelector.Selected transport, EventLoopGroup group) {
        this.transport = transport;
        this.group = group;
    }

    /**
     * @param threads how many loops (threads)
     * @param name    the threads' name prefix
     */
    public static EventLoops start(int threads, String name) {
        if (threads < 1) throw new IllegalArgumentException("event loops need at least one thread, got " + threads);
        TransportSelector.Selected t = TransportSelector.select(HttpServer.Transport.AUTO);
        return new EventLoops(
                t,
                new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), t.ioHandlerFactory()));
    }

    public EventLoopGroup group() {
        return group;
    }

    /** {@code "epoll"} or {@code "nio"}. */
    public String transportName() {
        return transport.name();
    }

    /** The client socket channel that fits these loops. */
    public Class<? extends Channel> socketChannel() {
        return transport.socketChannel();
    }

    /** Stops the loops, waiting a little for them to end. */
    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
