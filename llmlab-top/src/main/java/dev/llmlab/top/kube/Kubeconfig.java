package dev.llmlab.top.kube;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.llmlab.core.io.Problems;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads kubeconfig files as kubectl does, far enough to reach an API server with a bearer token:
 * the context (the named one, else {@code current-context}), its cluster's {@code server},
 * {@code certificate-authority} or {@code certificate-authority-data} and
 * {@code insecure-skip-tls-verify}, its user's {@code token} or {@code tokenFile}, its namespace.
 * Several files (a {@code KUBECONFIG} list) merge as client-go's loading rules merge them: the
 * first file to set {@code current-context} or to define a name wins, and a path in a file is
 * relative to that file's directory.
 *
 * <p>Refused, each with its reason: client certificates (llmlab's HTTP client presents none),
 * credential plugins ({@code exec}) and {@code auth-provider} (top runs no programs), basic auth
 * (API servers dropped it in 1.19), {@code tls-server-name} and {@code proxy-url} (the client can
 * set neither per server). {@code kubectl proxy} with {@code --k8s-api} covers all of them.
 */
final class Kubeconfig {
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Document(
            @JsonProperty("current-context") String currentContext,
            List<NamedContext> contexts,
            List<NamedCluster> clusters,
            List<NamedUser> users) {}

    /** A list entry: a name and what it names. */
    interface Named<T> {
        String name();

        T value();
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record NamedContext(String name, Context context) implements Named<Context> {
        @Override
        public Context value() {
            return context;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record NamedCluster(String name, Cluster cluster) implements Named<Cluster> {
        @Override
        public Cluster value() {
            return cluster;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record NamedUser(String name, User user) implements Named<User> {
        @Override
        public User value() {
            return user;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Context(String cluster, String user, String namespace) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Cluster(
            String server,
            @JsonProperty("certificate-authority") String certificateAuthority,
            @JsonProperty("certificate-authority-data") String certificateAuthorityData,
            @JsonProperty("insecure-skip-tls-verify") boolean insecureSkipTlsVerify,
            @JsonProperty("tls-server-name") String tlsServerName,
            @JsonProperty("proxy-url") String proxyUrl) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record User(
            String token,
            String tokenFile,
            @JsonProperty("client-certificate") String clientCertificate,
            @JsonProperty("client-certificate-data") String clientCertificateData,
            String username,
            JsonNode exec,
            @JsonProperty("auth-provider") JsonNode authProvider) {}

    /** An entry and the directory its relative paths are relative to. */
    private record Found<T>(T value, Path dir) {}

    private final Map<String, Found<Context>> contexts = new LinkedHashMap<>();
    private final Map<String, Found<Cluster>> clusters = new LinkedHashMap<>();
    private final Map<String, Found<User>> users = new LinkedHashMap<>();
    private String currentContext;
    private final String files;

    private Kubeconfig(String files) {
        this.files = files;
    }

    /**
     * The connection {@code files} give for {@code context} (null: their current context).
     *
     * @throws IllegalArgumentException naming the file and what is wrong in it
     */
    static Connection load(List<Path> files, String context) {
        Kubeconfig k = new Kubeconfig(
                String.join(":", files.stream().map(Path::toString).toList()));
        for (Path f : files) k.add(f);
        return k.connection(context);
    }

    private void add(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("kubeconfig " + file + ": " + Problems.unreadable(file, e));
        }
        Document d;
        try {
            d = YAML.readValue(text, Document.class);
        } catch (JacksonException e) {
            String at = e.getLocation() != null && e.getLocation().getLineNr() > 0
                    ? " at line " + e.getLocation().getLineNr()
                    : "";
            String why = e.getOriginalMessage() == null
                    ? ""
                    : e.getOriginalMessage().lines().findFirst().orElse("");
            throw new IllegalArgumentException("kubeconfig " + file + ": not a kubeconfig" + at + ": " + why);
        }
        if (d == null) return; // an empty file, as kubectl allows
        Path dir = file.toAbsolutePath().getParent();
        if (currentContext == null || currentContext.isEmpty()) currentContext = d.currentContext();
        put(contexts, d.contexts(), dir, file, "context");
        put(clusters, d.clusters(), dir, file, "cluster");
        put(users, d.users(), dir, file, "user");
    }

    private static <T> void put(
            Map<String, Found<T>> into, List<? extends Named<T>> entries, Path dir, Path file, String what) {
        if (entries == null) return;
        for (Named<T> n : entries) {
            if (n == null || n.name() == null)
                throw new IllegalArgumentException("kubeconfig " + file + ": a " + what + " without a name");
            into.putIfAbsent(n.name(), new Found<>(n.value(), dir));
        }
    }

    private Connection connection(String asked) {
        String name = asked != null ? asked : currentContext;
        if (name == null || name.isEmpty())
            throw problem("no current-context: name one of its contexts " + names(contexts.keySet()));
        Found<Context> c = contexts.get(name);
        if (c == null || c.value() == null)
            throw problem("no context '" + name + "' (it has " + names(contexts.keySet()) + ")");
        Context ctx = c.value();
        Found<Cluster> cl = clusters.get(ctx.cluster());
        if (cl == null || cl.value() == null)
            throw problem("context '" + name + "' names cluster '" + ctx.cluster() + "', which is not defined");
        Cluster cluster = cl.value();
        String where = "cluster '" + ctx.cluster() + "'";
        if (cluster.server() == null || cluster.server().isBlank()) throw problem(where + " has no server");
        URI server;
        try {
            server = URI.create(cluster.server().strip());
        } catch (IllegalArgumentException e) {
            throw problem(where + ": server '" + cluster.server() + "' is not a URL");
        }
        try {
            Connection.check(server, where + ": server '" + cluster.server() + "'");
        } catch (IllegalArgumentException e) {
            throw problem(e.getMessage());
        }
        if (cluster.tlsServerName() != null)
            throw problem(where + " sets tls-server-name, which top cannot honour: use kubectl proxy and --k8s-api");
        if (cluster.proxyUrl() != null)
            throw problem(where + " sets proxy-url, which top does not read: set https_proxy instead");
        String token = null;
        Path tokenFile = null;
        if (ctx.user() != null && !ctx.user().isEmpty()) {
            Found<User> u = users.get(ctx.user());
            if (u == null)
                throw problem("context '" + name + "' names user '" + ctx.user() + "', which is not defined");
            User user = u.value() == null ? new User(null, null, null, null, null, null, null) : u.value();
            token = user.token() == null || user.token().isBlank()
                    ? null
                    : user.token().strip();
            if (token == null && user.tokenFile() != null) tokenFile = readable(u.dir(), user.tokenFile(), "tokenFile");
            if (token == null && tokenFile == null) refuse(ctx.user(), user);
        }
        Path ca = null;
        boolean temporary = false;
        if (!cluster.insecureSkipTlsVerify()) {
            if (cluster.certificateAuthorityData() != null
                    && !cluster.certificateAuthorityData().isBlank()) {
                ca = temporaryCa(cluster.certificateAuthorityData(), where);
                temporary = true;
            } else if (cluster.certificateAuthority() != null) {
                ca = readable(cl.dir(), cluster.certificateAuthority(), "certificate-authority");
            }
        }
        String namespace = ctx.namespace() == null || ctx.namespace().isBlank() ? "default" : ctx.namespace();
        return new Connection(
                server,
                token,
                tokenFile,
                ca,
                temporary,
                cluster.insecureSkipTlsVerify(),
                namespace,
                "kubeconfig " + files + ", context " + name);
    }

    /** Why a user without a token cannot be used; nothing for one with no credentials at all (anonymous). */
    private void refuse(String name, User u) {
        String user = "user '" + name + "'";
        if (u.clientCertificate() != null || u.clientCertificateData() != null)
            throw problem(user + " authenticates with a client certificate, which top cannot present: give it a"
                    + " token (kubectl create token SERVICEACCOUNT), or run kubectl proxy and use --k8s-api");
        if (u.exec() != null && !u.exec().isNull())
            throw problem(user + " gets its credentials from a plugin (exec: "
                    + u.exec().path("command").asString("?") + "), which top does not run: give it a token,"
                    + " or run kubectl proxy and use --k8s-api");
        if (u.authProvider() != null && !u.authProvider().isNull())
            throw problem(user + " uses an auth-provider, which top does not support: give it a token, or run"
                    + " kubectl proxy and use --k8s-api");
        if (u.username() != null)
            throw problem(user + " has a username and password (basic auth), which API servers no longer accept");
    }

    private Path readable(Path dir, String file, String field) {
        Path p = dir.resolve(file);
        if (!Files.isReadable(p))
            throw problem(field + " " + file + ": "
                    + Problems.unreadable(p, new java.nio.file.NoSuchFileException(p.toString())));
        return p;
    }

    private Path temporaryCa(String data, String where) {
        byte[] pem;
        try {
            pem = Base64.getMimeDecoder().decode(data.strip());
        } catch (IllegalArgumentException e) {
            throw problem(where + ": certificate-authority-data is not base64");
        }
        if (!new String(pem, java.nio.charset.StandardCharsets.US_ASCII).contains("-----BEGIN CERTIFICATE-----"))
            throw problem(where + ": certificate-authority-data is not a PEM certificate");
        try {
            Path f = Files.createTempFile("llmlab-kube-ca-", ".pem");
            f.toFile().deleteOnExit();
            Files.write(f, pem);
            return f;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write the cluster's CA to a temporary file: " + e.getMessage());
        }
    }

    private IllegalArgumentException problem(String what) {
        return new IllegalArgumentException("kubeconfig " + files + ": " + what);
    }

    private static String names(java.util.Set<String> names) {
        return names.isEmpty() ? "(it has none)" : String.join(", ", new ArrayList<>(names));
    }

    /**
     * The files to read: {@code explicit}, else {@code $KUBECONFIG}'s list (the ones that exist),
     * else {@code ~/.kube/config} when it exists; empty when there is none.
     */
    static List<Path> files(Path explicit, Function<String, String> env) {
        if (explicit != null) return List.of(explicit);
        String list = env.apply("KUBECONFIG");
        if (list != null && !list.isBlank()) {
            List<Path> out = new ArrayList<>();
            for (String p : list.split(java.io.File.pathSeparator))
                if (!p.isBlank() && Files.exists(Path.of(p))) out.add(Path.of(p));
            if (out.isEmpty())
                throw new IllegalArgumentException("KUBECONFIG names no file that exists: '" + list + "'");
            return out;
        }
        String home = env.apply("HOME");
        if (home == null || home.isBlank()) home = System.getProperty("user.home");
        Path standard = Path.of(home, ".kube", "config");
        return Files.exists(standard) ? List.of(standard) : List.of();
    }
}
