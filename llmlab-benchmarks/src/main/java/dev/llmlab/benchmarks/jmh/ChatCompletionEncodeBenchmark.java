package dev.llmlab.benchmarks.jmh;

import dev.llmlab.api.Completion;
import dev.llmlab.api.openai.OpenAiResponses;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/*
 * What it measures: OpenAiResponses.writeChatCompletion for a one-choice, 16-token chat.completion (made by the
 * real generator from Fixtures.CHAT_BODY), i.e. the response encoding of every non-streaming chat request.
 *   writeChatCompletion             as Replies.json does it: pooled ByteBuf(512) + ByteBufOutputStream, encode,
 *                                   release (the release stands in for the channel write);
 *   writeChatCompletionReusedBuffer the encoding alone (Jackson generator set-up included), into a cleared buffer.
 * gc.alloc.rate.norm is bytes per response.
 *
 * How to run:
 *   flock /tmp/llmlab-perf.lock java -jar llmlab-benchmarks/target/benchmarks.jar ChatCompletionEncode -prof gc -f 1 -wi 3 -i 5
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
public class ChatCompletionEncodeBenchmark {

    @Param({"default"})
    public String allocator;

    private ByteBufAllocator alloc;
    private Completion completion;
    private ByteBuf reused;
    private ByteBufOutputStream reusedOut;

    @Setup(Level.Trial)
    public void setup() {
        alloc = Fixtures.allocator(allocator);
        completion = RequestPathBenchmark.sampleCompletion();
        reused = alloc.buffer(1024);
        reusedOut = new ByteBufOutputStream(reused);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        reused.release();
    }

    @Benchmark
    public int writeChatCompletion() {
        ByteBuf buf = alloc.buffer(512);
        OpenAiResponses.writeChatCompletion(new ByteBufOutputStream(buf), completion);
        int n = buf.readableBytes();
        buf.release();
        return n;
    }

    @Benchmark
    public int writeChatCompletionReusedBuffer() {
        reused.clear();
        OpenAiResponses.writeChatCompletion(reusedOut, completion);
        return reused.readableBytes();
    }
}
