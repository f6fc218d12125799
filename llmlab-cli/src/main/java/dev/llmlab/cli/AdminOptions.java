package dev.llmlab.cli;

import dev.llmlab.gateway.admin.AdminClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.util.Map;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/**
 * What every admin command shares: where the gateway is, the environment variable with the admin
 * key (never a flag: command lines are visible to every user of the machine), and JSON output.
 * Exit codes: 0 done, 1 the gateway cannot be reached, 2 a usage error, 5 the gateway refused (its
 * message is printed).
 */
final class AdminOptions {
    static final int EXIT_REFUSED = 5;

    @Option(
            names = "--url",
            paramLabel = "URL",
            description = "The gateway (default: ${DEFAULT-VALUE}).",
            defaultValue = "http://127.0.0.1:4000")
    String url;

    @Option(
            names = "--admin-key-env",
            paramLabel = "VAR",
            description = "The environment variable holding an admin key (default: ${DEFAULT-VALUE}).",
            defaultValue = "LLMLAB_ADMIN_KEY")
    String keyEnv;

    @Option(names = "--json", description = "Print the gateway's JSON answer as it is.")
    boolean json;

    /** Calls the admin API; a refusal or an unreachable gateway becomes the command's exit code. */
    JsonNode call(String method, String path, Map<String, Object> body) {
        String key = Main.environment().get(keyEnv);
        if (key == null || key.isBlank())
            throw new Main.CliException(
                    Main.EXIT_USAGE, "the admin key is read from $" + keyEnv + ", which is not set");
        URI base;
        try {
            base = URI.create(url.endsWith("/") ? url : url + "/");
            if (base.getScheme() == null || !base.getScheme().startsWith("http") || base.getHost() == null)
                throw new IllegalArgumentException();
        } catch (IllegalArgumentException e) {
            throw new Main.CliException(Main.EXIT_USAGE, "--url must be http(s)://HOST:PORT, got " + url);
        }
        AdminClient.Reply r;
        try (AdminClient client = new AdminClient(base, key)) {
            r = client.call(method, path.substring(1), body);
        } catch (IOException e) {
            throw new Main.CliException(Main.EXIT_RUNTIME, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Main.CliException(Main.EXIT_INTERRUPTED, "interrupted");
        }
        if (r.error() != null) throw new Main.CliException(EXIT_REFUSED, r.error() + " (HTTP " + r.status() + ")");
        return r.body();
    }

    /** Prints {@code body} as JSON if asked for, else as {@code text} makes it. */
    void print(PrintWriter out, JsonNode body, java.util.function.Consumer<PrintWriter> text) {
        if (json) out.println(body.toPrettyString());
        else text.accept(out);
        out.flush();
    }

    /** {@code name} as one path segment. */
    static String segment(String name) {
        return java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20");
    }

    static String orDash(JsonNode n) {
        return n == null || n.isMissingNode() || n.isNull() ? "-" : n.isString() ? n.asString() : n.toString();
    }
}
