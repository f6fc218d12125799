package dev.llmlab.http;

import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the I/O transport: the requested native one if it loads on this machine, else the next best, saying
 * why in the log. The order of preference is io_uring (only when asked for), then epoll, then NIO.
 */
final class TransportSelector {

    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

    /** A transport: its name, its event loops' handler, and its server and client socket channels. */
    record Selected(
            String name,
            IoHandlerFactory ioHandlerFactory,
            Class<? extends ServerChannel> serverChannel,
            Class<? extends Channel> socketChannel) {}

    private TransportSelector() {}

    static Selected select(HttpServer.Transport requested) {
        switch (requested) {
            case IO_URING -> {
                if (IoUring.isAvailable()) {
                    return ioUring();
                }
                log.warn(
                        "io_uring requested but unavailable ({}); falling back", reason(IoUring.unavailabilityCause()));
                return epollOrNio(true);
            }
            case EPOLL -> {
                return epollOrNio(true);
            }
            case NIO -> {
                return nio();
            }
            default -> {
                return epollOrNio(false);
            }
        }
    }

    private static Selected epollOrNio(boolean explicitlyRequested) {
        if (Epoll.isAvailable()) {
            return new Selected(
                    "epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class, EpollSocketChannel.class);
        }
        String why = reason(Epoll.unavailabilityCause());
        if (explicitlyRequested) {
            log.warn("epoll unavailable ({}); falling back to NIO", why);
        } else {
            log.info("epoll unavailable ({}); using NIO", why);
        }
        return nio();
    }

    private static Selected ioUring() {
        return new Selected(
                "io_uring",
                IoUringIoHandler.newFactory(),
                IoUringServerSocketChannel.class,
                IoUringSocketChannel.class);
    }

    private static Selected nio() {
        return new Selected("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class, NioSocketChannel.class);
    }

    private static String reason(Throwable cause) {
        if (cause == null) {
            return "no reason given";
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == cause ? cause.toString() : cause + ", caused by " + root;
    }
}
