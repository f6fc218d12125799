package dev.llmlab.top.kube;

import static dev.llmlab.top.kube.Fixtures.assertTargets;
import static dev.llmlab.top.kube.Fixtures.await;
import static dev.llmlab.top.kube.Fixtures.object;
import static dev.llmlab.top.kube.Fixtures.pod;
import static dev.llmlab.top.kube.Fixtures.show;
import static dev.llmlab.top.kube.Fixtures.slice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.top.Discovery;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Discovery against a fake API server on loopback: pods that come, become ready and go; a 410 that
 * forces a relist; an API server that goes away and comes back; services through their
 * EndpointSlices; InferenceServices and LLMInferenceServices through their pods' labels.
 */
class KubeDiscoveryTest {
    static final String PODS = "/api/v1/namespaces/llm/pods";
    static final Map<String, String> VLLM = Map.of("app", "vllm");
    static final Duration WAIT = Duration.ofSeconds(10);

    static Discovery follow(FakeApiServer api, String resource, String selector) {
        return Kubernetes.follow(
                new KubeOptions(resource, "llm", false, selector, null, null, null, api.url(), null, null),
                Map.of(),
                Path.of("/nonexistent"),
                50);
    }

    @Test
    void pods_thatComeBecomeReadyAndGo_areListedAsTheirEventsArrive() throws Exception {
        try (FakeApiServer api = new FakeApiServer(null, null)) {
            api.put(PODS, pod("llm", "a", "10.0.0.1", true, VLLM));
            api.put(PODS, pod("llm", "other", "10.0.0.9", true, Map.of("app", "sglang")));
            try (Discovery d = follow(api, "pods", "app=vllm")) {
                assertThat(d.awaitListed(WAIT)).isTrue();
                assertTargets(d.targets(), "a=http://10.0.0.1:8000/metrics");
                assertThat(d.error()).isNull();

                api.put(PODS, pod("llm", "b", "10.0.0.2", false, VLLM)); // not ready yet
                api.put(PODS, pod("llm", "c", "10.0.0.3", true, VLLM));
                await("c listed", () -> d.targets().size() == 2);
                assertTargets(d.targets(), "a=http://10.0.0.1:8000/metrics", "c=http://10.0.0.3:8000/metrics");

                api.put(PODS, pod("llm", "b", "10.0.0.2", true, VLLM)); // ready
                await("b listed", () -> d.targets().size() == 3);
                api.delete(PODS, "a");
                await("a gone", () -> d.targets().size() == 2);
                assertTargets(d.targets(), "b=http://10.0.0.2:8000/metrics", "c=http://10.0.0.3:8000/metrics");
                assertThat(api.lists(PODS)).isEqualTo(1);
                assertThat(api.requests().getFirst()).contains("labelSelector=app%3Dvllm");
            }
        }
    }

    @Test
    void gone_asAnEventOrAsAnAnswer_relists() throws Exception {
        try (FakeApiServer api = new FakeApiServer(null, null)) {
            api.put(PODS, pod("llm", "a", "10.0.0.1", true, VLLM));
            try (Discovery d = follow(api, "pods", null)) {
                assertThat(d.awaitListed(WAIT)).isTrue();
                await("watching", () -> api.watches(PODS) == 1);

                // the watch's history is compacted away: an ERROR event, and only a list knows what changed
                api.replaceQuietly(PODS, List.of(pod("llm", "b", "10.0.0.2", true, VLLM)));
                api.expire(PODS);
                await("relisted", () -> show(d.targets()).equals(List.of("b=http://10.0.0.2:8000/metrics")));
                assertThat(api.lists(PODS)).isEqualTo(2);

                // the server ends the watch; the next one, from a version compacted meanwhile, is answered 410
                await("watching again", () -> api.watches(PODS) == 2);
                api.replaceQuietly(PODS, List.of(pod("llm", "c", "10.0.0.3", true, VLLM)));
                api.endWatches();
                await("relisted again", () -> show(d.targets()).equals(List.of("c=http://10.0.0.3:8000/metrics")));
                assertThat(api.lists(PODS)).isEqualTo(3);
                assertThat(d.error()).isNull();
            }
        }
    }

    @Test
    void anApiServerThatGoesAway_keepsTheTargetsLastListed_saysWhy_andIsFollowedAgainWhenBack() throws Exception {
        try (FakeApiServer api = new FakeApiServer(null, null)) {
            api.put(PODS, pod("llm", "a", "10.0.0.1", true, VLLM));
            try (Discovery d = follow(api, "pods", null)) {
                assertThat(d.awaitListed(WAIT)).isTrue();
                await("watching", () -> api.watches(PODS) == 1);
                api.stop();
                await("failing", () -> d.error() != null);
                assertThat(d.error())
                        .startsWith("Kubernetes: cannot list pods in namespace llm: ")
                        .contains("retrying in")
                        .endsWith("showing the 1 targets last listed");
                assertTargets(d.targets(), "a=http://10.0.0.1:8000/metrics");

                api.put(PODS, pod("llm", "b", "10.0.0.2", true, VLLM));
                api.restart();
                await("followed again", () -> d.targets().size() == 2 && d.error() == null);
            }
        }
    }

    @Test
    void aForbiddenList_isReportedInTheApiServersWords() throws Exception {
        try (FakeApiServer api = new FakeApiServer(null, null)) {
            api.fail(
                    PODS,
                    403,
                    "pods is forbidden: User \"system:serviceaccount:llm:top\" cannot list resource \"pods\"");
            try (Discovery d = follow(api, "pods", null)) {
                assertThat(d.awaitListed(Duration.ofMillis(300))).isFalse();
                await("failed", () -> d.error() != null && d.error().contains("403"));
                assertThat(d.error()).contains("HTTP 403: pods is forbidden: User \"system:serviceaccount:llm:top\"");
                assertThat(d.targets()).isEmpty();
            }
        }
    }

    @Test
    void nothingMatching_isSaid() throws Exception {
        try (FakeApiServer api = new FakeApiServer(null, null)) {
            api.put(PODS, pod("llm", "a", "10.0.0.1", false, VLLM));
            try (Discovery d = follow(api, "pods", "app=vllm")) {
                assertThat(d.awaitListed(WAIT)).isTrue();
                assertThat(d.targets()).isEmpty();
                assertThat(d.error())
                        .isEqualTo("Kubernetes: no running and ready pod in namespace llm matching app=vllm");
            }
        }
    }

    @Test
    void services_areTheirReadyEndpoints_fromEndpointSlices() throws Exception {
        String services = "/api/v1/namespaces/llm/services";
        String slices = "/apis/discovery.k8s.io/v1/namespaces/llm/endpointslices";
        try (FakeApiServer api = new FakeApiServer(null, null)) {
            api.put(services, object("llm", "vllm", VLLM, Map.of()));
            api.put(services, object("llm", "db", Map.of("app", "db"), Map.of()));
            api.put(
                    slices,
                    slice("llm", "vllm-x1", "vllm", "http", 8000, "10.0.0.1:vllm-0:true", "10.0.0.2:vllm-1:false"));
            api.put(slices, slice("llm", "db-y2", "db", "pg", 5432, "10.0.0.7:db-0:true"));
            try (Discovery d = follow(api, "svc", "app=vllm")) {
                assertThat(d.awaitListed(WAIT)).isTrue();
                assertTargets(d.targets(), "vllm-0=http://10.0.0.1:8000/metrics");

                api.put(
                        slices,
                        slice("llm", "vllm-x1", "vllm", "http", 8000, "10.0.0.1:vllm-0:true", "10.0.0.2:vllm-1:true"));
                await("vllm-1 ready", () -> d.targets().size() == 2);
                assertTargets(
                        d.targets(), "vllm-0=http://10.0.0.1:8000/metrics", "vllm-1=http://10.0.0.2:8000/metrics");
                assertThat(api.requests())
                        .anyMatch(r -> r.startsWith("/apis/discovery.k8s.io/v1/namespaces/llm/endpointslices?")
                                && r.contains("labelSelector=kubernetes.io%2Fservice-name"));
            }
        }
    }

    @Test
    void inferenceServices_areThePodsOfTheirPredictors() throws Exception {
        String isvcs = "/apis/serving.kserve.io/v1beta1/namespaces/llm/inferenceservices";
        try (FakeApiServer api = new FakeApiServer(null, null)) {
            api.put(isvcs, object("llm", "llama", Map.of("team", "search"), Map.of()));
            api.put(isvcs, object("llm", "mistral", Map.of("team", "ads"), Map.of()));
            Map<String, String> annotated = Map.of("prometheus.io/port", "8080", "prometheus.io/path", "/metrics");
            api.put(
                    PODS,
                    pod(
                            "llm",
                            "llama-predictor-1",
                            "10.0.0.1",
                            true,
                            predictor("llama"),
                            annotated,
                            "user-port:8080",
                            "queue:8012"));
            api.put(
                    PODS,
                    pod(
                            "llm",
                            "llama-transformer-1",
                            "10.0.0.2",
                            true,
                            Map.of(Kind.ISVC_LABEL, "llama", "component", "transformer")));
            api.put(
                    PODS,
                    pod(
                            "llm",
                            "mistral-predictor-1",
                            "10.0.0.3",
                            true,
                            predictor("mistral"),
                            annotated,
                            "user-port:8080"));
            try (Discovery d = follow(api, "isvc", "team=search")) {
                assertThat(d.awaitListed(WAIT)).isTrue();
                assertTargets(d.targets(), "llama-predictor-1=http://10.0.0.1:8080/metrics");

                api.put(isvcs, object("llm", "mistral", Map.of("team", "search"), Map.of())); // now selected
                await("mistral's pod", () -> d.targets().size() == 2);
                assertThat(show(d.targets())).contains("mistral-predictor-1=http://10.0.0.3:8080/metrics");
                api.delete(isvcs, "llama");
                await("llama gone", () -> d.targets().size() == 1);
            }
        }
    }

    static Map<String, String> predictor(String isvc) {
        return Map.of(Kind.ISVC_LABEL, isvc, "component", "predictor");
    }

    @Test
    void llmInferenceServices_areTheirWorkloadPods_atTheVersionTheServerServes() throws Exception {
        String llmisvcs = "/apis/serving.kserve.io/v1alpha1/namespaces/llm/llminferenceservices"; // no v1alpha2 here
        try (FakeApiServer api = new FakeApiServer(null, null)) {
            api.put(llmisvcs, object("llm", "qwen", Map.of(), Map.of()));
            api.put(llmisvcs, object("llm", "other", Map.of(), Map.of()));
            api.put(
                    PODS,
                    pod(
                            "llm",
                            "qwen-kserve-abc",
                            "10.0.0.1",
                            true,
                            workload("qwen", "llminferenceservice-workload"),
                            Map.of(),
                            ":8000"));
            api.put(
                    PODS,
                    pod(
                            "llm",
                            "qwen-kserve-prefill-def",
                            "10.0.0.2",
                            true,
                            workload("qwen", "llminferenceservice-workload-prefill"),
                            Map.of(),
                            ":8000"));
            api.put(
                    PODS,
                    pod(
                            "llm",
                            "qwen-kserve-router-scheduler-x",
                            "10.0.0.3",
                            true,
                            Map.of(
                                    "app.kubernetes.io/part-of", "llminferenceservice",
                                    "app.kubernetes.io/name", "qwen",
                                    "app.kubernetes.io/component", "llminferenceservice-router-scheduler")));
            api.put(
                    PODS,
                    pod(
                            "llm",
                            "other-kserve-abc",
                            "10.0.0.4",
                            true,
                            workload("other", "llminferenceservice-workload"),
                            Map.of(),
                            ":8000"));
            try (Discovery d = follow(api, "llmisvc/qwen", null)) {
                assertThat(d.awaitListed(WAIT)).isTrue();
                assertTargets(
                        d.targets(),
                        "qwen-kserve-abc=http://10.0.0.1:8000/metrics",
                        "qwen-kserve-prefill-def=http://10.0.0.2:8000/metrics");
                assertThat(api.requests()).anyMatch(r -> r.startsWith("/apis/serving.kserve.io/v1alpha2/"));
                assertThat(api.requests())
                        .anyMatch(r -> r.startsWith(llmisvcs) && r.contains("fieldSelector=metadata.name%3Dqwen"));
            }
        }
    }

    static Map<String, String> workload(String llmisvc, String component) {
        return Map.of(
                "app.kubernetes.io/part-of",
                "llminferenceservice",
                "app.kubernetes.io/name",
                llmisvc,
                "app.kubernetes.io/component",
                component,
                "kserve.io/component",
                "workload");
    }

    @Test
    void aMissingCustomResource_saysWhatToInstall() throws Exception {
        try (FakeApiServer api = new FakeApiServer(null, null)) {
            try (Discovery d = follow(api, "inferenceservices", null)) {
                await("failed", () -> d.error() != null && d.error().contains("KServe"));
                assertThat(d.error())
                        .contains("does not serve inferenceservices.serving.kserve.io/v1beta1: is KServe installed?");
            }
        }
    }

    @Test
    void allNamespaces_nameTargetsWithTheirNamespace() throws Exception {
        try (FakeApiServer api = new FakeApiServer(null, null)) {
            api.put("/api/v1/pods", pod("llm", "a", "10.0.0.1", true, VLLM));
            api.put("/api/v1/pods", pod("eval", "a", "10.0.1.1", true, VLLM));
            try (Discovery d = Kubernetes.follow(
                    new KubeOptions("pods", null, true, null, "http", null, null, api.url(), null, null),
                    Map.of(),
                    Path.of("/nonexistent"),
                    50)) {
                assertThat(d.awaitListed(WAIT)).isTrue();
                assertTargets(d.targets(), "eval/a=http://10.0.1.1:8000/metrics", "llm/a=http://10.0.0.1:8000/metrics");
            }
        }
    }
}
