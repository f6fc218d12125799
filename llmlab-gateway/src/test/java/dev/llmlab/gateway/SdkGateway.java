package dev.llmlab.gateway;

import dev.llmlab.core.config.ConfigLoader;
import dev.llmlab.core.dist.Distributions;
import dev.llmlab.gateway.config.GatewayConfigs;
import dev.llmlab.http.HttpServer;
import dev.llmlab.http.Router;
import dev.llmlab.sim.Simulator;
import dev.llmlab.sim.catalog.Catalog.LatencyOverride;
import dev.llmlab.sim.config.SimConfig;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

/**
 * The official SDKs' test bed: a seeded simulator without delays that asks for its own key, a
 * gateway in front of it configured from a YAML file, with a route for each provider kind, and the
 * SDKs pointed at the gateway.
 *
 * <p>The simulator serves OpenAI's, Anthropic's and Gemini's APIs, but not Azure OpenAI's
 * addressing ({@code /openai/deployments/{name}/chat/completions?api-version=}, the {@code api-key}
 * header); a small server in between takes the Azure form, checks it, and asks the simulator in
 * OpenAI's, so that the {@code azure-openai} provider is exercised as it would call Azure.
 */
final class SdkGateway implements AutoCloseable {
    /** The key clients give the gateway; the gateway checks it against its {@code client_keys}. */
    static final String CLIENT_KEY = "team-secret";

    /** The key the simulator asks for; only the gateway has it. */
    static final String PROVIDER_KEY = "sk-provider";

    /** The route of each provider kind: {@code via-} and the kind. */
    static final List<String> KINDS = List.of("openai-compatible", "openai", "azure-openai", "anthropic", "gemini");

    /** The official SDKs. */
    enum Sdk {
        OPENAI("openai", OpenAiSdk::new),
        ANTHROPIC("anthropic", AnthropicSdk::new),
        GENAI("gemini", GenAiSdk::new);

        /** The provider kind that speaks this SDK's API. */
        final String api;

        private final BiFunction<String, String, SdkClient> open;

        Sdk(String api, BiFunction<String, String, SdkClient> open) {
            this.api = api;
            this.open = open;
        }

        /** Whether a route to {@code kind} passes this SDK's bodies through without translation. */
        boolean sameApi(String kind) {
            return api.equals("openai") ? kind.contains("openai") : api.equals(kind);
        }
    }

    final Simulator sim;
    final HttpServer azure;
    final Gateway gateway;

    /** What the Azure stand-in was asked: the request target and the {@code api-key} header. */
    final List<String> azureSeen = new CopyOnWriteArrayList<>();

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private SdkGateway(Path dir) throws Exception {
        // Replies of 500 tokens, so that every text call ends on its limit; no delays; a fixed seed.
        String simYaml = "server: {host: 127.0.0.1, port: 0, io_threads: 1}\nseed: 7\n"
                + "auth: {keys: [" + PROVIDER_KEY + "]}\n"
                + "models:\n"
                + "  - {id: gpt-4o-mini, output_tokens: \"500\"}\n"
                + "  - {id: claude-sonnet-4-5, output_tokens: \"500\"}\n"
                + "  - {id: gemini-2.5-flash, output_tokens: \"500\"}\n";
        sim = Simulator.start(
                ConfigLoader.parse(simYaml, "sim.yaml", SimConfig.class),
                new LatencyOverride(Distributions.fixed(0), Distributions.fixed(0)));
        String simOrigin = "http://127.0.0.1:" + sim.port();
        azure = azureStandIn(simOrigin);
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(
                file,
                "server: {host: 127.0.0.1, port: 0, io_threads: 1}\n"
                        + "client_keys: [{name: team, key: \"${TEAM_KEY}\"}]\n"
                        + "retry: {attempts: 0}\n"
                        + "state: {store: memory}\n"
                        + "routes:\n"
                        + route("openai-compatible", "base_url: " + simOrigin + "/v1, model: gpt-4o-mini")
                        + route("openai", "base_url: " + simOrigin + "/v1, model: gpt-4o-mini")
                        + route(
                                "azure-openai",
                                "base_url: http://127.0.0.1:" + azure.port()
                                        + ", api_version: 2024-10-21, model: gpt-4o-mini")
                        + route("anthropic", "base_url: " + simOrigin + ", model: claude-sonnet-4-5")
                        + route("gemini", "base_url: " + simOrigin + ", model: gemini-2.5-flash"));
        gateway =
                Gateway.start(GatewayConfigs.load(file, Map.of("TEAM_KEY", CLIENT_KEY, "SIM_KEY", PROVIDER_KEY)::get));
    }

    private static String route(String kind, String deployment) {
        return "  - name: via-" + kind + "\n    deployments:\n      - {provider: " + kind + ", " + deployment
                + ", keys: [{key: \"${SIM_KEY}\"}]}\n";
    }

    /** Starts it all on free loopback ports, the config written to {@code dir}. */
    static SdkGateway start(Path dir) throws Exception {
        return new SdkGateway(dir);
    }

    /** The gateway's origin, such as {@code http://127.0.0.1:40123}. */
    String origin() {
        return "http://127.0.0.1:" + gateway.port();
    }

    /** {@code sdk} pointed at the gateway, sending {@code key} as its API does. */
    SdkClient client(Sdk sdk, String key) {
        return sdk.open.apply(origin(), key);
    }

    /**
     * Azure OpenAI's chat path, answered by the simulator's OpenAI one. The answer, a stream
     * included, is read whole and then sent: enough to check how the gateway addresses Azure,
     * which is all this stands in for.
     */
    private HttpServer azureStandIn(String simOrigin) {
        Router r = Router.builder()
                .add("POST", "/openai/deployments/{deployment}/chat/completions", ex -> {
                    String version = ex.queryParam("api-version");
                    String key = ex.requestHeaders().get("api-key");
                    azureSeen.add(ex.path() + "?api-version=" + version + " api-key=" + key);
                    if (version == null || key == null) {
                        ex.respond(
                                400,
                                "application/json",
                                Unpooled.copiedBuffer(
                                        "{\"error\":{\"message\":\"api-version and api-key are required\"}}",
                                        StandardCharsets.UTF_8));
                        return;
                    }
                    byte[] body = ByteBufUtil.getBytes(ex.body());
                    HttpRequest up = HttpRequest.newBuilder(URI.create(simOrigin + "/v1/chat/completions"))
                            .header("content-type", "application/json")
                            .header("authorization", "Bearer " + key)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .build();
                    http.sendAsync(up, HttpResponse.BodyHandlers.ofByteArray())
                            .whenComplete((resp, failure) -> ex.eventLoop().execute(() -> {
                                if (failure != null) {
                                    ex.abort();
                                    return;
                                }
                                ex.respond(
                                        resp.statusCode(),
                                        resp.headers()
                                                .firstValue("content-type")
                                                .orElse("application/json"),
                                        Unpooled.wrappedBuffer(resp.body()));
                            }));
                })
                .build();
        return HttpServer.builder()
                .host("127.0.0.1")
                .port(0)
                .ioThreads(1)
                .router(r)
                .start();
    }

    @Override
    public void close() {
        gateway.close();
        azure.close();
        sim.close();
        http.close();
    }
}
