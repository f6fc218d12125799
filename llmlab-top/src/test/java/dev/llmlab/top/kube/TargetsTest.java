package dev.llmlab.top.kube;

import static dev.llmlab.top.kube.Fixtures.show;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.top.kube.KubeObjects.Endpoint;
import dev.llmlab.top.kube.KubeObjects.Pod;
import dev.llmlab.top.kube.KubeObjects.Port;
import dev.llmlab.top.kube.KubeObjects.Service;
import dev.llmlab.top.kube.KubeObjects.Slice;
import dev.llmlab.top.kube.Targets.Rules;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which URL a pod or an endpoint comes to: the port, path and scheme rules, names, and each URL once. */
class TargetsTest {
    static final Rules FIND = new Rules(null, null, null);

    static Pod pod(String name, Map<String, String> annotations, Port... ports) {
        return new Pod("llm", name, Map.of(), annotations, true, "10.0.0.1", List.of(ports));
    }

    static String url(Rules r, Pod p) {
        List<String> t = show(Targets.ofPods(List.of(p), r, false));
        return t.isEmpty() ? null : t.getFirst().substring(t.getFirst().indexOf('=') + 1);
    }

    @Test
    void thePort_isTheOneAsked_elseAnnotated_elseNamedMetricsOrHttp_elseTheFirst() {
        Port grpc = new Port("grpc", 9000);
        Port http = new Port("http", 8000);
        Port metrics = new Port("metrics", 9090);
        Pod all = pod("p", Map.of(), grpc, http, metrics);
        assertThat(url(FIND, all)).isEqualTo("http://10.0.0.1:9090/metrics");
        assertThat(url(FIND, pod("p", Map.of(), grpc, http))).isEqualTo("http://10.0.0.1:8000/metrics");
        assertThat(url(FIND, pod("p", Map.of(), grpc))).isEqualTo("http://10.0.0.1:9000/metrics");
        assertThat(url(FIND, pod("p", Map.of("prometheus.io/port", "8080"), grpc, metrics)))
                .isEqualTo("http://10.0.0.1:8080/metrics");
        assertThat(url(
                        FIND,
                        pod("p", Map.of("prometheus.kserve.io/port", "8081", "prometheus.kserve.io/path", "/m"), grpc)))
                .isEqualTo("http://10.0.0.1:8081/m");
        assertThat(url(FIND, pod("p", Map.of("prometheus.io/port", "9088", "prometheus.kserve.io/port", "8081"), grpc)))
                .isEqualTo("http://10.0.0.1:9088/metrics");
        assertThat(url(FIND, pod("p", Map.of("prometheus.io/port", "not-a-port"), grpc)))
                .isEqualTo("http://10.0.0.1:9000/metrics");
        assertThat(url(new Rules("grpc", null, null), all)).isEqualTo("http://10.0.0.1:9000/metrics");
        assertThat(url(new Rules("7777", null, null), all)).isEqualTo("http://10.0.0.1:7777/metrics");
        assertThat(url(new Rules("admin", null, null), all))
                .as("no port of that name")
                .isNull();
        assertThat(url(FIND, pod("p", Map.of()))).as("no port at all").isNull();
    }

    @Test
    void pathAndScheme_areTheOnesAsked_elseAnnotated_elseMetricsOverHttp() {
        Pod annotated = pod(
                "p",
                Map.of("prometheus.io/path", "stats/prometheus", "prometheus.io/scheme", "https"),
                new Port("http", 8000));
        assertThat(url(FIND, annotated)).isEqualTo("https://10.0.0.1:8000/stats/prometheus");
        assertThat(url(new Rules(null, "/v2/metrics", "http"), annotated)).isEqualTo("http://10.0.0.1:8000/v2/metrics");
    }

    @Test
    void podsThatDoNotServe_areLeftOut_andNamesAreQualifiedOverNamespaces() {
        Pod serving = new Pod("llm", "a", Map.of(), Map.of(), true, "10.0.0.1", List.of(new Port("http", 8000)));
        Pod starting = new Pod("llm", "b", Map.of(), Map.of(), false, "10.0.0.2", List.of(new Port("http", 8000)));
        Pod v6 = new Pod("eval", "c", Map.of(), Map.of(), true, "fd00::5", List.of(new Port("http", 8000)));
        assertThat(show(Targets.ofPods(List.of(starting, serving, v6), FIND, true)))
                .containsExactly("eval/c=http://[fd00::5]:8000/metrics", "llm/a=http://10.0.0.1:8000/metrics");
    }

    @Test
    void endpoints_takeTheSlicePortsAndTheServiceAnnotations_eachUrlOnce() {
        Service a = new Service("llm", "a", Map.of());
        Service b = new Service("llm", "b", Map.of("prometheus.io/port", "9100"));
        Endpoint p0 = new Endpoint("10.0.0.1", true, "vllm-0");
        Endpoint p1 = new Endpoint("10.0.0.2", false, "vllm-1");
        Endpoint bare = new Endpoint("10.0.0.3", true, null);
        Slice sa = new Slice(
                "llm", "a-1", "a", List.of(new Port("grpc", 9000), new Port("http", 8000)), List.of(p0, p1, bare));
        Slice sa2 = new Slice("llm", "a-2", "a", List.of(new Port("http", 8000)), List.of(p0)); // the same pod again
        Slice sb = new Slice("llm", "b-1", "b", List.of(new Port("http", 8000)), List.of(p0));
        assertThat(show(Targets.ofServices(List.of(a, b), List.of(sa, sa2, sb), FIND, false)))
                .containsExactly(
                        "10.0.0.3:8000=http://10.0.0.3:8000/metrics",
                        "vllm-0:8000=http://10.0.0.1:8000/metrics",
                        "vllm-0:9100=http://10.0.0.1:9100/metrics");
    }

    @Test
    void ownedPods_areThoseWhoseLabelNamesAnOwnerInTheirNamespace() {
        Pod mine =
                new Pod("llm", "m", Map.of("owner", "x"), Map.of(), true, "10.0.0.1", List.of(new Port("http", 8000)));
        Pod elsewhere =
                new Pod("eval", "e", Map.of("owner", "x"), Map.of(), true, "10.0.0.2", List.of(new Port("http", 8000)));
        Pod unowned = new Pod("llm", "u", Map.of(), Map.of(), true, "10.0.0.3", List.of(new Port("http", 8000)));
        assertThat(show(Targets.ofOwned(List.of(mine, elsewhere, unowned), Set.of("llm/x"), "owner", FIND, false)))
                .containsExactly("m=http://10.0.0.1:8000/metrics");
    }
}
