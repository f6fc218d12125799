package dev.llmlab.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Text files from the classpath, inlined into a self-contained HTML page: bench's report and top's
 * web view carry uPlot's script and stylesheet and their own inside the page, so that it works
 * offline and fetches nothing. Each file is read once and kept. Thread-safe.
 */
public final class InlineAssets {
    /** uPlot's files, from its webjar (a dependency of this module). */
    public static final String UPLOT_JS = "META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.iife.min.js";

    public static final String UPLOT_CSS = "META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.min.css";

    /** The theme llmlab's pages share (colours, fonts, base layout); each adds its own rules after it. */
    public static final String THEME_CSS = "dev/llmlab/core/io/theme.css";

    private static final Map<String, String> TEXTS = new ConcurrentHashMap<>();

    private InlineAssets() {}

    /**
     * The resource at {@code path} as UTF-8 text, made unable to close the {@code <script>} or
     * {@code <style>} element it is inlined into.
     *
     * @throws IllegalStateException when there is no such resource
     */
    public static String text(String path) {
        return TEXTS.computeIfAbsent(path, p -> {
            try (InputStream in = InlineAssets.class.getClassLoader().getResourceAsStream(p)) {
                if (in == null) throw new IllegalStateException("missing resource " + p);
                return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                        .replace("</script", "<\\/script")
                        .replace("</style", "<\\/style");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
