package dev.llmlab.gateway.route;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The routes by the model names clients ask for: exact names and aliases first, then wildcards,
 * the longest prefix first ({@code openai/gpt-*} before {@code openai/*} before {@code *}).
 *
 * <p>Immutable and thread-safe; a reload builds a new one.
 */
public final class Routes {
    /** A route found for a model name, and the model name it passes on to its deployments. */
    public record Match(Route route, String model) {}

    private final Map<String, Route> exact;
    private final List<Route> wildcards;
    private final List<String> names;

    /**
     * @param routes  the routes, each under its own name
     * @param aliases alias name to the name of the route it stands for
     */
    public Routes(List<Route> routes, Map<String, String> aliases) {
        Map<String, Route> exact = new HashMap<>();
        List<Route> wild = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Route r : routes) {
            if (r.name().endsWith("*")) {
                wild.add(r);
            } else {
                exact.put(r.name(), r);
                names.add(r.name());
            }
        }
        for (Map.Entry<String, String> a : aliases.entrySet()) {
            Route target = exact.get(a.getValue());
            if (target == null) throw new IllegalArgumentException("alias " + a.getKey() + " names no route");
            exact.put(a.getKey(), target);
            names.add(a.getKey());
        }
        wild.sort(Comparator.comparingInt((Route r) -> r.name().length()).reversed());
        this.exact = Map.copyOf(exact);
        this.wildcards = List.copyOf(wild);
        this.names = List.copyOf(names);
    }

    /** The route for a model name, or null. */
    public Match match(String model) {
        if (model == null) return null;
        Route r = exact.get(model);
        if (r != null) return new Match(r, r.name());
        for (Route w : wildcards) {
            String prefix = w.name().substring(0, w.name().length() - 1);
            if (model.startsWith(prefix) && model.length() > prefix.length())
                return new Match(w, model.substring(prefix.length()));
        }
        return null;
    }

    /** A route by its own name (a fallback), or null. */
    public Route named(String name) {
        Route r = exact.get(name);
        return r != null && r.name().equals(name) ? r : null;
    }

    /** The model names that are not patterns, routes and aliases, in the config's order. */
    public List<String> names() {
        return names;
    }

    /** The route of every model ({@code *}), or null. */
    public Route catchAll() {
        for (Route w : wildcards) if (w.name().equals("*")) return w;
        return null;
    }
}
