package dev.llmlab.core.token;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.EncodingRegistry;
import dev.llmlab.core.io.Problems;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The tokenizers llmlab knows, backed by jtokkit: {@code o200k_base} (GPT-4o, GPT-4.1, o-series),
 * {@code cl100k_base} (GPT-4, GPT-3.5), {@code p50k_base} and {@code r50k_base} (GPT-3 era); and
 * any model's own tokenizer from its Hugging Face {@code tokenizer.json} ({@link #fromFile}).
 *
 * <p>Each encoding's vocabulary is loaded on first use (tens to hundreds of milliseconds and a few
 * tens of megabytes for the larger ones) and then shared: every call for a name returns the same
 * instance.
 *
 * <p>Thread-safety: all methods are thread-safe, as are the returned tokenizers.
 */
public final class Tokenizers {

    private static final Set<String> ENCODINGS = Set.of("o200k_base", "cl100k_base", "p50k_base", "r50k_base");

    /** Lazy, so that a process using only one encoding never pays for loading the others. */
    private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();

    private static final Map<String, Tokenizer> CACHE = new ConcurrentHashMap<>();

    private Tokenizers() {}

    /**
     * The tokenizer for the named encoding.
     *
     * @throws IllegalArgumentException if the name is not one of {@link #encodings()}; the message
     *     lists them
     */
    public static Tokenizer forEncoding(String name) {
        if (name == null || !ENCODINGS.contains(name)) {
            throw new IllegalArgumentException("unknown tokenizer encoding \"" + name
                    + "\"; known encodings: o200k_base, cl100k_base, p50k_base, r50k_base");
        }
        return CACHE.computeIfAbsent(
                name, n -> new JTokkitTokenizer(n, () -> REGISTRY.getEncoding(n).orElseThrow()));
    }

    /**
     * Loads the given tokenizers' tables on a background thread, one after another, so that a
     * server can bind and answer health checks while they load. A request that needs a table
     * before it is loaded waits for it.
     *
     * @return completes when every table is loaded
     */
    public static java.util.concurrent.CompletableFuture<Void> warmUp(java.util.Collection<Tokenizer> tokenizers) {
        java.util.List<Tokenizer> list = java.util.List.copyOf(tokenizers);
        return java.util.concurrent.CompletableFuture.runAsync(
                () -> {
                    for (Tokenizer t : list) {
                        t.count("warm up");
                    }
                },
                r -> {
                    Thread t = new Thread(r, "llmlab-tokenizer-warmup");
                    t.setDaemon(true);
                    t.start();
                });
    }

    /**
     * The tokenizer a user names: a built-in encoding by its name ({@link #encodings()}), else the
     * Hugging Face {@code tokenizer.json} at that path ({@link #fromFile}).
     *
     * @throws IllegalArgumentException as {@link #fromFile}, the message saying what a name may be
     *     when no such file exists
     */
    public static Tokenizer forNameOrFile(String nameOrFile) {
        if (ENCODINGS.contains(nameOrFile)) return forEncoding(nameOrFile);
        Path file = Path.of(nameOrFile);
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(nameOrFile + ": neither a built-in tokenizer (o200k_base, cl100k_base, "
                    + "p50k_base, r50k_base) nor a file: no such file (resolved to "
                    + file.toAbsolutePath().normalize()
                    + ")");
        }
        return fromFile(file);
    }

    /**
     * The tokenizer of a Hugging Face {@code tokenizer.json} file (the format the {@code
     * tokenizers} library saves, and most models on the Hub ship), run by that library through
     * DJL; its {@link Tokenizer#encoding()} is {@code file:} and the file's name. The file is
     * read now, so that a bad one is refused before anything runs; DJL and its native library are
     * loaded only here, never by a process that reads no such file. Each call loads the file anew.
     *
     * @throws IllegalArgumentException naming the file and saying what is wrong with it: missing,
     *     unreadable, not JSON, or JSON that is not a tokenizer
     * @throws IllegalStateException when the native library cannot be loaded on this machine
     */
    public static Tokenizer fromFile(Path file) {
        String problem = checkTokenizerJson(file);
        if (problem != null) throw new IllegalArgumentException(file + ": " + problem);
        Path name = file.getFileName();
        try {
            return FileTokenizer.load(file, "file:" + (name != null ? name : file));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Why {@code file} is not a tokenizer.json, or null: it must hold one JSON object with a
     * {@code model} object. Checked here, in plain words, before the native library's serde
     * messages could be the answer. Streams the file: a large vocabulary is never held as a tree.
     */
    private static String checkTokenizerJson(Path file) {
        if (Files.isDirectory(file)) return "is a directory, not a tokenizer.json file";
        boolean model = false;
        try (InputStream in = Files.newInputStream(file);
                JsonParser p = Json.MAPPER.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return "not a Hugging Face tokenizer.json (its JSON is not an object)";
            }
            for (JsonToken t = p.nextToken(); t == JsonToken.PROPERTY_NAME; t = p.nextToken()) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("model")) model = value == JsonToken.START_OBJECT;
                p.skipChildren();
            }
            if (p.nextToken() != null) return "more than one JSON value";
        } catch (IOException e) {
            return Problems.unreadable(file, e);
        } catch (JacksonIOException e) {
            return Problems.unreadable(file, e.getCause());
        } catch (JacksonException e) {
            return Problems.notJson(e);
        }
        return model ? null : "not a Hugging Face tokenizer.json (no \"model\" object)";
    }

    /** Built on first use: a process that reads no tokenizer file does not pay for a mapper. */
    private static final class Json {
        static final JsonMapper MAPPER = JsonMapper.builder().build();
    }

    /** The names {@link #forEncoding} accepts. */
    public static Set<String> encodings() {
        return ENCODINGS;
    }
}
