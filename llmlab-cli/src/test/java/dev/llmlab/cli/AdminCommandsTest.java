package dev.llmlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.gateway.Gateway;
import dev.llmlab.gateway.config.GatewayConfigs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code llmlab gateway keys|teams|audit|spend} against a real gateway's admin API. */
class AdminCommandsTest {
    private static final String ADMIN = "admin-key-0123456789";
    private static final Map<String, String> ENV = Map.of("LLMLAB_ADMIN_KEY", ADMIN);

    @TempDir
    Path dir;

    private Gateway gateway;
    private String url;

    @BeforeEach
    void start() throws Exception {
        Path f = dir.resolve("gw.yaml");
        Files.writeString(f, """
                server: {host: 127.0.0.1, port: 0, io_threads: 1}
                access_log: {destination: off}
                state: {store: memory}
                admin: {keys: [{name: ops, key: "${LLMLAB_ADMIN_KEY}"}]}
                routes:
                  - name: gpt-4o-mini
                    deployments: [{provider: openai-compatible, base_url: "http://127.0.0.1:9/v1"}]
                """);
        gateway = Gateway.start(GatewayConfigs.load(f, ENV::get));
        url = "http://127.0.0.1:" + gateway.port();
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    private Cli.Result llmlab(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--url";
        all[args.length + 1] = url;
        return Cli.runWith(ENV, all);
    }

    /** The status of GET /v1/models with {@code key}: it lists the routes, and checks the key. */
    private int status(String key) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(
                            HttpRequest.newBuilder(URI.create(url + "/v1/models"))
                                    .header("authorization", "Bearer " + key)
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        }
    }

    @Test
    void keysAndTeams_roundTrip() throws Exception {
        Cli.Result team = llmlab("gateway", "teams", "create", "ml", "--tokens-per-day", "1000", "--models", "gpt-*");
        assertThat(team.code()).as(team.err()).isZero();

        Cli.Result made = llmlab("gateway", "keys", "create", "--name", "alice", "--team", "ml", "--rpm", "5");
        assertThat(made.code()).as(made.err()).isZero();
        String key = made.out().strip();
        assertThat(key).startsWith("sk-llmlab-").doesNotContain("\n");
        assertThat(made.err()).contains("only time");
        assertThat(status(key)).isEqualTo(200);

        Cli.Result list = llmlab("gateway", "keys", "list");
        assertThat(list.code()).isZero();
        assertThat(list.out())
                .contains("alice", "ml", key.substring(0, 14) + "...", "{\"rpm\":5}")
                .doesNotContain(key);

        Cli.Result teams = llmlab("gateway", "teams", "list", "--json");
        assertThat(teams.out()).contains("\"tokens_per_day\" : 1000");

        Cli.Result rotated = llmlab("gateway", "keys", "rotate", "alice", "--grace", "1h");
        assertThat(rotated.code()).isZero();
        String key2 = rotated.out().strip();
        assertThat(status(key)).isEqualTo(200); // in its grace
        assertThat(status(key2)).isEqualTo(200);

        assertThat(llmlab("gateway", "keys", "revoke", "alice").code()).isZero();
        assertThat(status(key)).isEqualTo(401);
        assertThat(status(key2)).isEqualTo(401);

        Cli.Result audit = llmlab("gateway", "audit");
        assertThat(audit.out().lines()).hasSize(4);
        assertThat(audit.out()).contains("key.revoke", "key.rotate", "key.create", "team.create", "ops");
        assertThat(llmlab("gateway", "spend", "--period", "month").code()).isZero();
    }

    @Test
    void mistakes_getMessagesAndExitCodes() {
        Cli.Result dup;
        llmlab("gateway", "keys", "create", "--name", "a");
        dup = llmlab("gateway", "keys", "create", "--name", "a");
        assertThat(dup.code()).isEqualTo(AdminOptions.EXIT_REFUSED);
        assertThat(dup.err()).contains("a key named a exists (HTTP 409)");

        Cli.Result bad = llmlab("gateway", "keys", "create", "--name", "b", "--rpm", "0");
        assertThat(bad.code()).isEqualTo(AdminOptions.EXIT_REFUSED);
        assertThat(bad.err()).contains("rpm must be at least 1, got 0");

        Cli.Result noKey = Cli.runWith(Map.of(), "gateway", "keys", "list", "--url", url);
        assertThat(noKey.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(noKey.err()).contains("$LLMLAB_ADMIN_KEY, which is not set");

        Cli.Result wrongKey =
                Cli.runWith(Map.of("LLMLAB_ADMIN_KEY", "not-the-admin-key"), "gateway", "keys", "list", "--url", url);
        assertThat(wrongKey.code()).isEqualTo(AdminOptions.EXIT_REFUSED);
        assertThat(wrongKey.err()).contains("an admin key is required");

        Cli.Result nobody = Cli.runWith(ENV, "gateway", "keys", "list", "--url", "http://127.0.0.1:9");
        assertThat(nobody.code()).isEqualTo(Main.EXIT_RUNTIME);
        assertThat(nobody.err()).contains("cannot connect to the gateway at http://127.0.0.1:9/");

        Cli.Result badUrl = Cli.runWith(ENV, "gateway", "keys", "list", "--url", "127.0.0.1:4000");
        assertThat(badUrl.code()).isEqualTo(Main.EXIT_USAGE);

        Cli.Result missing = llmlab("gateway", "keys", "revoke");
        assertThat(missing.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(missing.err()).contains("NAME");
    }
}
