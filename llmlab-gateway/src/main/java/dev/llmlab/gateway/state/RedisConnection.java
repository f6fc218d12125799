package dev.llmlab.gateway.state;

import dev.llmlab.gateway.config.StateConfig.RedisConfig;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.StringCodec;

/**
 * One gateway's connections to its Redis, shared by everything that keeps state there (limits,
 * the cache). A Lettuce connection multiplexes every caller's commands over one socket and is
 * thread-safe, so one of each codec is enough.
 *
 * <p>Commands never wait for a Redis that is down: while disconnected they fail at once ({@code
 * REJECT_COMMANDS}, rather than Lettuce's default of queueing them for a reconnect that may never
 * come), and a command that gets no answer fails after the config's timeout. Lettuce reconnects
 * by itself, so the gateway recovers when Redis is back, without a restart.
 */
public final class RedisConnection implements AutoCloseable {
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> strings;
    private final StatefulRedisConnection<byte[], byte[]> bytes;

    private RedisConnection(
            RedisClient client,
            StatefulRedisConnection<String, String> strings,
            StatefulRedisConnection<byte[], byte[]> bytes) {
        this.client = client;
        this.strings = strings;
        this.bytes = bytes;
    }

    /**
     * Connects.
     *
     * @throws IllegalStateException when Redis cannot be reached, naming where it was looked for
     *     (never the password)
     */
    public static RedisConnection open(RedisConfig config) {
        RedisURI uri = RedisURI.create(config.url().reveal());
        uri.setTimeout(config.timeout());
        RedisClient client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(config.timeout()))
                .build());
        try {
            return new RedisConnection(
                    client, client.connect(StringCodec.UTF8), client.connect(ByteArrayCodec.INSTANCE));
        } catch (RuntimeException e) {
            client.shutdown();
            throw new IllegalStateException(
                    "cannot reach Redis at " + uri.getHost() + ":" + uri.getPort() + ": " + e.getMessage());
        }
    }

    public RedisAsyncCommands<String, String> strings() {
        return strings.async();
    }

    public RedisAsyncCommands<byte[], byte[]> bytes() {
        return bytes.async();
    }

    /** Whether the connection is up now; commands fail at once while it is not. */
    public boolean up() {
        return strings.isOpen();
    }

    @Override
    public void close() {
        strings.close();
        bytes.close();
        client.shutdown();
    }
}
