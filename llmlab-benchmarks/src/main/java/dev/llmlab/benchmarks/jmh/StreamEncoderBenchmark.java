package dev.llmlab.benchmarks.jmh;

import dev.llmlab.api.GenerationRequest.Endpoint;
import dev.llmlab.api.openai.StreamEncoder;
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
 * What it measures: the per-token cost of a chat stream, StreamEncoder.content for one one-token chunk
 * (" ocean", no logprobs) framed as an SSE event.
 *   content             as Generation.emitStep does it: a fresh pooled ByteBuf (256 B) and ByteBufOutputStream per
 *                       chunk, encode, release (the release stands in for the channel write);
 *   contentReusedBuffer the encoding alone, into one buffer cleared per call;
 *   bufferOnly          the buffer acquire + wrapper + release alone, the baseline to subtract from `content`.
 * gc.alloc.rate.norm is bytes per token chunk.
 *
 * How to run:
 *   flock /tmp/llmlab-perf.lock java -jar llmlab-benchmarks/target/benchmarks.jar StreamEncoder -prof gc -f 1 -wi 3 -i 5
 * `-p allocator=pooled,adaptive,unpooled` compares allocators (default: ByteBufAllocator.DEFAULT, what channels use).
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
public class StreamEncoderBenchmark {

    private static final String TOKEN = " ocean";

    @Param({"default"})
    public String allocator;

    private ByteBufAllocator alloc;
    private StreamEncoder encoder;
    private ByteBuf reused;
    private ByteBufOutputStream reusedOut;

    @Setup(Level.Trial)
    public void setup() {
        alloc = Fixtures.allocator(allocator);
        encoder = new StreamEncoder(
                Endpoint.CHAT,
                "chatcmpl-AbCdEfGhIjKlMnOpQrStUvWxYz012",
                1_760_000_000L,
                Fixtures.MODEL,
                "fp_0123456789",
                false);
        reused = alloc.buffer(256);
        reusedOut = new ByteBufOutputStream(reused);
        encoder.content(reusedOut, 0, TOKEN, null);
        String frame = reused.toString(java.nio.charset.StandardCharsets.UTF_8);
        RequestPathBenchmark.check(
                frame.startsWith("data: {")
                        && frame.endsWith("}\n\n")
                        && frame.contains("\"delta\":{\"content\":\" ocean\"}"),
                "unexpected frame: " + frame);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        reused.release();
    }

    @Benchmark
    public int content() {
        ByteBuf buf = alloc.buffer(256);
        encoder.content(new ByteBufOutputStream(buf), 0, TOKEN, null);
        int n = buf.readableBytes();
        buf.release();
        return n;
    }

    @Benchmark
    public int contentReusedBuffer() {
        reused.clear();
        encoder.content(reusedOut, 0, TOKEN, null);
        return reused.readableBytes();
    }

    @Benchmark
    public int bufferOnly() {
        ByteBuf buf = alloc.buffer(256);
        ByteBufOutputStream out = new ByteBufOutputStream(buf);
        int n = out.buffer().writableBytes();
        buf.release();
        return n;
    }
}
