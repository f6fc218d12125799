package dev.llmlab.top.kube;

import dev.llmlab.top.Target;
import dev.llmlab.top.kube.KubeObjects.Endpoint;
import dev.llmlab.top.kube.KubeObjects.Pod;
import dev.llmlab.top.kube.KubeObjects.Port;
import dev.llmlab.top.kube.KubeObjects.Service;
import dev.llmlab.top.kube.KubeObjects.Slice;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which metrics URLs the objects a discovery knows come to: pure functions of them, run at each
 * change.
 *
 * <p>A pod's URL: {@code SCHEME://POD_IP:PORT/PATH}. The port is the one asked for (a number, or the
 * name of one of the pod's container ports); else the pod's {@code prometheus.io/port} annotation
 * (the convention of Prometheus' Kubernetes examples), else its {@code prometheus.kserve.io/port}
 * (KServe's runtimes annotate their pods so: kserve/kserve {@code config/runtimes/*.yaml},
 * {@code KserveContainerPrometheusPortKey} in {@code pkg/constants/constants.go}); else its container
 * port named {@code metrics}, then {@code http}; else its first TCP container port. A pod with none
 * is left out. The path and scheme are those asked for, else the annotations
 * ({@code prometheus.io/path}, {@code prometheus.kserve.io/path}, {@code prometheus.io/scheme}),
 * else {@code /metrics} and {@code http}. A service's
 * endpoints follow the same rules with the EndpointSlice's ports and the service's annotations, as
 * Prometheus' {@code endpoints} role does.
 *
 * <p>Only pods that serve (running, ready, not being deleted) and ready endpoints are listed; a
 * target is named by its pod ({@code namespace/name} over several namespaces), and the list is in
 * name order with each URL once.
 */
final class Targets {
    private Targets() {}

    /** What was asked: each null to find it as the class comment says. */
    record Rules(String port, String path, String scheme) {}

    static final String PORT = "prometheus.io/port";
    static final String PATH = "prometheus.io/path";
    static final String SCHEME = "prometheus.io/scheme";
    static final String KSERVE_PORT = "prometheus.kserve.io/port";
    static final String KSERVE_PATH = "prometheus.kserve.io/path";

    /** The targets of {@code pods} that serve. */
    static List<Target> ofPods(Collection<Pod> pods, Rules rules, boolean qualified) {
        List<Target> out = new ArrayList<>();
        for (Pod p : pods) {
            if (!p.serving()) continue;
            Integer port = port(rules.port(), p.annotations(), p.ports());
            if (port == null) continue;
            out.add(new Target(name(p.namespace(), p.name(), qualified), url(rules, p.annotations(), p.ip(), port)));
        }
        return distinct(out);
    }

    /** The targets of the ready endpoints of {@code services}, from their EndpointSlices. */
    static List<Target> ofServices(
            Collection<Service> services, Collection<Slice> slices, Rules rules, boolean qualified) {
        Map<String, List<Slice>> byService = new HashMap<>();
        for (Slice s : slices)
            byService
                    .computeIfAbsent(s.namespace() + "/" + s.service(), k -> new ArrayList<>())
                    .add(s);
        List<Target> out = new ArrayList<>();
        for (Service svc : services) {
            for (Slice s : byService.getOrDefault(svc.namespace() + "/" + svc.name(), List.of())) {
                Integer port = port(rules.port(), svc.annotations(), s.ports());
                if (port == null) continue;
                for (Endpoint e : s.endpoints()) {
                    if (!e.ready()) continue;
                    String name = e.pod() != null
                            ? name(s.namespace(), e.pod(), qualified)
                            : name(s.namespace(), host(e.address()) + ":" + port, qualified);
                    out.add(new Target(name, url(rules, svc.annotations(), e.address(), port)));
                }
            }
        }
        return distinct(out);
    }

    /**
     * The targets of the serving pods that belong to {@code owners} (namespace/name): those whose
     * label {@code ownerLabel} names one of them in their namespace.
     */
    static List<Target> ofOwned(
            Collection<Pod> pods, Set<String> owners, String ownerLabel, Rules rules, boolean qualified) {
        List<Pod> owned = new ArrayList<>();
        for (Pod p : pods) {
            String owner = p.labels().get(ownerLabel);
            if (owner != null && owners.contains(p.namespace() + "/" + owner)) owned.add(p);
        }
        return ofPods(owned, rules, qualified);
    }

    /** The port to scrape, or null when there is none. */
    static Integer port(String asked, Map<String, String> annotations, List<Port> ports) {
        if (asked != null) {
            Integer n = number(asked);
            if (n != null) return n;
            return named(ports, asked);
        }
        Integer annotated = number(annotations.get(PORT));
        if (annotated == null) annotated = number(annotations.get(KSERVE_PORT));
        if (annotated != null) return annotated;
        Integer p = named(ports, "metrics");
        if (p == null) p = named(ports, "http");
        if (p == null && !ports.isEmpty() && ports.getFirst().number() > 0)
            p = ports.getFirst().number();
        return p;
    }

    private static Integer named(List<Port> ports, String name) {
        for (Port p : ports) if (p.name().equals(name) && p.number() > 0) return p.number();
        return null;
    }

    /** A port number in 1..65535, or null. */
    static Integer number(String s) {
        if (s == null || s.isEmpty() || s.length() > 5 || !s.chars().allMatch(Character::isDigit)) return null;
        int n = Integer.parseInt(s);
        return n >= 1 && n <= 65535 ? n : null;
    }

    private static URI url(Rules rules, Map<String, String> annotations, String address, int port) {
        String scheme = rules.scheme();
        if (scheme == null) {
            String a = annotations.get(SCHEME);
            scheme = "https".equals(a) ? "https" : "http";
        }
        String path = rules.path();
        if (path == null) {
            String a = annotations.getOrDefault(PATH, annotations.get(KSERVE_PATH));
            path = a == null || a.isBlank() ? "/metrics" : a.startsWith("/") ? a.strip() : "/" + a.strip();
        }
        try {
            return URI.create(scheme + "://" + host(address) + ":" + port + path);
        } catch (IllegalArgumentException e) { // an annotated path that is not a URL's: the default one
            return URI.create(scheme + "://" + host(address) + ":" + port + "/metrics");
        }
    }

    private static String host(String address) {
        return address.indexOf(':') >= 0 ? "[" + address + "]" : address;
    }

    private static String name(String namespace, String name, boolean qualified) {
        return qualified ? namespace + "/" + name : name;
    }

    /**
     * Each URL once (two services may select one pod), in name order; names that two URLs share (one
     * pod through two ports) get the port.
     */
    private static List<Target> distinct(List<Target> targets) {
        Map<URI, Target> byUrl = new LinkedHashMap<>();
        for (Target t : targets) byUrl.putIfAbsent(t.url(), t);
        Map<String, Integer> names = new HashMap<>();
        for (Target t : byUrl.values()) names.merge(t.name(), 1, Integer::sum);
        List<Target> out = new ArrayList<>(byUrl.size());
        for (Target t : byUrl.values())
            out.add(
                    names.get(t.name()) == 1
                            ? t
                            : new Target(t.name() + ":" + t.url().getPort(), t.url()));
        out.sort(Comparator.comparing(Target::name).thenComparing(t -> t.url().toString()));
        return List.copyOf(out);
    }
}
