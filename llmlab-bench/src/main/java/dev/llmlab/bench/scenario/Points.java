package dev.llmlab.bench.scenario;

import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The {@code sweep} object's parts: one entry per probed level, and the object itself. */
final class Points {
    static final JsonMapper JSON = JsonMapper.builder().build();

    private Points() {}

    static ObjectNode sweep(String kind, Load.Axis axis, ArrayNode slos) {
        ObjectNode s = JSON.createObjectNode();
        s.put("kind", kind).put("axis", axis == Load.Axis.RATE ? "rate" : "concurrency");
        s.putArray("points");
        s.set("slos", slos == null ? JSON.createArrayNode() : slos);
        return s;
    }

    /** A level's entry: what was asked, what was achieved, the verdict, and the run's figures. */
    static ObjectNode point(String label, Load load, JsonNode result, List<String> reasons) {
        ObjectNode p = JSON.createObjectNode();
        JsonNode sum = result.path("summary");
        p.put("label", label);
        if (load.axis() == Load.Axis.RATE) p.put("rate", load.value()).putNull("concurrency");
        else p.putNull("rate").put("concurrency", load.users());
        p.put("rate_achieved", sum.path("request_throughput").asDouble(0));
        p.put("valid", sum.path("valid").asBoolean(true));
        p.set("invalid_reason", sum.path("invalid_reason").isString() ? sum.get("invalid_reason") : JSON.nullNode());
        if (result.has("slo")) p.put("passed", result.path("slo").path("passed").asBoolean());
        else p.putNull("passed");
        p.set("stopped_early", sum.path("stopped_early").isString() ? sum.get("stopped_early") : JSON.nullNode());
        p.put("sustained", reasons.isEmpty());
        ArrayNode why = p.putArray("failed_on");
        reasons.forEach(why::add);
        p.set("summary", sum.deepCopy());
        p.set("metrics", result.path("metrics").deepCopy());
        if (result.has("slo")) p.set("slo", result.get("slo").deepCopy());
        return p;
    }

    /** The confidence a level's verdict holds: its targets' (1 when it failed for a reason with no doubt). */
    static double confidence(JsonNode point) {
        java.util.List<String> failedOn = new java.util.ArrayList<>();
        point.path("failed_on").forEach(r -> failedOn.add(r.asString()));
        if (!Verdict.targetsOnly(failedOn, point.path("slo"))) return 1;
        JsonNode c = point.path("slo").path("confidence");
        return c.isNumber() ? c.asDouble() : 1;
    }
}
