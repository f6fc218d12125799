package dev.llmlab.sim.config;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What the simulated models say.
 *
 * @param mode                    natural (default), echo, fixed, canned or corpus
 * @param fixedText               the text of mode {@code fixed}
 * @param corpusFile              a JSONL file of mode {@code corpus}: one response per line, either a
 *                                JSON string or an object with a {@code text} field
 * @param canned                  regex rules on the last user message, first match wins (mode
 *                                {@code canned}; unmatched requests fall back to natural text)
 * @param tokensPerChunk          tokens per streamed chunk (default 1)
 * @param autoToolCallProbability with tools and tool_choice auto, the chance a reply is a tool call
 */
public record GenerationConfig(
        String mode,
        String fixedText,
        String corpusFile,
        List<CannedResponse> canned,
        Integer tokensPerChunk,
        Double autoToolCallProbability) {

    public static final GenerationConfig DEFAULT = builder().build();
    public static final Set<String> MODES = Set.of("natural", "echo", "fixed", "canned", "corpus");

    public GenerationConfig {
        if (mode != null && !MODES.contains(mode)) {
            throw new IllegalArgumentException(
                    "mode must be one of natural, echo, fixed, canned, corpus; got '" + mode + "'");
        }
        if (tokensPerChunk != null && (tokensPerChunk < 1 || tokensPerChunk > 4096)) {
            throw new IllegalArgumentException("tokens_per_chunk must be within 1..4096, got " + tokensPerChunk);
        }
        if (autoToolCallProbability != null && !(autoToolCallProbability >= 0 && autoToolCallProbability <= 1)) {
            throw new IllegalArgumentException(
                    "auto_tool_call_probability must be within 0..1, got " + autoToolCallProbability);
        }
        canned = canned == null ? null : List.copyOf(canned);
    }

    public String modeOrDefault() {
        return mode != null ? mode : "natural";
    }

    public int tokensPerChunkOrDefault() {
        return tokensPerChunk != null ? tokensPerChunk : 1;
    }

    public double autoToolCallProbabilityOrDefault() {
        return autoToolCallProbability != null ? autoToolCallProbability : 0.5;
    }

    public List<CannedResponse> cannedOrEmpty() {
        return canned != null ? canned : List.of();
    }

    /** A canned reply: when {@code match} (a Java regex) is found in the last user message, answer {@code response}. */
    public record CannedResponse(String match, String response) {
        public CannedResponse {
            if (match == null) throw new IllegalArgumentException("canned response needs 'match' (a regex)");
            if (response == null) throw new IllegalArgumentException("canned response needs 'response'");
            try {
                Pattern.compile(match);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("match is not a valid regex: " + e.getDescription());
            }
        }
    }

    static GenerationConfig overlay(GenerationConfig base, GenerationConfig top) {
        if (base == null) return top;
        if (top == null) return base;
        return new GenerationConfig(
                top.mode != null ? top.mode : base.mode,
                top.fixedText != null ? top.fixedText : base.fixedText,
                top.corpusFile != null ? top.corpusFile : base.corpusFile,
                top.canned != null ? top.canned : base.canned,
                top.tokensPerChunk != null ? top.tokensPerChunk : base.tokensPerChunk,
                top.autoToolCallProbability != null ? top.autoToolCallProbability : base.autoToolCallProbability);
    }

    /** A builder that names each field it sets; the others stay null (unset). */
    public static Builder builder() {
        return new Builder();
    }

    /** Generation settings, field by field; {@link #build} validates as the constructor does. */
    public static final class Builder {
        private String mode;
        private String fixedText;
        private String corpusFile;
        private List<CannedResponse> canned;
        private Integer tokensPerChunk;
        private Double autoToolCallProbability;

        private Builder() {}

        public Builder mode(String mode) {
            this.mode = mode;
            return this;
        }

        public Builder fixedText(String fixedText) {
            this.fixedText = fixedText;
            return this;
        }

        public Builder corpusFile(String corpusFile) {
            this.corpusFile = corpusFile;
            return this;
        }

        public Builder canned(List<CannedResponse> canned) {
            this.canned = canned;
            return this;
        }

        public Builder tokensPerChunk(Integer tokensPerChunk) {
            this.tokensPerChunk = tokensPerChunk;
            return this;
        }

        public Builder autoToolCallProbability(Double autoToolCallProbability) {
            this.autoToolCallProbability = autoToolCallProbability;
            return this;
        }

        public GenerationConfig build() {
            return new GenerationConfig(mode, fixedText, corpusFile, canned, tokensPerChunk, autoToolCallProbability);
        }
    }
}
