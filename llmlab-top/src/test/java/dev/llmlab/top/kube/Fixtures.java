package dev.llmlab.top.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.top.Target;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Kubernetes objects as the API server serves them, reduced to the fields discovery reads; and waiting on a condition. */
final class Fixtures {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Fixtures() {}

    static ObjectNode object(
            String namespace, String name, Map<String, String> labels, Map<String, String> annotations) {
        ObjectNode o = JSON.createObjectNode();
        ObjectNode m = o.putObject("metadata");
        m.put("name", name).put("namespace", namespace);
        ObjectNode l = m.putObject("labels");
        labels.forEach(l::put);
        ObjectNode a = m.putObject("annotations");
        annotations.forEach(a::put);
        return o;
    }

    /** A pod with one container whose ports are {@code name:number} pairs ("metrics:9090", ":8000" unnamed). */
    static ObjectNode pod(
            String namespace,
            String name,
            String ip,
            boolean ready,
            Map<String, String> labels,
            Map<String, String> annotations,
            String... ports) {
        ObjectNode o = object(namespace, name, labels, annotations);
        ArrayNode p = o.putObject("spec")
                .putArray("containers")
                .addObject()
                .put("name", "main")
                .putArray("ports");
        for (String port : ports) {
            String[] nameNumber = port.split(":");
            ObjectNode each = p.addObject()
                    .put("containerPort", Integer.parseInt(nameNumber[1]))
                    .put("protocol", "TCP");
            if (!nameNumber[0].isEmpty()) each.put("name", nameNumber[0]);
        }
        ObjectNode status = o.putObject("status");
        status.put("phase", "Running").put("podIP", ip);
        status.putArray("conditions").addObject().put("type", "Ready").put("status", ready ? "True" : "False");
        return o;
    }

    static ObjectNode pod(String namespace, String name, String ip, boolean ready, Map<String, String> labels) {
        return pod(namespace, name, ip, ready, labels, Map.of(), "http:8000");
    }

    /** An EndpointSlice of {@code service} with one port, and endpoints as {@code address:pod:ready}. */
    static ObjectNode slice(
            String namespace, String name, String service, String portName, int port, String... endpoints) {
        ObjectNode o = object(namespace, name, Map.of(KubeObjects.SERVICE_NAME, service), Map.of());
        o.put("addressType", "IPv4");
        o.putArray("ports").addObject().put("name", portName).put("port", port).put("protocol", "TCP");
        ArrayNode e = o.putArray("endpoints");
        for (String each : endpoints) {
            String[] parts = each.split(":");
            ObjectNode n = e.addObject();
            n.putArray("addresses").add(parts[0]);
            n.putObject("conditions").put("ready", Boolean.parseBoolean(parts[2]));
            n.putObject("targetRef").put("kind", "Pod").put("name", parts[1]).put("namespace", namespace);
        }
        return o;
    }

    /** Polls {@code condition} until it holds, failing after 10 s. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within 10 s: " + what);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** The names and URLs of {@code targets}, as "name=url". */
    static List<String> show(List<Target> targets) {
        return targets.stream().map(t -> t.name() + "=" + t.url()).toList();
    }

    static void assertTargets(List<Target> targets, String... expected) {
        assertThat(show(targets)).containsExactly(expected);
    }
}
