package dev.llmlab.gateway.limits;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A Lua script run by its SHA-1 ({@code EVALSHA}), so that each call sends the digest and not the
 * text. Redis forgets its scripts when it restarts: a {@code NOSCRIPT} answer is met with one
 * {@code EVAL} of the text, which also loads it again for the calls after. Scripts are loaded
 * ahead ({@link #preload}) so that calls sent one after the other on one connection run in that
 * order: a {@code NOSCRIPT} and its {@code EVAL} would let a later call pass an earlier one.
 */
final class RedisScript {
    private final String text;
    private final String sha;

    private RedisScript(String text) {
        this.text = text;
        this.sha = sha1(text);
    }

    /** The script in the resource {@code name} beside this class. */
    static RedisScript load(String name) {
        try (InputStream in = RedisScript.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("the script " + name + " is not on the classpath");
            return new RedisScript(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads it into Redis's script cache, without waiting; a failure is left to the next call to meet. */
    void preload(RedisAsyncCommands<String, String> redis) {
        redis.scriptLoad(text);
    }

    /**
     * Runs it; the answer is a list of integers. Never throws: a failure completes the stage.
     *
     * @param onNoScript called when Redis had forgotten it (a restart): to load the others again
     */
    CompletableFuture<List<Object>> run(
            RedisAsyncCommands<String, String> redis, String[] keys, String[] args, Runnable onNoScript) {
        try {
            return redis.<List<Object>>evalsha(sha, ScriptOutputType.MULTI, keys, args)
                    .toCompletableFuture()
                    .exceptionallyCompose(e -> {
                        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                        if (!(cause instanceof RedisNoScriptException)) return CompletableFuture.failedFuture(cause);
                        onNoScript.run();
                        return redis.<List<Object>>eval(text, ScriptOutputType.MULTI, keys, args)
                                .toCompletableFuture();
                    });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
