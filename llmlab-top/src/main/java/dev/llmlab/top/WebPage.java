package dev.llmlab.top;

import dev.llmlab.core.io.InlineAssets;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The web view's one page: {@code web.html} with uPlot's script and stylesheet and the view's own
 * inlined where it names them, so that the page fetches nothing but its {@code /events}. The page
 * draws everything from the snapshots' JSON, as text (never as HTML: model and target names come
 * from the servers watched).
 */
final class WebPage {
    /** Nothing leaves the page but the event stream, to where it came from. */
    static final String CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline';"
            + " img-src data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static final String DIR = "dev/llmlab/top/web/";

    private WebPage() {}

    static byte[] html() {
        String template = template();
        String[][] parts = {
            {"{{uplot.css}}", InlineAssets.text(InlineAssets.UPLOT_CSS)},
            {"{{web.css}}", InlineAssets.text(InlineAssets.THEME_CSS) + InlineAssets.text(DIR + "web.css")},
            {"{{uplot.js}}", InlineAssets.text(InlineAssets.UPLOT_JS)},
            {"{{web.js}}", InlineAssets.text(DIR + "web.js")},
            {"{{csp}}", CSP}
        };
        // in the template's order, each once: a marker inside an inlined file is left alone
        StringBuilder page = new StringBuilder(template.length() + 80_000);
        int from = 0;
        while (true) {
            int at = -1;
            String[] next = null;
            for (String[] p : parts) {
                int i = template.indexOf(p[0], from);
                if (i >= 0 && (at < 0 || i < at)) {
                    at = i;
                    next = p;
                }
            }
            if (next == null) break;
            page.append(template, from, at).append(next[1]);
            from = at + next[0].length();
        }
        page.append(template, from, template.length());
        return page.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The page's shell as it is: its own elements are meant to close. */
    private static String template() {
        try (InputStream in = WebPage.class.getClassLoader().getResourceAsStream(DIR + "web.html")) {
            if (in == null) throw new IllegalStateException("missing resource " + DIR + "web.html");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
