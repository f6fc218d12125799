package dev.llmlab.benchmarks.jmh;

import dev.llmlab.api.Choice;
import dev.llmlab.api.Completion;
import dev.llmlab.api.FinishReason;
import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.Message;
import dev.llmlab.api.Usage;
import dev.llmlab.api.openai.OpenAiRequests;
import dev.llmlab.api.openai.OpenAiResponses;
import dev.llmlab.core.random.Seeds;
import dev.llmlab.core.token.Tokenizer;
import dev.llmlab.sim.catalog.Admission;
import dev.llmlab.sim.catalog.Catalog;
import dev.llmlab.sim.catalog.ModelSpec;
import dev.llmlab.sim.config.SimConfig;
import dev.llmlab.sim.metrics.SimMetrics;
import dev.llmlab.sim.metrics.SimMetrics.ModelMetrics;
import dev.llmlab.sim.serve.PromptTokens;
import dev.llmlab.sim.text.ChoiceCursor;
import dev.llmlab.sim.text.ChoicePlan;
import dev.llmlab.sim.text.Composer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.JsonNode;

/*
 * What it measures: the simulator's non-streaming POST /v1/chat/completions request path, in process and without
 * HTTP, as GenerateHandler + Generation run it for the instant latency profile: parse the ~200-byte body into a
 * GenerationRequest, resolve the model, count the prompt tokens, derive the seeds, plan and generate a 16-token
 * reply, build the Completion, encode the chat.completion JSON into a pooled Netty ByteBuf, and record the
 * metrics. `whole` is one request end to end; `stage1..5` are its stages alone on prepared inputs (their sum is
 * about `whole`), so their time and gc.alloc.rate.norm show where a request's cost and bytes go.
 * `countPromptUncached` is the BPE cost of a prompt the server has not seen before (stage2 hits the cache, as a
 * load test that repeats its prompt does).
 *
 * Why staged and not through the real handler: GenerateHandler, Generation and Replies are
 * package-private in dev.llmlab.sim.serve, Router.match and the server pipeline (HttpServer.initPipeline,
 * ConnectionHandler, ServerContext) are package-private in dev.llmlab.http, so there is no public way to hand
 * the real router a request through an EmbeddedChannel. The prompt counter (PromptTokens) and the response id
 * (OpenAiResponses.newId) are the real ones; the rest of the glue (seed derivation, the reply loop) is mirrored
 * below from GenerateHandler.prepare / Generation.start/startWhole/respondWhole/finish; keep it in step with
 * them. What the mirror leaves out - Netty's HTTP codec, Router, HttpExchange and the response object, the
 * Generation object and its lambdas - is measured by RequestPathLoopbackBenchmark, which runs the real server.
 *
 * How to run (wrap perf runs in the shared lock; -prof gc gives gc.alloc.rate.norm = bytes per request):
 *   flock /tmp/llmlab-perf.lock java -jar llmlab-benchmarks/target/benchmarks.jar 'RequestPathBenchmark' \
 *       -prof gc -f 1 -wi 3 -i 5
 * `-p allocator=pooled` (or adaptive, unpooled) encodes into another allocator than ByteBufAllocator.DEFAULT.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {
            "-Xms1g",
            "-Xmx1g",
            Fixtures.NATIVE_ACCESS,
            Fixtures.THREAD_CACHES_ADAPTIVE,
            Fixtures.THREAD_CACHES_POOLED
        })
public class RequestPathBenchmark {

    private static final Admission.Waiter NO_WAIT = () -> {};

    /** Which ByteBufAllocator the response is encoded into; see {@link Fixtures#allocator}. */
    @Param({"default"})
    public String allocator;

    private byte[] body;
    private Catalog catalog;
    private Composer composer;
    private SimMetrics metrics;
    private Long serverSeed;
    private long requestCounter;
    private ByteBufAllocator alloc;
    private final PromptTokens promptCounter = new PromptTokens();

    // Prepared inputs of the single-stage benchmarks: the outputs of the stage before.
    private GenerationRequest req;
    private ModelSpec model;
    private Prepared prepared;
    private Completion completion;

    /** What GenerateHandler.prepare hands to the Generation it creates. */
    record Prepared(
            GenerationRequest req,
            ModelSpec model,
            int promptTokens,
            int limit,
            long contentSeed,
            RandomGenerator timing,
            ModelMetrics metrics) {}

    @Setup(Level.Trial)
    public void setup() {
        body = Fixtures.chatBody();
        SimConfig config = Fixtures.effectiveConfig();
        catalog = Fixtures.catalog(config);
        composer = new Composer(config.generationOrDefault());
        metrics = new SimMetrics();
        serverSeed = config.seed();
        alloc = Fixtures.allocator(allocator);

        req = stage1_parse();
        model = catalog.find(req.model());
        composer.warmUp(model.tokenizer());
        prepared = prepare(req, model);
        completion = generate(prepared);
        check(
                completion.usage().completionTokens() == Fixtures.REPLY_TOKENS,
                "reply has " + completion.usage().completionTokens() + " tokens, expected " + Fixtures.REPLY_TOKENS);
        ByteBuf out = alloc.buffer(512);
        try {
            OpenAiResponses.writeChatCompletion(new ByteBufOutputStream(out), completion);
            JsonNode json = OpenAiRequests.readBody(ByteBufBytes.of(out), 0, out.readableBytes());
            check(json.path("object").asString().equals("chat.completion"), "not a chat.completion: " + json);
            check(json.path("usage").path("completion_tokens").asInt() == Fixtures.REPLY_TOKENS, "bad usage: " + json);
        } finally {
            out.release();
        }
        check(whole() > 0, "empty response");
    }

    // ------------------------------------------------------------------ the whole request

    /** One request, from body bytes to a released response buffer; returns the response size. */
    @Benchmark
    public int whole() {
        long received = System.nanoTime();
        GenerationRequest r = stage1_parse();
        Prepared p = prepare(r, catalog.find(r.model()));
        Admission admission = p.model.admission();
        if (admission.acquire(NO_WAIT) != Admission.Placement.ADMITTED) throw new IllegalStateException("not admitted");
        p.metrics.runningInc();
        Completion c = generate(p);
        p.metrics.ttft(System.nanoTime() - received); // instant profile: TTFT is the queue time
        ByteBuf buf = encode(c);
        int size = buf.readableBytes();
        buf.release(); // stands in for the socket write
        p.metrics.runningDec();
        p.metrics.finished(
                System.nanoTime() - received,
                p.promptTokens,
                c.usage().completionTokens(),
                c.choices().getFirst().finishReason().wire());
        admission.release();
        metrics.httpRequest(Fixtures.ROUTE, "POST", 200, System.nanoTime() - received);
        return size;
    }

    // ------------------------------------------------------------------ its stages alone

    /** Body bytes -> JSON tree -> model resolved -> validated GenerationRequest. */
    @Benchmark
    public GenerationRequest stage1_parse() {
        JsonNode root = OpenAiRequests.readBody(body, 0, body.length);
        ModelSpec m = catalog.find(OpenAiRequests.model(root));
        if (m == null || m.type() != ModelSpec.Type.CHAT) throw new IllegalStateException("no chat model");
        return OpenAiRequests.parseChat(root);
    }

    /** Prompt tokens (cache hit), prompt hash, limits, content and timing seeds, metric handles. */
    @Benchmark
    public Prepared stage2_prepare() {
        return prepare(req, model);
    }

    /** Reply length draw, Composer.plan, walking the cursor for 16 tokens, the Choice and the Completion. */
    @Benchmark
    public Completion stage3_planAndGenerate() {
        return generate(prepared);
    }

    /** chat.completion JSON into a pooled ByteBuf (allocated and released, as Replies.json and the write do). */
    @Benchmark
    public int stage4_encode() {
        ByteBuf buf = encode(completion);
        int size = buf.readableBytes();
        buf.release();
        return size;
    }

    /** The metric calls and admission of one non-streaming request on the instant profile. */
    @Benchmark
    public void stage5_metricsAndAdmission() {
        ModelMetrics mm = metrics.model(model.id());
        Admission admission = model.admission();
        admission.acquire(NO_WAIT);
        mm.runningInc();
        mm.ttft(1_000);
        mm.runningDec();
        mm.finished(50_000, prepared.promptTokens, Fixtures.REPLY_TOKENS, "length");
        admission.release();
        metrics.httpRequest(Fixtures.ROUTE, "POST", 200, 60_000);
    }

    /** Not part of `whole`: BPE-counting a prompt that misses the server's prompt cache (first sight of it). */
    @Benchmark
    public int countPromptUncached() {
        Tokenizer tok = model.tokenizer();
        int n = 3;
        for (Message m : req.messages()) n += 3 + tok.count(m.role()) + tok.count(m.content());
        return n;
    }

    // ------------------------------------------------------------------ mirrors of the package-private glue

    /** Mirrors GenerateHandler.prepare after parsing, and the Generation constructor, for a chat request. */
    private Prepared prepare(GenerationRequest r, ModelSpec m) {
        int prompt = promptCounter.chat(m.tokenizer(), r);
        long promptHash = 0;
        for (Message msg : r.messages()) {
            promptHash = Seeds.mix(promptHash, Seeds.hash64(msg.role()), Seeds.hash64(msg.content()));
        }
        if (prompt > m.contextWindow()) throw new IllegalStateException("context exceeded");
        if (r.maxTokens() > m.maxOutputTokens()) throw new IllegalStateException("max_tokens too large");
        int room = Math.max(0, m.contextWindow() - prompt);
        int limit = Math.min(r.maxTokens() >= 0 ? r.maxTokens() : m.maxOutputTokens(), room);
        long modelHash = Seeds.hash64(m.id());
        long contentSeed;
        if (r.seed() != null) contentSeed = Seeds.mix(r.seed(), modelHash, promptHash);
        else if (r.temperature() == 0) contentSeed = Seeds.mix(0x7e3d0L, modelHash, promptHash);
        else if (serverSeed != null) contentSeed = Seeds.mix(serverSeed, modelHash, promptHash);
        else contentSeed = Seeds.randomSeed();
        long timingSeed = serverSeed != null ? Seeds.mix(serverSeed, requestCounter++) : Seeds.randomSeed();
        return new Prepared(r, m, prompt, limit, contentSeed, Seeds.rng(timingSeed), metrics.model(m.id()));
    }

    /** Mirrors Generation.planChoices and startWhole (n = 1, no echo, no logprobs, no tool call, instant). */
    private Completion generate(Prepared p) {
        GenerationRequest r = p.req;
        ChoicePlan[] plans = new ChoicePlan[r.n()];
        for (int k = 0; k < plans.length; k++) {
            RandomGenerator lengthRng = Seeds.rng(Seeds.mix(p.contentSeed, k, 0x1e));
            int target = (int) Math.max(1, Math.round(p.model.outputTokens().sample(lengthRng)));
            plans[k] = composer.plan(p.model, r, k, p.contentSeed, p.limit, target);
        }
        List<Choice> choices = new ArrayList<>(plans.length);
        int generated = 0;
        for (int k = 0; k < plans.length; k++) {
            ChoiceCursor cursor = plans[k].cursor();
            StringBuilder text = new StringBuilder();
            for (String piece = cursor.next(); piece != null; piece = cursor.next()) text.append(piece);
            generated += cursor.tokens();
            FinishReason reason = cursor.finishReason();
            choices.add(new Choice(k, text.toString(), List.of(), reason, null));
        }
        return new Completion(
                OpenAiResponses.newId(GenerationRequest.Endpoint.CHAT),
                System.currentTimeMillis() / 1000,
                p.model.id(),
                p.model.fingerprint(),
                choices,
                new Usage(p.promptTokens, generated, 0));
    }

    /** Mirrors Replies.json for a chat completion. */
    private ByteBuf encode(Completion c) {
        ByteBuf buf = alloc.buffer(512);
        try {
            OpenAiResponses.writeChatCompletion(new ByteBufOutputStream(buf), c);
        } catch (RuntimeException e) {
            buf.release();
            throw e;
        }
        return buf;
    }

    /** A 16-token chat completion made by the real generator, for the encoder benchmarks. */
    static Completion sampleCompletion() {
        RequestPathBenchmark b = new RequestPathBenchmark();
        b.allocator = "unpooled";
        b.setup();
        return b.completion;
    }

    static void check(boolean ok, String message) {
        if (!ok) throw new IllegalStateException(message);
    }

    /** The readable bytes of a buffer as an array, for checks in setup only. */
    static final class ByteBufBytes {
        static byte[] of(ByteBuf buf) {
            byte[] b = new byte[buf.readableBytes()];
            buf.getBytes(buf.readerIndex(), b);
            return b;
        }
    }
}
