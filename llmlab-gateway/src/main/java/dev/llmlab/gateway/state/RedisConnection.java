package dev.llmlab.gateway.state;

import dev.llmlab.gateway.config.StateConfig.RedisConfig;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gateway's connections to its Redis, shared by everything that keeps state there (limits,
 * the cache). A Lettuce connection multiplexes every caller's commands over one socket and is
 * thread-safe, so one of each codec is enough.
 *
 * <p>Commands never wait for a Redis that is down: while disconnected they fail at once ({@code
 * REJECT_COMMANDS}, rather than Lettuce's default of queueing them for a reconnect that may never
 * come), and a command that gets no answer fails after the config's timeout. Lettuce reconnects
 * by itself, trying again at most every second, so the gateway recovers when Redis is back,
 * without a restart. A Redis that cannot be reached when the gateway starts does not stop it: the
 * first connection is tried again every second in the background, and until it is made {@link
 * #up()} is false and {@link #strings()} and {@link #bytes()} throw.
 */
public final class RedisConnection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisConnection.class);
    private static final long RETRY_MILLIS = 1000;

    private final RedisClient client;
    private final ClientResources resources;
    private final String where;
    private final Object lock = new Object();
    private final ScheduledExecutorService connector;
    private volatile StatefulRedisConnection<String, String> strings;
    private volatile StatefulRedisConnection<byte[], byte[]> bytes;
    private volatile boolean closed;

    private RedisConnection(RedisClient client, ClientResources resources, String where) {
        this.client = client;
        this.resources = resources;
        this.where = where;
        this.connector = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "llmlab-redis-connect");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Connects, or starts trying to in the background when Redis cannot be reached now (logged
     * once, naming where it was looked for, never the password).
     */
    public static RedisConnection open(RedisConfig config) {
        RedisURI uri;
        try {
            uri = RedisURI.create(config.url().reveal());
        } catch (RuntimeException e) {
            // its message would quote the URL, password and all
            throw new IllegalArgumentException("state.redis.url is not a Redis URL such as redis://HOST:PORT"
                    + " (not shown: it may hold a password)");
        }
        uri.setTimeout(config.timeout());
        ClientResources resources = ClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(
                        Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .build();
        RedisClient client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(config.timeout()))
                // a host that drops packets must not hold the gateway's start for Lettuce's 10 s
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(Duration.ofSeconds(2))
                        .build())
                .build());
        RedisConnection c = new RedisConnection(client, resources, uri.getHost() + ":" + uri.getPort());
        if (!c.tryConnect()) {
            log.warn("cannot reach Redis at {}: starting without it, and trying again every second", c.where);
            c.connector.scheduleWithFixedDelay(
                    () -> {
                        if (c.closed || c.tryConnect()) c.connector.shutdown();
                    },
                    RETRY_MILLIS,
                    RETRY_MILLIS,
                    TimeUnit.MILLISECONDS);
        }
        return c;
    }

    private boolean tryConnect() {
        StatefulRedisConnection<String, String> s = null;
        try {
            s = client.connect(StringCodec.UTF8);
            StatefulRedisConnection<byte[], byte[]> b = client.connect(ByteArrayCodec.INSTANCE);
            synchronized (lock) {
                if (closed) {
                    s.close();
                    b.close();
                    return true;
                }
                bytes = b;
                strings = s;
                lock.notifyAll();
            }
            return true;
        } catch (RedisConnectionException e) {
            if (s != null) s.close();
            return false;
        }
    }

    /** @throws RedisConnectionException until the first connection is made */
    public RedisAsyncCommands<String, String> strings() {
        StatefulRedisConnection<String, String> s = strings;
        if (s == null) throw new RedisConnectionException("not connected to Redis at " + where + " yet");
        return s.async();
    }

    /** @throws RedisConnectionException until the first connection is made */
    public RedisAsyncCommands<byte[], byte[]> bytes() {
        StatefulRedisConnection<byte[], byte[]> b = bytes;
        if (b == null) throw new RedisConnectionException("not connected to Redis at " + where + " yet");
        return b.async();
    }

    /** Whether the connection is up now; commands fail at once while it is not. */
    public boolean up() {
        StatefulRedisConnection<String, String> s = strings;
        return s != null && s.isOpen();
    }

    /**
     * Waits until the connection is up, at most {@code timeout}: for tests and start-up checks,
     * never for a request. Returns whether it is.
     */
    public boolean awaitUp(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            // a reconnect of Lettuce does not notify: look again every 20 ms
            for (long left; !up() && (left = end - System.nanoTime()) > 0; )
                lock.wait(Math.max(1, Math.min(20, TimeUnit.NANOSECONDS.toMillis(left))));
        }
        return up();
    }

    /** host:port, for messages. */
    public String where() {
        return where;
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
        }
        connector.shutdownNow();
        if (strings != null) strings.close();
        if (bytes != null) bytes.close();
        client.shutdown();
        resources.shutdown();
    }
}
