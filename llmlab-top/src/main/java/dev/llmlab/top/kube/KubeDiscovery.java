package dev.llmlab.top.kube;

import dev.llmlab.http.client.Proxies;
import dev.llmlab.top.Discovery;
import dev.llmlab.top.Target;
import dev.llmlab.top.kube.KubeObjects.Named;
import dev.llmlab.top.kube.KubeObjects.Pod;
import dev.llmlab.top.kube.KubeObjects.Service;
import dev.llmlab.top.kube.KubeObjects.Slice;
import dev.llmlab.top.kube.Targets.Rules;
import dev.llmlab.top.kube.Watcher.Resource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * A discovery that follows a fleet through the API server: one {@link Watcher} per resource it
 * needs (pods; services and their EndpointSlices; InferenceServices and their pods), and at each
 * change the targets made again from what the watchers know ({@link Targets}) and published, so
 * that {@link #targets()} is a read of a field. The watchers run on the API client's one loop.
 */
final class KubeDiscovery implements Discovery {
    private final Api api;
    private final List<Watcher<?>> watchers = new ArrayList<>();
    private final Supplier<List<Target>> resolve;
    /** What is followed, for messages: "running and ready pod in namespace llm matching app=vllm". */
    private final String what;

    private final CountDownLatch listed = new CountDownLatch(1);
    private volatile List<Target> targets = List.of();

    /**
     * @param name      one object of the kind, or null for all the selector matches
     * @param namespace null for every namespace
     * @throws IllegalArgumentException for a CA file that cannot be read
     */
    KubeDiscovery(
            Connection connection,
            Proxies proxies,
            Kind kind,
            String name,
            String namespace,
            String selector,
            Rules rules,
            long firstBackoffMillis) {
        this.api = new Api(connection, proxies);
        boolean qualified = namespace == null;
        String scope = (namespace == null ? "in any namespace" : "in namespace " + namespace)
                + (selector == null ? "" : " matching " + selector);
        String query = (selector == null ? "" : "&labelSelector=" + Api.encode(selector))
                + (name == null ? "" : "&fieldSelector=" + Api.encode("metadata.name=" + name));
        String where = namespace == null ? " in all namespaces" : " in namespace " + namespace;
        Watch w = new Watch(namespace, firstBackoffMillis);
        switch (kind) {
            case PODS -> {
                Watcher<Pod> pods = w.of(Kind.POD, query, "pods" + where, KubeObjects::pod);
                resolve = () -> Targets.ofPods(pods.items().values(), rules, qualified);
                what = "running and ready pod" + (name == null ? "" : " named " + name) + " " + scope;
            }
            case SERVICES -> {
                Watcher<Service> services = w.of(Kind.SERVICE, query, "services" + where, KubeObjects::service);
                Watcher<Slice> slices = w.of(
                        Kind.ENDPOINT_SLICE,
                        "&labelSelector=" + Api.encode(KubeObjects.SERVICE_NAME),
                        "endpointslices" + where,
                        KubeObjects::slice);
                resolve = () -> Targets.ofServices(
                        services.items().values(), slices.items().values(), rules, qualified);
                what = "ready endpoint of a service" + (name == null ? "" : " named " + name) + " " + scope;
            }
            case INFERENCE_SERVICES -> {
                Watcher<Named> owners =
                        w.of(Kind.INFERENCE_SERVICE, query, "inferenceservices" + where, KubeObjects::named);
                String pods = name == null ? Kind.ISVC_PODS : Kind.ISVC_PODS + "," + Kind.ISVC_LABEL + "=" + name;
                Watcher<Pod> owned =
                        w.of(Kind.POD, "&labelSelector=" + Api.encode(pods), "pods" + where, KubeObjects::pod);
                resolve = () -> Targets.ofOwned(
                        owned.items().values(), owners.items().keySet(), Kind.ISVC_LABEL, rules, qualified);
                what = "ready predictor pod of an InferenceService" + (name == null ? "" : " named " + name) + " "
                        + scope;
            }
            case LLM_INFERENCE_SERVICES -> {
                Watcher<Named> owners =
                        w.of(Kind.LLM_INFERENCE_SERVICE, query, "llminferenceservices" + where, KubeObjects::named);
                String pods =
                        name == null ? Kind.LLMISVC_PODS : Kind.LLMISVC_PODS + "," + Kind.LLMISVC_LABEL + "=" + name;
                Watcher<Pod> owned =
                        w.of(Kind.POD, "&labelSelector=" + Api.encode(pods), "pods" + where, KubeObjects::pod);
                resolve = () -> Targets.ofOwned(
                        owned.items().values(), owners.items().keySet(), Kind.LLMISVC_LABEL, rules, qualified);
                what = "ready workload pod of an LLMInferenceService" + (name == null ? "" : " named " + name) + " "
                        + scope;
            }
            default -> throw new IllegalStateException(kind.name());
        }
        for (Watcher<?> each : watchers) each.start();
    }

    /** Makes the watchers, each telling {@link #changed} of its changes. */
    private final class Watch {
        private final String namespace;
        private final long backoff;

        Watch(String namespace, long backoff) {
            this.namespace = namespace;
            this.backoff = backoff;
        }

        <T> Watcher<T> of(Resource r, String query, String what, Function<JsonNode, T> parse) {
            Watcher<T> w = new Watcher<>(api, r, namespace, query, what, parse, KubeDiscovery.this::changed, backoff);
            watchers.add(w);
            return w;
        }
    }

    /** On the loop: the targets again, once every watcher has listed. */
    private void changed() {
        for (Watcher<?> w : watchers) if (!w.listed()) return;
        targets = resolve.get();
        listed.countDown();
    }

    @Override
    public List<Target> targets() {
        return targets;
    }

    /**
     * Why the targets may not be current, or that there are none: a list or watch failing (the
     * targets last listed are kept meanwhile), the first list not back yet, or nothing matching.
     */
    @Override
    public String error() {
        List<Target> now = targets;
        for (Watcher<?> w : watchers) {
            String e = w.error();
            if (e != null)
                return "Kubernetes: " + e
                        + (now.isEmpty() ? "" : "; showing the " + now.size() + " targets last listed");
        }
        if (listed.getCount() > 0) return "Kubernetes: waiting for the first list from " + api.connection.server();
        if (now.isEmpty()) return "Kubernetes: no " + what;
        return null;
    }

    @Override
    public boolean awaitListed(Duration timeout) throws InterruptedException {
        return listed.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        for (Watcher<?> w : watchers) w.close();
        api.close();
    }
}
