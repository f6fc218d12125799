package dev.llmlab.benchmarks.jmh;

import dev.llmlab.sim.Simulator;
import dev.llmlab.sim.catalog.Catalog;
import dev.llmlab.sim.config.ServerConfig;
import dev.llmlab.sim.config.SimConfig;
import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inputs shared by the JMH benchmarks: one typical chat request, the simulator configuration it runs against, and
 * the buffer allocators to encode into. Everything here uses public API only.
 */
final class Fixtures {
    private Fixtures() {}

    static {
        // The benchmarks module has no logback.xml, so logback would print Netty's and llmlab's DEBUG lines into the
        // JMH output; warnings and errors (a Netty LEAK report, say) still show.
        if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    static final String MODEL = "gpt-4o-mini";
    static final String ROUTE = "/v1/chat/completions";

    /** Tokens the reply to {@link #CHAT_BODY} has: its {@code max_tokens}. Setups check that the real code agrees. */
    static final int REPLY_TOKENS = 16;

    /**
     * A typical small non-streaming chat request (about 200 bytes): a system and a user message, a 16-token cap, a
     * temperature and a seed. The seed makes the reply (and so the bytes encoded and allocated) identical on every
     * request, which is what makes allocation per operation deterministic.
     */
    static final String CHAT_BODY = "{\"model\":\"gpt-4o-mini\",\"messages\":["
            + "{\"role\":\"system\",\"content\":\"You are a helpful assistant.\"},"
            + "{\"role\":\"user\",\"content\":\"Hello! Could you tell me a little about the sea, please?\"}],"
            + "\"max_tokens\":16,\"temperature\":0.7,\"seed\":42}";

    static byte[] chatBody() {
        return CHAT_BODY.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The user configuration the benchmarks run: the built-in catalog, every model on the {@code instant} latency
     * profile (no simulated delay, so a request is pure CPU), a server seed, loopback, one event loop, and the
     * given transport ({@code auto}, {@code nio}, {@code epoll}, {@code io_uring}).
     */
    static SimConfig userConfig(String transport) {
        ServerConfig server = new ServerConfig("127.0.0.1", 0, null, null, null, null, 1, transport, null, null);
        return new SimConfig(server, 7L, null, "instant", null, null, null, null, null, null, null, null, null, null);
    }

    /** {@link #userConfig} laid over the built-in catalog, as {@link Simulator#start} does. */
    static SimConfig effectiveConfig() {
        return Simulator.effectiveConfig(userConfig("auto"));
    }

    static Catalog catalog(SimConfig effective) {
        return Catalog.build(effective, Catalog.LatencyOverride.NONE);
    }

    /** As the {@code llmlab} launcher runs: lets Netty 4.2 on JDK 24+ free direct memory without sun.misc.Unsafe. */
    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

    static final String THREAD_CACHES_ADAPTIVE = "-Dio.netty.allocator.useCachedMagazinesForNonEventLoopThreads=true";
    static final String THREAD_CACHES_POOLED = "-Dio.netty.allocator.useCacheForAllThreads=true";

    private static final class Adaptive {
        static final ByteBufAllocator INSTANCE = new AdaptiveByteBufAllocator();
    }

    /**
     * {@code default} is {@link ByteBufAllocator#DEFAULT}, what a Netty channel (and so {@code Exchange.alloc()})
     * uses unless configured otherwise (Netty 4.2: the adaptive allocator); the others are for comparison.
     *
     * <p>Netty gives per-thread buffer caches only to its own event-loop threads by default, and a JMH thread is
     * not one; benchmarks that allocate buffers therefore fork with {@link #THREAD_CACHES_ADAPTIVE} and
     * {@link #THREAD_CACHES_POOLED} so the benchmark thread allocates the way the server's event loop does.
     */
    static ByteBufAllocator allocator(String kind) {
        return switch (kind) {
            case "default" -> ByteBufAllocator.DEFAULT;
            case "pooled" -> PooledByteBufAllocator.DEFAULT;
            case "adaptive" -> Adaptive.INSTANCE;
            case "unpooled" -> UnpooledByteBufAllocator.DEFAULT;
            default ->
                throw new IllegalArgumentException("allocator must be default, pooled, adaptive or unpooled: " + kind);
        };
    }
}
