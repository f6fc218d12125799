package dev.llmlab.http.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of the transport choice: epoll when its native library loads, else NIO (saying
 * why in the log), as the server chooses. Immutable.
 */
final class Transport {
    private static final Logger log = LoggerFactory.getLogger(HttpClient.class);

    final String name;
    private final IoHandlerFactory handlers;
    private final Class<? extends Channel> channelClass;

    private Transport(String name, IoHandlerFactory handlers, Class<? extends Channel> channelClass) {
        this.name = name;
        this.handlers = handlers;
        this.channelClass = channelClass;
    }

    /** The transport of loops shared with a server: no loops of its own are made. */
    static Transport of(String name, Class<? extends Channel> channelClass) {
        return new Transport(name, null, channelClass);
    }

    /** epoll if available, else NIO. */
    static Transport select() {
        if (Epoll.isAvailable()) return new Transport("epoll", EpollIoHandler.newFactory(), EpollSocketChannel.class);
        Throwable cause = Epoll.unavailabilityCause();
        log.info("epoll unavailable ({}); the client uses NIO", cause == null ? "no reason given" : cause.getMessage());
        return new Transport("nio", NioIoHandler.newFactory(), NioSocketChannel.class);
    }

    /** Event loops on daemon threads named {@code name-N}. */
    EventLoopGroup group(int threads, String name) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), handlers);
    }

    /** A bootstrap for short-latency request/response traffic: no Nagle delay, a bounded connect time. */
    Bootstrap bootstrap(EventLoopGroup group, int connectTimeoutMillis) {
        return new Bootstrap()
                .group(group)
                .channel(channelClass)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis);
    }
}
