package dev.llmlab.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On the listening channel: a failed accept, such as "Too many open files" when a flood of
 * connections has taken every descriptor, stops accepting for a second (as Netty's own acceptor
 * would, so that the loop does not spin on a failure that repeats at once) and is logged as one
 * plain line at most every 10 s, with the count since the last ({@link OccasionalWarning}), instead
 * of Netty's warning with the exception on every failure. Other failures go on down the pipeline.
 */
@ChannelHandler.Sharable
final class AcceptFailures extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

    private final OccasionalWarning failures = new OccasionalWarning();

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        ctx.channel().config().setAutoRead(false);
        ctx.channel().eventLoop().schedule(() -> ctx.channel().config().setAutoRead(true), 1, TimeUnit.SECONDS);
        long since = failures.count(
                ctx.channel().eventLoop(),
                more -> log.warn("cannot accept connections: {} more failures since the last warning", more));
        if (since >= 0) {
            log.warn(
                    "cannot accept connections ({}): pausing accepts for 1 s; {} such failures since the last warning",
                    cause.getMessage(),
                    since);
        }
    }
}
