package dev.llmlab.gateway.limits;

/**
 * What one request asks of one limit: {@code amount} of the rule's meter, counted for {@code
 * subject} (a virtual key's or a team's id, as {@code key:ID} or {@code team:ID}).
 *
 * @param amount the estimate reserved before the call (for tokens: the prompt's count plus the
 *               most the answer may take), at least 0
 */
public record Ask(String subject, Rule rule, long amount) {
    public Ask {
        if (subject == null || subject.isEmpty()) throw new IllegalArgumentException("an ask needs a subject");
        if (rule == null) throw new IllegalArgumentException("an ask needs a rule");
        if (amount < 0) throw new IllegalArgumentException("an ask's amount must be >= 0, got " + amount);
    }
}
