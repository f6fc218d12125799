package dev.llmlab.top.kube;

import java.nio.file.Path;

/**
 * What to follow in a Kubernetes cluster, and how to reach its API server, as a person gave it.
 * {@link Kubernetes#follow} checks it and says what is wrong.
 *
 * @param resource      {@code pods}, {@code services}, {@code inferenceservices} or
 *                      {@code llminferenceservices} (or kubectl's short names {@code po}, {@code svc},
 *                      {@code isvc}, {@code llmisvc}, or the singular), optionally {@code /NAME} for one
 *                      object of that kind
 * @param namespace     the namespace; null for the configuration's (the kubeconfig context's, the
 *                      pod's own in a cluster, else {@code default})
 * @param allNamespaces every namespace (then {@code namespace} must be null)
 * @param selector      a label selector on the resources ({@code app=vllm,tier!=canary}), or null
 * @param port          the port to scrape: a number, or a container (or EndpointSlice) port's name;
 *                      null to find it (see docs/top.md)
 * @param path          the metrics path, starting with {@code /}; null for the
 *                      {@code prometheus.io/path} annotation, else {@code /metrics}
 * @param scheme        {@code http} or {@code https}; null for the {@code prometheus.io/scheme}
 *                      annotation, else {@code http}
 * @param apiUrl        the API server's URL, spoken to without credentials (as {@code kubectl proxy}
 *                      serves it); null to read a kubeconfig or the pod's service account
 * @param kubeconfig    the kubeconfig file; null for {@code $KUBECONFIG} or {@code ~/.kube/config}
 * @param context       the kubeconfig context; null for its {@code current-context}
 */
public record KubeOptions(
        String resource,
        String namespace,
        boolean allNamespaces,
        String selector,
        String port,
        String path,
        String scheme,
        String apiUrl,
        Path kubeconfig,
        String context) {}
