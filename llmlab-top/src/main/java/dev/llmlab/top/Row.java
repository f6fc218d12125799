package dev.llmlab.top;

/**
 * One line of the view: a model over all its replicas ({@code replica} null), or one replica of a
 * model (a target, and the model when its page names several).
 *
 * @param model    the model its series are labelled with; {@code -} when the page names none
 * @param replica  the target's name; null for a model's row
 * @param kind     the server kind its page was read as ({@code vllm}, {@code sglang}, ...); for a
 *                 model's row, its replicas' kind, or {@code mixed}
 * @param replicas how many replicas the row covers
 */
public record Row(String model, String replica, String kind, int replicas, Figures figures) {}
