package dev.llmlab.http;

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

/**
 * The client side of the HTTP layer's transport choice: epoll when its native library loads, else
 * NIO, as the server chooses. Clients (the load generator, later the gateway) build their event
 * loops and bootstraps here. Immutable.
 */
public final class ClientTransport {
    private final String name;
    private final IoHandlerFactory handlers;
    private final Class<? extends Channel> channelClass;

    private ClientTransport(String name, IoHandlerFactory handlers, Class<? extends Channel> channelClass) {
        this.name = name;
        this.handlers = handlers;
        this.channelClass = channelClass;
    }

    /** epoll if available, else NIO. */
    public static ClientTransport select() {
        if (Epoll.isAvailable())
            return new ClientTransport("epoll", EpollIoHandler.newFactory(), EpollSocketChannel.class);
        return new ClientTransport("nio", NioIoHandler.newFactory(), NioSocketChannel.class);
    }

    public String name() {
        return name;
    }

    /** Event loops on daemon threads named {@code name-N}. */
    public EventLoopGroup group(int threads, String name) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), handlers);
    }

    /** A bootstrap for short-latency request/response traffic: no Nagle delay, a bounded connect time. */
    public Bootstrap bootstrap(EventLoopGroup group, int connectTimeoutMillis) {
        return new Bootstrap()
                .group(group)
                .channel(channelClass)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis);
    }
}
