package dev.llmlab.api.relay;

import dev.llmlab.api.GenerationRequest;
import tools.jackson.databind.JsonNode;

/**
 * A client's request read and checked by its API's rules ({@link Relay#parse}): the internal
 * request, and the body's fields, which a translation checks against what the provider can carry.
 * Immutable.
 */
public final class Parsed {
    private final Ingress ingress;
    private final JsonNode root;
    private final GenerationRequest request;

    Parsed(Ingress ingress, JsonNode root, GenerationRequest request) {
        this.ingress = ingress;
        this.root = root;
        this.request = request;
    }

    public Ingress ingress() {
        return ingress;
    }

    /** The request in the internal model. */
    public GenerationRequest request() {
        return request;
    }

    JsonNode root() {
        return root;
    }
}
