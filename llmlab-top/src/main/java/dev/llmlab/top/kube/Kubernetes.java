package dev.llmlab.top.kube;

import dev.llmlab.http.client.Proxies;
import dev.llmlab.top.Discovery;
import dev.llmlab.top.kube.Targets.Rules;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Follows a fleet in a Kubernetes cluster: the pods (or the pods behind services, InferenceServices
 * or LLMInferenceServices) that a selector names, each scraped at its pod IP, kept current by
 * watching the API server. The one way in from outside this package.
 *
 * <h2>Where the API server is</h2>
 * An explicit URL (spoken to without credentials, as {@code kubectl proxy} serves it); else a
 * kubeconfig: the file given, else {@code $KUBECONFIG}'s, else {@code ~/.kube/config}; else, in a
 * pod, its service account (client-go's in-cluster rules). Bearer tokens only: what else a
 * kubeconfig may hold is refused with its reason ({@link Kubeconfig}).
 *
 * <h2>What it gives</h2>
 * {@link Discovery#targets()} lists what the watches last saw, so a pod that becomes ready or goes
 * away is in (or out of) the next refresh; {@link Discovery#error()} says why the list may be stale
 * (the API server unreachable, a 403, while the targets last listed are kept), that the first list
 * is not back yet, or that nothing matches. The rules that make a pod a URL are {@link Targets}'.
 */
public final class Kubernetes {
    private Kubernetes() {}

    /**
     * Starts following what {@code options} names; the first list is under way when this returns
     * ({@link Discovery#awaitListed} waits for it).
     *
     * @param env the environment ({@code KUBECONFIG}, {@code HOME}, {@code KUBERNETES_SERVICE_*}, the
     *     proxy variables)
     * @throws IllegalArgumentException naming what is wrong: an option, a kubeconfig file or field,
     *     no configuration at all
     */
    public static Discovery follow(KubeOptions options, Map<String, String> env) {
        return follow(options, env, Connection.SERVICE_ACCOUNT, 1000);
    }

    static Discovery follow(KubeOptions o, Map<String, String> env, Path serviceAccount, long firstBackoffMillis) {
        if (o.resource() == null || o.resource().isBlank())
            throw new IllegalArgumentException(
                    "name what to follow: pods, services, inferenceservices or" + " llminferenceservices");
        String[] kindName = o.resource().strip().split("/", -1);
        if (kindName.length > 2) throw new IllegalArgumentException("'" + o.resource() + "' is not KIND or KIND/NAME");
        Kind kind = Kind.of(kindName[0]);
        String name = kindName.length == 2 ? kindName[1] : null;
        if (name != null && !name.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?"))
            throw new IllegalArgumentException("'" + name + "' is not the name of a Kubernetes object");
        if (o.allNamespaces() && o.namespace() != null)
            throw new IllegalArgumentException("a namespace and all namespaces: give one of them");
        if (o.namespace() != null && !o.namespace().matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?"))
            throw new IllegalArgumentException("'" + o.namespace() + "' is not a namespace's name");
        if (o.selector() != null && (o.selector().isBlank() || o.selector().contains("\n")))
            throw new IllegalArgumentException(
                    "the label selector '" + o.selector() + "' is empty or has a line break");
        if (o.port() != null
                && Targets.number(o.port()) == null
                && !o.port().matches("(?=.*[a-z])[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?")) // IANA_SVC_NAME
        throw new IllegalArgumentException(
                    "the port '" + o.port() + "' is neither a number in 1..65535 nor a" + " port's name");
        if (o.path() != null && !o.path().startsWith("/"))
            throw new IllegalArgumentException("the metrics path '" + o.path() + "' must start with /");
        if (o.scheme() != null && !o.scheme().equals("http") && !o.scheme().equals("https"))
            throw new IllegalArgumentException("the scheme '" + o.scheme() + "' is neither http nor https");
        Connection c = connection(o, env, serviceAccount);
        String namespace = o.allNamespaces() ? null : o.namespace() != null ? o.namespace() : c.namespace();
        try {
            return new KubeDiscovery(
                    c,
                    Proxies.fromEnvironment(env),
                    kind,
                    name,
                    namespace,
                    o.selector() == null ? null : o.selector().strip(),
                    new Rules(o.port(), o.path(), o.scheme()),
                    firstBackoffMillis);
        } catch (RuntimeException e) {
            c.deleteTemporary();
            throw e;
        }
    }

    private static Connection connection(KubeOptions o, Map<String, String> env, Path serviceAccount) {
        if (o.apiUrl() != null) {
            if (o.kubeconfig() != null || o.context() != null)
                throw new IllegalArgumentException("an API server URL and a kubeconfig or context: give one of them");
            return Connection.plain(o.apiUrl());
        }
        List<Path> files = Kubeconfig.files(o.kubeconfig(), env::get);
        if (!files.isEmpty()) return Kubeconfig.load(files, o.context());
        if (o.context() != null)
            throw new IllegalArgumentException("a context, but no kubeconfig (no $KUBECONFIG, no ~/.kube/config)");
        Connection in = Connection.inCluster(env, serviceAccount);
        if (in != null) return in;
        throw new IllegalArgumentException("no Kubernetes configuration: no $KUBECONFIG, no ~/.kube/config, and not"
                + " in a pod (KUBERNETES_SERVICE_HOST unset or no service account token)");
    }
}
