package dev.llmlab.top.kube;

import dev.llmlab.top.kube.Watcher.Resource;
import java.util.List;
import java.util.Locale;

/**
 * What a discovery follows, and how each kind comes to pods.
 *
 * <p>InferenceService: KServe's predictor labels every pod it makes
 * {@code serving.kserve.io/inferenceservice=<name>} and {@code component=predictor}
 * (kserve/kserve {@code pkg/constants/constants.go}: {@code InferenceServicePodLabelKey},
 * {@code KServiceComponentLabel}; set in
 * {@code pkg/controller/v1beta1/inferenceservice/components/predictor.go}), and KServe's own router
 * finds the predictor's pods by these two labels.
 *
 * <p>LLMInferenceService (llm-d's, in KServe): its workload pods are labelled
 * {@code app.kubernetes.io/part-of=llminferenceservice}, {@code app.kubernetes.io/name=<name>} and,
 * for the pods that serve (the main, prefill and leader pods, those the InferencePool routes to),
 * {@code kserve.io/component=workload} (kserve/kserve {@code pkg/controller/v1alpha1/llmisvc/
 * workload_single_node.go} and {@code workload_multi_node.go}, {@code v1alpha2/llmisvc} in newer
 * releases; the scheduler and the tokenizer have other components, and multi-node workers without
 * the label serve no HTTP). KServe's own vLLM PodMonitor ({@code v1alpha2/llmisvc/monitoring.go})
 * selects the same pods by {@code part-of} and {@code name}, and reads them on port 8000. KServe
 * serves the resource at {@code serving.kserve.io/v1alpha2} in its newer releases and
 * {@code v1alpha1} before.
 */
enum Kind {
    PODS("pods", "po", "pod"),
    SERVICES("services", "svc", "service"),
    INFERENCE_SERVICES("inferenceservices", "isvc", "inferenceservice"),
    LLM_INFERENCE_SERVICES("llminferenceservices", "llmisvc", "llminferenceservice");

    static final Resource POD = new Resource(List.of("/api/v1"), "pods", null);
    static final Resource SERVICE = new Resource(List.of("/api/v1"), "services", null);
    static final Resource ENDPOINT_SLICE = new Resource(
            List.of("/apis/discovery.k8s.io/v1"),
            "endpointslices",
            "the API server does not serve discovery.k8s.io/v1 EndpointSlices (Kubernetes 1.21 and later do)");
    static final Resource INFERENCE_SERVICE = new Resource(
            List.of("/apis/serving.kserve.io/v1beta1"),
            "inferenceservices",
            "the API server does not serve inferenceservices.serving.kserve.io/v1beta1: is KServe installed?");
    static final Resource LLM_INFERENCE_SERVICE = new Resource(
            List.of("/apis/serving.kserve.io/v1alpha2", "/apis/serving.kserve.io/v1alpha1"),
            "llminferenceservices",
            "the API server does not serve llminferenceservices.serving.kserve.io (v1alpha2 nor v1alpha1):"
                    + " is KServe's LLMInferenceService installed?");

    /** The pods of an InferenceService's predictor, and the label naming it. */
    static final String ISVC_LABEL = "serving.kserve.io/inferenceservice";

    static final String ISVC_PODS = ISVC_LABEL + ",component=predictor";
    /** The serving pods of an LLMInferenceService, and the label naming it. */
    static final String LLMISVC_LABEL = "app.kubernetes.io/name";

    static final String LLMISVC_PODS = "app.kubernetes.io/part-of=llminferenceservice,kserve.io/component=workload";

    final String plural;
    private final String shortName;
    private final String singular;

    Kind(String plural, String shortName, String singular) {
        this.plural = plural;
        this.shortName = shortName;
        this.singular = singular;
    }

    /** @throws IllegalArgumentException for a kind it is not, listing those it knows */
    static Kind of(String s) {
        String k = s.toLowerCase(Locale.ROOT);
        for (Kind kind : values())
            if (k.equals(kind.plural) || k.equals(kind.shortName) || k.equals(kind.singular)) return kind;
        throw new IllegalArgumentException("'" + s + "' is not a kind top follows: pods (po), services (svc),"
                + " inferenceservices (isvc) or llminferenceservices (llmisvc)");
    }
}
