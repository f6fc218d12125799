package dev.llmlab.top.kube;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * How to reach one API server: its URL, the bearer token to send (given, or read from a file at each
 * request, since a service account's projected token is rotated on disk), the CA to trust, and the
 * namespace the configuration defaults to. Made by {@link Kubeconfig} or {@link #inCluster}.
 *
 * @param tokenFile     read at each request when {@code token} is null; null for none
 * @param caFile        a PEM file of CAs to trust besides the JDK's; null for the JDK's only
 * @param temporaryCa   whether {@code caFile} is a copy of inline data, deleted when done
 * @param namespace     the default namespace, never null
 * @param source        where this came from, for messages ("kubeconfig /home/me/.kube/config, context kind")
 */
record Connection(
        URI server,
        String token,
        Path tokenFile,
        Path caFile,
        boolean temporaryCa,
        boolean insecure,
        String namespace,
        String source) {

    static final Path SERVICE_ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

    /** The {@code authorization} header's value, or null to send none. */
    String authorization() {
        if (token != null) return "Bearer " + token;
        if (tokenFile == null) return null;
        try {
            return "Bearer " + Files.readString(tokenFile).strip();
        } catch (IOException e) {
            return null; // the API server then says 401, which names the problem well enough
        }
    }

    /** An API server spoken to without credentials, as {@code kubectl proxy} serves it. */
    static Connection plain(String url) {
        URI u;
        try {
            u = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the API server URL '" + url + "' is not a URL");
        }
        check(u, "the API server URL '" + url + "'");
        return new Connection(u, null, null, null, false, false, "default", url);
    }

    /**
     * The pod's own service account, as client-go's {@code rest.InClusterConfig} finds it: the API
     * server at {@code KUBERNETES_SERVICE_HOST:KUBERNETES_SERVICE_PORT}, the token, CA and namespace
     * in {@code dir}.
     *
     * @return null when not in a pod (the variables unset, or no token file)
     */
    static Connection inCluster(Map<String, String> env, Path dir) {
        String host = env.get("KUBERNETES_SERVICE_HOST");
        String port = env.get("KUBERNETES_SERVICE_PORT");
        Path token = dir.resolve("token");
        if (host == null || host.isBlank() || port == null || port.isBlank() || !Files.isReadable(token)) return null;
        if (host.indexOf(':') >= 0) host = "[" + host + "]"; // IPv6
        Path ca = dir.resolve("ca.crt");
        String namespace = "default";
        try {
            if (Files.isReadable(dir.resolve("namespace"))) {
                String ns = Files.readString(dir.resolve("namespace")).strip();
                if (!ns.isEmpty()) namespace = ns;
            }
        } catch (IOException e) {
            // the default namespace then
        }
        URI server = URI.create("https://" + host + ":" + port.strip());
        return new Connection(
                server,
                null,
                token,
                Files.isReadable(ca) ? ca : null,
                false,
                false,
                namespace,
                "the pod's service account (" + dir + ")");
    }

    static void check(URI u, String what) {
        String scheme = u.getScheme();
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null)
            throw new IllegalArgumentException(what + " is not an http:// or https:// URL with a host");
        if (u.getRawQuery() != null || u.getRawFragment() != null)
            throw new IllegalArgumentException(what + " has a query or fragment; give the server's base URL");
    }

    /** The URL's path without its trailing slash: the prefix of every API path (a Rancher proxy's {@code /k8s/clusters/ID}). */
    String basePath() {
        String p = server.getRawPath();
        if (p == null) return "";
        while (p.endsWith("/")) p = p.substring(0, p.length() - 1);
        return p;
    }

    void deleteTemporary() {
        if (!temporaryCa || caFile == null) return;
        try {
            Files.deleteIfExists(caFile);
        } catch (IOException e) {
            // a temporary file left behind; deleteOnExit was asked too
        }
    }

    /** Never the token. */
    @Override
    public String toString() {
        return server + " (" + source + (token != null || tokenFile != null ? ", with a bearer token" : "") + ")";
    }
}
