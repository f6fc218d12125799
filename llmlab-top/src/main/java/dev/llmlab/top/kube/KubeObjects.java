package dev.llmlab.top.kube;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The few fields of Kubernetes objects that discovery needs, read from their JSON into records: of
 * a pod, whether it serves (running, ready, not being deleted) and where (its IP and container
 * ports); of a service, its annotations; of an EndpointSlice, its service, ports and endpoints; of
 * any other object (an InferenceService), its name. Absent fields read as empty, never fail: the
 * API server's objects are trusted to have the shapes the API documents.
 */
final class KubeObjects {
    private KubeObjects() {}

    /** A named TCP port: a container's, or an EndpointSlice's (named by the service's port). */
    record Port(String name, int number) {}

    /**
     * @param serving running, ready and not being deleted, with an IP
     */
    record Pod(
            String namespace,
            String name,
            Map<String, String> labels,
            Map<String, String> annotations,
            boolean serving,
            String ip,
            List<Port> ports) {}

    record Service(String namespace, String name, Map<String, String> annotations) {}

    /** @param pod the pod the endpoint is, or null when it is not a pod */
    record Endpoint(String address, boolean ready, String pod) {}

    record Slice(String namespace, String name, String service, List<Port> ports, List<Endpoint> endpoints) {}

    /** An object only named: an InferenceService, an LLMInferenceService. */
    record Named(String namespace, String name) {}

    static String key(JsonNode object) {
        JsonNode m = object.path("metadata");
        return m.path("namespace").asString("") + "/" + m.path("name").asString("");
    }

    static Named named(JsonNode o) {
        JsonNode m = o.path("metadata");
        return new Named(m.path("namespace").asString(""), m.path("name").asString(""));
    }

    static Pod pod(JsonNode o) {
        JsonNode m = o.path("metadata");
        JsonNode status = o.path("status");
        boolean ready = false;
        for (JsonNode c : status.path("conditions"))
            if (c.path("type").asString("").equals("Ready"))
                ready = c.path("status").asString("").equals("True");
        String ip = status.path("podIP").asString("");
        boolean serving = ready
                && status.path("phase").asString("").equals("Running")
                && m.path("deletionTimestamp").isMissingNode()
                && !ip.isEmpty();
        List<Port> ports = new ArrayList<>();
        for (JsonNode c : o.path("spec").path("containers"))
            for (JsonNode p : c.path("ports")) {
                if (!p.path("protocol").asString("TCP").equals("TCP")) continue;
                ports.add(new Port(
                        p.path("name").asString(""), p.path("containerPort").asInt(0)));
            }
        return new Pod(
                m.path("namespace").asString(""),
                m.path("name").asString(""),
                strings(m.path("labels")),
                strings(m.path("annotations")),
                serving,
                ip,
                List.copyOf(ports));
    }

    static Service service(JsonNode o) {
        JsonNode m = o.path("metadata");
        return new Service(
                m.path("namespace").asString(""), m.path("name").asString(""), strings(m.path("annotations")));
    }

    /** The label every EndpointSlice of a service carries, naming it. */
    static final String SERVICE_NAME = "kubernetes.io/service-name";

    static Slice slice(JsonNode o) {
        JsonNode m = o.path("metadata");
        List<Port> ports = new ArrayList<>();
        for (JsonNode p : o.path("ports")) {
            if (!p.path("protocol").asString("TCP").equals("TCP")) continue;
            ports.add(new Port(p.path("name").asString(""), p.path("port").asInt(0)));
        }
        List<Endpoint> endpoints = new ArrayList<>();
        for (JsonNode e : o.path("endpoints")) {
            JsonNode addresses = e.path("addresses");
            if (addresses.isEmpty()) continue;
            // a nil ready condition means ready (discovery.k8s.io/v1 EndpointConditions)
            JsonNode ready = e.path("conditions").path("ready");
            JsonNode ref = e.path("targetRef");
            String pod = ref.path("kind").asString("").equals("Pod")
                    ? ref.path("name").asString(null)
                    : null;
            endpoints.add(new Endpoint(addresses.get(0).asString(""), ready.isMissingNode() || ready.asBoolean(), pod));
        }
        return new Slice(
                m.path("namespace").asString(""),
                m.path("name").asString(""),
                m.path("labels").path(SERVICE_NAME).asString(""),
                List.copyOf(ports),
                List.copyOf(endpoints));
    }

    private static Map<String, String> strings(JsonNode object) {
        if (!object.isObject()) return Map.of();
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : object.properties())
            out.put(e.getKey(), e.getValue().asString(""));
        return out;
    }
}
