package dev.llmlab.gateway.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.llmlab.core.config.ConfigException;
import dev.llmlab.core.config.ConfigLoader;
import dev.llmlab.core.config.Secret;
import dev.llmlab.core.time.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Loads, checks and prints a gateway's config. Thread-safe. */
public final class GatewayConfigs {
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .changeDefaultPropertyInclusion(i -> i.withValueInclusion(JsonInclude.Include.NON_EMPTY))
            .addModule(new SimpleModule("llmlab-gateway-config")
                    .addSerializer(Duration.class, new ValueSerializer<>() {
                        @Override
                        public void serialize(Duration value, JsonGenerator g, SerializationContext ctxt) {
                            g.writeString(Durations.format(value));
                        }
                    })
                    .addSerializer(Secret.class, new ValueSerializer<>() {
                        @Override
                        public void serialize(Secret value, JsonGenerator g, SerializationContext ctxt) {
                            g.writeString(value.toString());
                        }
                    })
                    .addSerializer(Path.class, new ValueSerializer<>() {
                        @Override
                        public void serialize(Path value, JsonGenerator g, SerializationContext ctxt) {
                            g.writeString(value.toString());
                        }
                    }))
            .build();

    private GatewayConfigs() {}

    /**
     * Reads a config file, its {@code ${NAME}} strings from {@code env}, and checks it whole.
     *
     * @throws ConfigException naming the file, line and field of the first mistake
     */
    public static GatewayConfig load(Path file, Function<String, String> env) {
        GatewayConfig c = ConfigLoader.load(file, GatewayConfig.class, env);
        String problem = check(c);
        if (problem != null) {
            int at = problem.indexOf(' ');
            throw ConfigLoader.errorAt(file, problem.substring(0, at), problem.substring(at + 1));
        }
        StateConfig st = c.state();
        Path db = Path.of(st.path());
        if (st.kind() != StateConfig.Store.MEMORY && !db.isAbsolute()) {
            // The embedded database and the spend journal live beside the config, wherever the
            // gateway is started from.
            Path dir = file.toAbsolutePath().getParent();
            c = c.withState(new StateConfig(
                    st.store(),
                    dir.resolve(db).toString(),
                    st.postgres(),
                    st.redis(),
                    st.onFailure(),
                    st.spendBuffer()));
        }
        return c;
    }

    /**
     * What the records cannot see one by one: unique names, and references that resolve.
     *
     * @return null, or the field's path, a space, and the problem
     */
    static String check(GatewayConfig c) {
        Map<String, RouteConfig> byName = new HashMap<>();
        for (int i = 0; i < c.routes().size(); i++) {
            RouteConfig r = c.routes().get(i);
            if (byName.putIfAbsent(r.name(), r) != null)
                return "routes[" + i + "].name the route " + r.name() + " is defined twice";
            Set<String> names = new HashSet<>();
            for (int j = 0; j < r.deployments().size(); j++) {
                String n = r.deployments().get(j).name();
                if (n != null && !names.add(n))
                    return "routes[" + i + "].deployments[" + j + "].name the deployment " + n
                            + " is defined twice in route " + r.name();
            }
        }
        for (int i = 0; i < c.routes().size(); i++) {
            RouteConfig r = c.routes().get(i);
            if (r.alias() != null) {
                RouteConfig target = byName.get(r.alias());
                if (target == null) return "routes[" + i + "].alias no route is named " + r.alias();
                if (target.alias() != null)
                    return "routes[" + i + "].alias " + r.alias() + " is itself an alias: name the route it"
                            + " stands for (" + target.alias() + ")";
            }
            for (int j = 0; j < r.fallbacks().size(); j++) {
                String f = r.fallbacks().get(j);
                if (!byName.containsKey(f)) return "routes[" + i + "].fallbacks[" + j + "] no route is named " + f;
                if (f.equals(r.name()))
                    return "routes[" + i + "].fallbacks[" + j + "] a route cannot fall back on itself";
                if (f.endsWith("*"))
                    return "routes[" + i + "].fallbacks[" + j + "] a fallback must be a route with its own models,"
                            + " not a wildcard";
            }
        }
        Set<String> teamNames = new HashSet<>();
        for (int i = 0; i < c.teams().size(); i++) {
            String name = c.teams().get(i).name();
            if (!teamNames.add(name)) return "teams[" + i + "].name the name " + name + " is used twice";
        }
        Set<String> keyNames = new HashSet<>();
        Set<Secret> keys = new HashSet<>();
        for (int i = 0; i < c.clientKeys().size(); i++) {
            ClientKey k = c.clientKeys().get(i);
            if (!keyNames.add(k.name())) return "client_keys[" + i + "].name the name " + k.name() + " is used twice";
            if (!keys.add(k.key())) return "client_keys[" + i + "].key the same key is given twice";
            if (k.team() != null && !teamNames.contains(k.team()))
                return "client_keys[" + i + "].team no team is named " + k.team() + " (teams: " + teamNames + ")";
        }
        for (int i = 0; i < c.routes().size(); i++) {
            RouteCacheConfig rc = c.routes().get(i).cache();
            if (rc != null && rc.maxEntryBytes() > c.cache().maxBytes())
                return "routes[" + i + "].cache.max_entry_bytes " + rc.maxEntryBytes()
                        + " is more than the whole cache holds (cache.max_bytes: "
                        + c.cache().maxBytes() + ")";
        }
        return null;
    }

    /**
     * The config of {@code llmlab gateway --upstream URL...}: every model to the OpenAI-compatible
     * upstreams, picked by {@code strategy}, with {@code key} (or the client's own when null).
     *
     * @throws IllegalArgumentException for a URL or strategy that is not one
     */
    public static GatewayConfig forUpstreams(List<String> urls, String strategy, Secret key) {
        List<DeploymentConfig> ds = new ArrayList<>();
        for (String u : urls) {
            dev.llmlab.gateway.provider.Upstream.parse(u);
            ds.add(new DeploymentConfig(
                    u,
                    "openai-compatible",
                    u,
                    null,
                    null,
                    key == null ? null : List.of(new KeyConfig(null, key, null, null)),
                    null,
                    null));
        }
        return new GatewayConfig(
                null,
                null,
                null,
                null,
                List.of(new RouteConfig("*", null, strategy, null, null, ds, null, null)),
                null,
                null,
                null,
                null,
                StateConfig.memory(),
                null,
                null);
    }

    /**
     * The config of {@code llmlab gateway} without a config or an upstream: a simulator at {@code
     * origin} (such as {@code http://127.0.0.1:8080}), each model over its own API, as its provider
     * serves it: {@code claude-*} over Anthropic's Messages API, {@code gemini-*} over Gemini's, the
     * rest over OpenAI's.
     */
    public static GatewayConfig forSimulator(String origin) {
        return new GatewayConfig(
                null,
                null,
                null,
                null,
                List.of(
                        simulated("claude-*", "anthropic", origin),
                        simulated("gemini-*", "gemini", origin),
                        new RouteConfig(
                                "*",
                                null,
                                null,
                                null,
                                null,
                                List.of(new DeploymentConfig(
                                        "simulator",
                                        "openai-compatible",
                                        origin + "/v1",
                                        null,
                                        null,
                                        null,
                                        null,
                                        null)),
                                null,
                                null)),
                null,
                null,
                null,
                null,
                StateConfig.memory(),
                null,
                null);
    }

    private static RouteConfig simulated(String pattern, String provider, String origin) {
        return new RouteConfig(
                pattern,
                null,
                null,
                null,
                null,
                List.of(new DeploymentConfig(
                        "simulator-" + provider, provider, origin, pattern, null, null, null, null)),
                null,
                null);
    }

    /** The config as YAML in the shape it is read, defaults filled in, every secret {@code <redacted>}. */
    public static String print(GatewayConfig c) {
        return YAML.writeValueAsString(c);
    }
}
