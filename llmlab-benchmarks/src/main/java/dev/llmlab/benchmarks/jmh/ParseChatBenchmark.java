package dev.llmlab.benchmarks.jmh;

import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.openai.OpenAiRequests;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.JsonNode;

/*
 * What it measures: turning a typical ~200-byte chat request body (Fixtures.CHAT_BODY: system + user message,
 * max_tokens, temperature, seed) into the internal GenerationRequest with the public OpenAiRequests API:
 * `readBody` (bytes -> Jackson tree), `parseChat` (tree -> validated GenerationRequest) and both in a row, as
 * GenerateHandler does for every chat request. Time and bytes per parse (gc.alloc.rate.norm).
 *
 * How to run:
 *   flock /tmp/llmlab-perf.lock java -jar llmlab-benchmarks/target/benchmarks.jar ParseChat -prof gc -f 1 -wi 3 -i 5
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g", Fixtures.NATIVE_ACCESS})
public class ParseChatBenchmark {

    private byte[] body;
    private JsonNode tree;

    @Setup(Level.Trial)
    public void setup() {
        body = Fixtures.chatBody();
        tree = OpenAiRequests.readBody(body, 0, body.length);
        GenerationRequest req = OpenAiRequests.parseChat(tree);
        RequestPathBenchmark.check(
                req.messages().size() == 2 && req.maxTokens() == Fixtures.REPLY_TOKENS, "unexpected parse: " + req);
    }

    /** Bytes -> validated GenerationRequest: what every chat request pays before anything else. */
    @Benchmark
    public GenerationRequest readBodyAndParseChat() {
        return OpenAiRequests.parseChat(OpenAiRequests.readBody(body, 0, body.length));
    }

    /** Bytes -> Jackson tree only. */
    @Benchmark
    public JsonNode readBody() {
        return OpenAiRequests.readBody(body, 0, body.length);
    }

    /** Tree -> GenerationRequest only (validation and the record). */
    @Benchmark
    public GenerationRequest parseChat() {
        return OpenAiRequests.parseChat(tree);
    }
}
