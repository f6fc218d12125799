package dev.llmlab.benchmarks.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultSelectStrategyFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SelectStrategyFactory;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Shared pieces of the load tools: transport choice (epoll when the native library loads, else NIO, as the
 * server does), the client bootstrap, the request bytes, quiet logging, and CPU readings from {@code /proc}.
 */
final class ClientSupport {

    private ClientSupport() {}

    /** The chosen transport. */
    record Transport(String name, IoHandlerFactory factory, Class<? extends Channel> channelClass) {}

    static Transport transport(String requested) {
        return transport(requested, 0);
    }

    /**
     * With {@code pollNanos > 0} the event loop never blocks in epoll/select: it parks for that long, then polls
     * without blocking. Readiness then costs no thread wake-up per packet (the sender's kernel path no longer
     * has to wake us), at the price of timestamps up to {@code pollNanos} (plus timer slack) late.
     */
    static Transport transport(String requested, long pollNanos) {
        String r = requested.toLowerCase(Locale.ROOT);
        SelectStrategyFactory strategy = pollNanos <= 0
                ? DefaultSelectStrategyFactory.INSTANCE
                : () -> (selectNow, hasTasks) -> {
                    if (!hasTasks) {
                        LockSupport.parkNanos(pollNanos);
                    }
                    return selectNow.get();
                };
        String suffix = pollNanos <= 0 ? "" : String.format(Locale.ROOT, ", polling every %.3f ms", pollNanos / 1e6);
        if (!r.equals("nio") && Epoll.isAvailable()) {
            return new Transport("epoll" + suffix, EpollIoHandler.newFactory(0, strategy), EpollSocketChannel.class);
        }
        if (r.equals("epoll")) {
            System.err.println("warning: epoll unavailable (" + Epoll.unavailabilityCause() + "); using NIO");
        }
        return new Transport(
                "nio" + suffix, NioIoHandler.newFactory(SelectorProvider.provider(), strategy), NioSocketChannel.class);
    }

    static EventLoopGroup group(Transport t, int threads, String name) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), t.factory());
    }

    static Bootstrap bootstrap(EventLoopGroup group, Transport t) {
        return new Bootstrap()
                .group(group)
                .channel(t.channelClass())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, false)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(8 * 1024, 32 * 1024));
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The bytes of one streaming chat completion request (HTTP/1.1, keep-alive unless told otherwise). */
    static byte[] chatRequest(String host, int port, String model, int maxTokens, String prompt, boolean keepAlive) {
        ObjectNode json = JSON.createObjectNode().put("model", model);
        json.putArray("messages").addObject().put("role", "user").put("content", prompt);
        json.put("stream", true);
        if (maxTokens > 0) {
            json.put("max_tokens", maxTokens);
        }
        byte[] body = JSON.writeValueAsBytes(json);
        String head = "POST /v1/chat/completions HTTP/1.1\r\n"
                + "host: " + host + ":" + port + "\r\n"
                + "content-type: application/json\r\n"
                + "accept: text/event-stream\r\n"
                + (keepAlive ? "" : "connection: close\r\n")
                + "content-length: " + body.length + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    /**
     * Turns Netty's buffer leak detection off (unless set explicitly) and lowers the log level to WARN when
     * logback is the binding and no configuration file set it up, so Netty's DEBUG chatter does not drown the
     * report. Call first thing in {@code main}.
     */
    static void configure() {
        if (System.getProperty("logback.configurationFile") == null) {
            Logger root = LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
            if (root instanceof ch.qos.logback.classic.Logger lb) {
                lb.setLevel(ch.qos.logback.classic.Level.WARN);
            }
        }
        // Netty's default leak detection (SIMPLE) records a stack trace for one buffer in 128: on a client
        // reading ~100k times per second that is real CPU. Off unless asked for with -Dio.netty.leakDetection.level.
        if (System.getProperty("io.netty.leakDetection.level") == null
                && System.getProperty("io.netty.leakDetectionLevel") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }

    /** CPU time (user + system) of a process in clock ticks from /proc/PID/stat, or -1 if unreadable. */
    static long procCpuTicks(long pid) {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // Fields after the command name, which is in parentheses and may hold spaces.
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** {total, idle} jiffies of the whole machine from /proc/stat, or null. */
    static long[] machineTicks() {
        try {
            String line = Files.readAllLines(Path.of("/proc/stat")).getFirst();
            String[] f = line.trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]); // idle + iowait
            return new long[] {total, idle};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Clock ticks per second for /proc figures (USER_HZ), 100 on every mainstream Linux build. */
    static final long USER_HZ = 100;
}
