/**
 * Kubernetes discovery for {@code llmlab top}: the pods of a fleet (pods, services, KServe
 * InferenceServices, llm-d LLMInferenceServices), listed and watched through the API server and
 * turned into targets at each change. {@link dev.llmlab.top.kube.Kubernetes#follow} and its
 * {@link dev.llmlab.top.kube.KubeOptions} are the public surface; the rest is package-private:
 * {@code Kubeconfig} and {@code Connection} (where the API server is, and the token), {@code Api}
 * (its client), {@code Watcher} (list then watch, one resource), {@code KubeObjects} (the fields
 * read), {@code Targets} (objects to URLs), {@code KubeDiscovery} (the watchers together).
 */
package dev.llmlab.top.kube;
