package dev.llmlab.sim.serve;

import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.Message;
import dev.llmlab.api.Prompt;
import dev.llmlab.api.Tool;
import dev.llmlab.core.token.Tokenizer;

/**
 * Counts prompt tokens the way OpenAI bills them, with a small cache in front of the tokenizer.
 *
 * <p>Chat: OpenAI's published recipe for its chat format (the "How to count tokens with tiktoken"
 * cookbook): 3 tokens per message, plus the tokens of role, content and name (+1 when a name is
 * given), plus 3 to prime the reply. Tool definitions are counted as the tokens of their JSON text;
 * OpenAI's internal rendering of tools is unpublished, so this is an approximation (documented in
 * docs/metrics.md). Completions: the prompt's tokens (token-array prompts count their length).
 *
 * <p>The cache is direct-mapped and racy by design: entries are immutable, a lost update costs one
 * recount, and load tests that repeat prompts skip BPE entirely. Thread-safe. Public for the JMH
 * benchmarks of the request path.
 */
public final class PromptTokens {
    private static final int SLOTS = 4096;
    private static final int MAX_CACHED_CHARS = 2048;

    private record Entry(String encoding, String text, int count) {}

    private final Entry[] cache = new Entry[SLOTS];

    public int count(Tokenizer tok, String text) {
        if (text.isEmpty()) return 0;
        if (text.length() > MAX_CACHED_CHARS) return tok.count(text);
        int slot = (text.hashCode() * 31 + tok.encoding().hashCode()) & (SLOTS - 1);
        Entry e = cache[slot];
        if (e != null && e.encoding.equals(tok.encoding()) && e.text.equals(text)) return e.count;
        int n = tok.count(text);
        cache[slot] = new Entry(tok.encoding(), text, n);
        return n;
    }

    public int chat(Tokenizer tok, GenerationRequest req) {
        int n = 3;
        for (Message m : req.messages()) {
            n += 3 + count(tok, m.role()) + count(tok, m.content());
            if (m.name() != null) n += 1 + count(tok, m.name());
            if (m.toolCallsText() != null) n += count(tok, m.toolCallsText());
        }
        for (Tool t : req.tools()) {
            n += count(tok, t.name());
            if (t.description() != null) n += count(tok, t.description());
            if (t.parameters() != null) n += count(tok, t.parameters().toString());
        }
        return n;
    }

    public int prompt(Tokenizer tok, Prompt p) {
        return p.isTokens() ? p.tokens().length : count(tok, p.text());
    }
}
