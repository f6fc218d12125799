package dev.llmlab.sim.text;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.Message;
import dev.llmlab.api.ResponseFormat;
import dev.llmlab.api.Tool;
import dev.llmlab.api.ToolChoice;
import dev.llmlab.core.random.Seeds;
import dev.llmlab.core.token.Tokenizer;
import dev.llmlab.jsonschema.JsonSchema;
import dev.llmlab.sim.catalog.ModelSpec;
import dev.llmlab.sim.config.GenerationConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Decides what each choice says, deterministically from a seed.
 *
 * <p>Order of precedence: a forced tool (tool_choice {@code required} or a named function), or a
 * tool chosen under {@code auto} with the configured probability, yields a tool call whose
 * arguments are generated from the function's parameter schema; else {@code response_format}
 * json_schema or json_object yields JSON; else the configured text mode. Structured outputs are
 * cut at real token boundaries, so a {@code max_tokens} cap truncates them as it would a real
 * model (finish reason {@code length}, JSON incomplete).
 *
 * <p>Fixed, canned and corpus texts are tokenized once per encoding and shared: that cache is
 * keyed by the configuration's texts, never by a request, so it is bounded by the configuration.
 * Schemas come from requests, so their compiled forms are kept in a bounded cache: at most
 * {@link #SCHEMA_CACHE_WEIGHT} parts in all (as {@link JsonSchema#weight()} counts them, about
 * 0.6 KB each, so some 40 MB; a typical tool schema has 20 parts, so some 3,000 schemas), the
 * least used evicted first (Caffeine's W-TinyLFU). Compiling is deterministic, so an evicted
 * schema seen again is compiled again to the same answers: eviction costs time, never changes a
 * reply. Thread-safe.
 */
public final class Composer {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String CALL_ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final String mode;
    private final String fixedText;
    private final List<Pattern> cannedPatterns = new ArrayList<>();
    private final List<String> cannedTexts = new ArrayList<>();
    private final List<String> corpus;
    private final double autoToolProbability;
    /** The total {@link JsonSchema#weight()} of the compiled schemas kept. */
    static final long SCHEMA_CACHE_WEIGHT = 65_536;

    private final Map<String, TokenPieces> pieceCache = new ConcurrentHashMap<>();
    private final Cache<String, JsonSchema> schemaCache;

    public Composer(GenerationConfig config) {
        this(config, SCHEMA_CACHE_WEIGHT);
    }

    Composer(GenerationConfig config, long schemaCacheWeight) {
        this.schemaCache = Caffeine.newBuilder()
                .maximumWeight(schemaCacheWeight)
                .<String, JsonSchema>weigher((text, schema) -> schema.weight())
                .executor(Runnable::run) // upkeep on the caller: deterministic, and no pool thread
                .build();
        this.mode = config.modeOrDefault();
        this.fixedText = config.fixedText() != null ? config.fixedText() : "This is a simulated response from llmlab.";
        for (GenerationConfig.CannedResponse c : config.cannedOrEmpty()) {
            cannedPatterns.add(Pattern.compile(c.match()));
            cannedTexts.add(c.response());
        }
        this.corpus = mode.equals("corpus") ? loadCorpus(config.corpusFile()) : List.of();
        this.autoToolProbability = config.autoToolCallProbabilityOrDefault();
        if (mode.equals("canned") && cannedPatterns.isEmpty()) {
            throw new IllegalArgumentException("generation.canned: mode canned needs at least one canned response");
        }
    }

    /** Builds what natural text needs for this tokenizer ahead of the first request. */
    public void warmUp(Tokenizer tokenizer) {
        Vocabulary.of(tokenizer);
    }

    /**
     * Compiles (once per distinct schema) a JSON Schema from a request, or throws the schema's
     * problem for the caller to report against {@code param}.
     */
    public JsonSchema schema(JsonNode schema) {
        return schemaCache.get(schema.toString(), k -> JsonSchema.compile(schema));
    }

    /** The total weight of the compiled schemas kept, after pending evictions; for tests of the bound. */
    long cachedSchemaWeight() {
        schemaCache.cleanUp();
        return schemaCache.policy().eviction().orElseThrow().weightedSize().orElseThrow();
    }

    /**
     * Plans choice {@code index} of a request.
     *
     * @param contentSeed the request's content seed (already mixed with model and prompt)
     * @param limit       the token cap for this choice
     * @param lengthTarget the natural reply length drawn for this choice
     */
    public ChoicePlan plan(
            ModelSpec model, GenerationRequest req, int index, long contentSeed, int limit, int lengthTarget) {
        RandomGenerator rng = Seeds.rng(Seeds.mix(contentSeed, index));
        Tokenizer tok = model.tokenizer();
        ChoicePlan.Logprobs lp = req.logprobs()
                ? new ChoicePlan.Logprobs(
                        Seeds.rng(Seeds.mix(contentSeed, index, 0x10b)), Vocabulary.of(tok), req.topLogprobs())
                : null;
        Tool tool = chooseTool(req, rng);
        if (tool != null) {
            // Arguments are always a JSON object; a function without parameters (or with `{}`) takes none.
            JsonNode args = tool.parameters() == null || tool.parameters().isEmpty()
                    ? JSON.createObjectNode()
                    : schema(tool.parameters()).generate(rng);
            TokenPieces pieces = TokenPieces.of(tok, args.toString());
            return new ChoicePlan(new ChoiceCursor(pieces.source(), limit, List.of()), callId(rng), tool.name(), lp);
        }
        ResponseFormat rf = req.responseFormat();
        if (rf.kind() == ResponseFormat.Kind.JSON_SCHEMA && rf.schema() != null) {
            String json = schema(rf.schema()).generate(rng).toString();
            return textPlan(TokenPieces.of(tok, json).source(), req, limit, lp);
        }
        if (rf.kind() != ResponseFormat.Kind.TEXT) {
            String json = JsonSchema.anyObject(rng).toString();
            return textPlan(TokenPieces.of(tok, json).source(), req, limit, lp);
        }
        TokenSource source = switch (mode) {
            case "echo" ->
                TokenPieces.of(tok, lastUserText(req, index / req.n())).source();
            case "fixed" -> cached(tok, fixedText).source();
            case "canned" -> canned(tok, req, index, rng, lengthTarget);
            case "corpus" -> cached(tok, corpus.get(rng.nextInt(corpus.size()))).source();
            default -> new NaturalText(Vocabulary.of(tok), rng, lengthTarget);
        };
        return textPlan(source, req, limit, lp);
    }

    private ChoicePlan textPlan(TokenSource source, GenerationRequest req, int limit, ChoicePlan.Logprobs lp) {
        return new ChoicePlan(new ChoiceCursor(source, limit, req.stop()), null, null, lp);
    }

    private Tool chooseTool(GenerationRequest req, RandomGenerator rng) {
        if (req.tools().isEmpty()) return null;
        Tool forced = req.forcedTool();
        if (forced != null) return forced;
        if (req.toolChoice().mode() == ToolChoice.Mode.AUTO && rng.nextDouble() < autoToolProbability) {
            return req.tools().get(rng.nextInt(req.tools().size()));
        }
        return null;
    }

    private TokenSource canned(Tokenizer tok, GenerationRequest req, int index, RandomGenerator rng, int lengthTarget) {
        String last = lastUserText(req, index / req.n());
        for (int i = 0; i < cannedPatterns.size(); i++) {
            if (cannedPatterns.get(i).matcher(last).find())
                return cached(tok, cannedTexts.get(i)).source();
        }
        return new NaturalText(Vocabulary.of(tok), rng, lengthTarget);
    }

    private TokenPieces cached(Tokenizer tok, String text) {
        return pieceCache.computeIfAbsent(tok.encoding() + '\u0000' + text, k -> TokenPieces.of(tok, text));
    }

    /** The text of the last user message (chat) or of prompt {@code prompt} (completions). */
    private static String lastUserText(GenerationRequest req, int prompt) {
        List<Message> messages = req.messages();
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role().equals("user")) return messages.get(i).content();
        }
        if (!messages.isEmpty()) return messages.getLast().content();
        if (prompt < req.prompts().size() && req.prompts().get(prompt).text() != null)
            return req.prompts().get(prompt).text();
        return "";
    }

    private static String callId(RandomGenerator rng) {
        StringBuilder sb = new StringBuilder("call_");
        for (int i = 0; i < 24; i++) sb.append(CALL_ID_CHARS.charAt(rng.nextInt(CALL_ID_CHARS.length())));
        return sb.toString();
    }

    private static List<String> loadCorpus(String file) {
        if (file == null) throw new IllegalArgumentException("generation.corpus_file: mode corpus needs a corpus_file");
        List<String> out = new ArrayList<>();
        try {
            int lineNo = 0;
            for (String line : Files.readAllLines(Path.of(file))) {
                lineNo++;
                if (line.isBlank()) continue;
                JsonNode n;
                try {
                    n = JSON.readTree(line);
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(file + ":" + lineNo + ": not valid JSON");
                }
                if (n.isString()) out.add(n.stringValue());
                else if (n.isObject() && n.path("text").isString())
                    out.add(n.get("text").stringValue());
                else
                    throw new IllegalArgumentException(
                            file + ":" + lineNo + ": expected a JSON string or an object with a \"text\" string");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "generation.corpus_file: cannot read " + file + " (" + e.getMessage() + ")");
        }
        if (out.isEmpty())
            throw new IllegalArgumentException("generation.corpus_file: " + file + " holds no responses");
        return List.copyOf(out);
    }
}
