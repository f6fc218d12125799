package dev.llmlab.cli;

import dev.llmlab.top.Discovery;
import dev.llmlab.top.Source;
import dev.llmlab.top.Target;
import dev.llmlab.top.TopConfig;
import dev.llmlab.top.kube.KubeOptions;
import dev.llmlab.top.kube.Kubernetes;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code llmlab top}'s flags for what to watch: URLs, a Kubernetes fleet (--k8s), or a Prometheus server. */
final class TopSources {
    @Parameters(
            paramLabel = "URL",
            arity = "0..*",
            description = "Metrics URLs to watch; http://HOST:PORT means http://HOST:PORT/metrics.")
    List<String> urls = List.of();

    @Option(
            names = "--k8s",
            paramLabel = "KIND[/NAME]",
            description = "Watch a Kubernetes fleet instead of URLs: the ready pods of pods, services,"
                    + " inferenceservices or llminferenceservices (po, svc, isvc, llmisvc), or of the one named.")
    String k8s;

    @Option(
            names = {"-n", "--namespace"},
            paramLabel = "NAMESPACE",
            description = "With --k8s: the namespace (default: the kubeconfig context's, or the pod's own).")
    String namespace;

    @Option(
            names = {"-A", "--all-namespaces"},
            description = "With --k8s: every namespace.")
    boolean allNamespaces;

    @Option(
            names = {"-l", "--selector"},
            paramLabel = "SELECTOR",
            description = "With --k8s: a label selector on the resources, as kubectl's (app=vllm,tier!=canary).")
    String selector;

    @Option(
            names = "--k8s-port",
            paramLabel = "PORT",
            description =
                    "With --k8s: the port to scrape, a number or a container port's name"
                            + " (default: the prometheus.io/port annotation, else the port named metrics or http, else the first).")
    String k8sPort;

    @Option(
            names = "--k8s-path",
            paramLabel = "PATH",
            description = "With --k8s: the metrics path (default: the prometheus.io/path annotation, else /metrics).")
    String k8sPath;

    @Option(
            names = "--k8s-scheme",
            paramLabel = "SCHEME",
            description = "With --k8s: http or https (default: the prometheus.io/scheme annotation, else http).")
    String k8sScheme;

    @Option(
            names = "--kubeconfig",
            paramLabel = "FILE",
            description = "With --k8s: the kubeconfig (default: $KUBECONFIG, else ~/.kube/config, else the pod's"
                    + " service account).")
    Path kubeconfig;

    @Option(
            names = "--context",
            paramLabel = "NAME",
            description = "With --k8s: the kubeconfig context (default: its current-context).")
    String context;

    @Option(
            names = "--k8s-api",
            paramLabel = "URL",
            description = "With --k8s: the API server's URL, spoken to without credentials (kubectl proxy's"
                    + " http://127.0.0.1:8001).")
    String k8sApi;

    @Option(
            names = "--prometheus",
            paramLabel = "URL",
            description = "Read the fleet a Prometheus server scrapes (its /federate endpoint) instead of"
                    + " scraping URLs: one GET at most every 5 s for any number of replicas. Rows need a --window of at"
                    + " least twice its scrape interval.")
    String prometheus;

    @Option(
            names = "--match",
            paramLabel = "MATCHERS",
            description = "With --prometheus: label matchers every series must also match, e.g."
                    + " 'namespace=\"prod\",job=~\"vllm.*\"'.")
    String match;

    /** URLs, --k8s or --prometheus (on the command line, else in the config): exactly one. */
    Source source(TopConfig file) {
        boolean flags = !urls.isEmpty() || k8s != null || prometheus != null;
        if (match != null && prometheus == null && (flags || file.prometheus() == null))
            throw new IllegalArgumentException("--match goes with --prometheus URL");
        if ((urls.isEmpty() ? 0 : 1) + (k8s == null ? 0 : 1) + (prometheus == null ? 0 : 1) > 1)
            throw new IllegalArgumentException("give one of: metrics URLs, --k8s KIND, --prometheus URL");
        if (prometheus != null) return new Source.Prometheus(prometheusUrl(prometheus), match);
        if (!flags && file.prometheus() != null)
            return new Source.Prometheus(
                    prometheusUrl(file.prometheus().url()),
                    match != null ? match : file.prometheus().selector());
        return new Source.Scraped(discovery(flags ? urls : file.targets()));
    }

    /** A Prometheus server's base URL: http(s), with a host; a path is a prefix (a proxy's). */
    private static URI prometheusUrl(String url) {
        URI u;
        try {
            u = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("--prometheus '" + url + "' is not a URL");
        }
        if (u.getScheme() == null
                || !(u.getScheme().equalsIgnoreCase("http") || u.getScheme().equalsIgnoreCase("https"))
                || u.getHost() == null)
            throw new IllegalArgumentException("--prometheus '" + url
                    + "' is not an http:// or https:// URL with a host, like http://prometheus:9090");
        if (u.getRawQuery() != null || u.getRawFragment() != null)
            throw new IllegalArgumentException(
                    "--prometheus '" + url + "' has a query or fragment; give the server's base URL");
        return u;
    }

    /** The URLs as a fixed list, or the Kubernetes fleet --k8s names: exactly one of them. */
    private Discovery discovery(List<String> urls) {
        boolean kubeOptions = namespace != null
                || allNamespaces
                || selector != null
                || k8sPort != null
                || k8sPath != null
                || k8sScheme != null
                || kubeconfig != null
                || context != null
                || k8sApi != null;
        if (k8s == null) {
            if (kubeOptions)
                throw new IllegalArgumentException(
                        "-n, -A, -l, --k8s-port, --k8s-path, --k8s-scheme, --kubeconfig, --context and --k8s-api"
                                + " go with --k8s KIND");
            if (urls.isEmpty())
                throw new IllegalArgumentException(
                        "give the metrics URLs to watch, --k8s KIND or --prometheus URL (docs/top.md)");
            List<Target> targets = new ArrayList<>();
            for (String u : urls) targets.add(Target.of(u));
            return Discovery.of(targets);
        }
        if (!urls.isEmpty())
            throw new IllegalArgumentException("give metrics URLs or --k8s, not both (got " + urls.getFirst() + ")");
        return Kubernetes.follow(
                new KubeOptions(
                        k8s,
                        namespace,
                        allNamespaces,
                        selector,
                        k8sPort,
                        k8sPath,
                        k8sScheme,
                        k8sApi,
                        kubeconfig,
                        context),
                Main.environment());
    }

    /** Whether any flag names a source (for --replay, which takes none). */
    boolean any() {
        return !urls.isEmpty()
                || k8s != null
                || prometheus != null
                || match != null
                || namespace != null
                || allNamespaces
                || selector != null
                || kubeconfig != null
                || context != null
                || k8sApi != null
                || k8sPort != null
                || k8sPath != null
                || k8sScheme != null;
    }

    /** The source as a recording's header names it. */
    String describe(TopConfig file) {
        if (prometheus != null) return "--prometheus " + prometheus + (match == null ? "" : " --match " + match);
        if (k8s != null)
            return "--k8s " + k8s + (namespace == null ? "" : " -n " + namespace) + (allNamespaces ? " -A" : "")
                    + (selector == null ? "" : " -l " + selector);
        if (!urls.isEmpty()) return String.join(" ", urls);
        if (file.prometheus() != null)
            return "--prometheus " + file.prometheus().url();
        return String.join(" ", file.targets());
    }
}
