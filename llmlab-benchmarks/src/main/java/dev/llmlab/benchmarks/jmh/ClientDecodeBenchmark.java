package dev.llmlab.benchmarks.jmh;

import dev.llmlab.api.FinishReason;
import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.GenerationRequest.Endpoint;
import dev.llmlab.api.Message;
import dev.llmlab.api.ResponseFormat;
import dev.llmlab.api.ToolChoice;
import dev.llmlab.api.Usage;
import dev.llmlab.api.anthropic.AnthropicStreamEncoder;
import dev.llmlab.api.client.ClientApi;
import dev.llmlab.api.client.ClientListener;
import dev.llmlab.api.client.StreamDecoder;
import dev.llmlab.api.gemini.GeminiResponses;
import dev.llmlab.api.openai.ResponsesEncoder;
import dev.llmlab.api.openai.StreamEncoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/*
 * What it measures: the client codecs' stream decoding, on a load generator's hot path, per API.
 *   tokenEvent  one token event (the SSE data of a one-token text delta, as the simulator writes it with the API's
 *               own encoder) decoded by a long-lived StreamDecoder into a listener that consumes the delta: the cost
 *               per token of a stream. gc.alloc.rate.norm is bytes per event (the delta String is the floor).
 *   stream      a whole realistic stream (the API's opening events, 64 one-token text events, the finish, usage and
 *               end events) decoded by a fresh decoder: the cost per streamed answer.
 * The events are the ones the simulator sends: its encoders (StreamEncoder, AnthropicStreamEncoder, ResponsesEncoder,
 * GeminiResponses) called in the order its stream formats call them.
 *
 * How to run:
 *   flock /tmp/llmlab-perf.lock java -jar llmlab-benchmarks/target/benchmarks.jar ClientDecode -prof gc -f 1 -wi 3 -i 5
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ClientDecodeBenchmark {
    static final int TOKENS = 64;
    private static final String[] WORDS = {" the", " ocean", " is", " deep", " and", " wide", ",", " café", "."};

    @Param({"openai-chat", "openai-completions", "openai-responses", "anthropic-messages", "gemini"})
    public String api;

    private ClientApi client;
    private GenerationRequest request;
    private byte[] token;
    private List<byte[]> stream;
    private StreamDecoder decoder;
    private Consumer consumer;

    /** Consumes what the decoder delivers, so that nothing is optimised away. */
    static final class Consumer implements ClientListener {
        Blackhole bh;

        @Override
        public void text(int choice, String delta) {
            bh.consume(delta);
        }

        @Override
        public void usage(int promptTokens, int completionTokens, int cachedTokens) {
            bh.consume(completionTokens);
        }

        @Override
        public void finish(int choice, FinishReason reason, String providerReason, String stopSequence) {
            bh.consume(reason);
        }
    }

    @Setup(Level.Trial)
    public void setup(Blackhole bh) {
        client = ClientApi.parse(api);
        request = new GenerationRequest(
                Endpoint.CHAT,
                "gpt-4o-mini",
                List.of(Message.of("user", "Tell me about the sea.")),
                List.of(),
                TOKENS,
                1,
                List.of(),
                null,
                Double.NaN,
                Double.NaN,
                true,
                true,
                List.of(),
                ToolChoice.NONE,
                true,
                ResponseFormat.TEXT,
                false,
                0,
                false,
                null);
        stream = events(client);
        token = stream.get(tokenEventIndex(client));
        consumer = new Consumer();
        consumer.bh = bh;
        decoder = client.codec().streamDecoder(request, consumer);
        for (int i = 0; i < tokenEventIndex(client); i++) decoder.event(stream.get(i), 0, stream.get(i).length);
        String t = new String(token, StandardCharsets.UTF_8);
        RequestPathBenchmark.check(t.contains(" ocean"), "unexpected token event: " + t);
    }

    @Benchmark
    public boolean tokenEvent() {
        return decoder.event(token, 0, token.length);
    }

    @Benchmark
    public boolean stream() {
        StreamDecoder d = client.codec().streamDecoder(request, consumer);
        boolean end = false;
        for (byte[] e : stream) end = d.event(e, 0, e.length);
        return end;
    }

    /** Where the first token event is: after the opening events each API sends. */
    static int tokenEventIndex(ClientApi api) {
        return switch (api) {
            case OPENAI_CHAT -> 1; // the role chunk
            case OPENAI_RESPONSES -> 4; // created, in_progress, output_item.added, content_part.added
            case ANTHROPIC_MESSAGES -> 3; // message_start, content_block_start, ping
            default -> 0;
        };
    }

    /** The SSE data of each event of a {@value #TOKENS}-token answer on {@code api}, as the simulator sends it. */
    static List<byte[]> events(ClientApi api) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Usage usage = new Usage(12, TOKENS, 0);
        StringBuilder all = new StringBuilder();
        switch (api) {
            case OPENAI_CHAT, OPENAI_COMPLETIONS -> {
                Endpoint e = api == ClientApi.OPENAI_CHAT ? Endpoint.CHAT : Endpoint.COMPLETION;
                StreamEncoder enc = new StreamEncoder(
                        e,
                        "chatcmpl-AbCdEfGhIjKlMnOpQrStUvWxYz012",
                        1_760_000_000L,
                        "gpt-4o-mini",
                        "fp_0123456789",
                        true);
                if (e == Endpoint.CHAT) enc.role(out, 0);
                for (int i = 0; i < TOKENS; i++) enc.content(out, 0, word(i), null);
                enc.finish(out, 0, FinishReason.LENGTH);
                enc.usage(out, usage);
                StreamEncoder.done(out);
            }
            case ANTHROPIC_MESSAGES -> {
                AnthropicStreamEncoder enc =
                        new AnthropicStreamEncoder("msg_01AbCdEfGhIjKlMnOpQrStUv", "claude-haiku-4-5");
                enc.messageStart(out, usage.promptTokens(), usage.cachedTokens());
                enc.textBlockStart(out, 0);
                enc.ping(out);
                for (int i = 0; i < TOKENS; i++) enc.textDelta(out, 0, word(i));
                enc.blockStop(out, 0);
                enc.messageDelta(out, "max_tokens", null, TOKENS);
                enc.messageStop(out);
            }
            case OPENAI_RESPONSES -> {
                ResponsesEncoder.Sequence seq = new ResponsesEncoder.Sequence();
                GenerationRequest req = new GenerationRequest(
                        Endpoint.RESPONSES,
                        "gpt-4o-mini",
                        List.of(Message.of("user", "x")),
                        List.of(),
                        TOKENS,
                        1,
                        List.of(),
                        null,
                        Double.NaN,
                        Double.NaN,
                        true,
                        true,
                        List.of(),
                        ToolChoice.NONE,
                        true,
                        ResponseFormat.TEXT,
                        false,
                        0,
                        false,
                        null);
                String id = "msg_0123456789abcdef0123456789abcdef0123456789abcdef";
                ResponsesEncoder.created(out, seq, snapshot(req, "in_progress", List.of(), null, null));
                ResponsesEncoder.itemAdded(out, seq, 0, ResponsesEncoder.Item.message(id, "", false));
                ResponsesEncoder.partAdded(out, seq, 0, id);
                for (int i = 0; i < TOKENS; i++) {
                    all.append(word(i));
                    ResponsesEncoder.textDelta(out, seq, 0, id, word(i));
                }
                ResponsesEncoder.textDone(out, seq, 0, id, all.toString());
                ResponsesEncoder.partDone(out, seq, 0, id, all.toString());
                ResponsesEncoder.Item done = ResponsesEncoder.Item.message(id, all.toString(), true);
                ResponsesEncoder.itemDone(out, seq, 0, done);
                ResponsesEncoder.finished(
                        out, seq, snapshot(req, "incomplete", List.of(done), "max_output_tokens", usage));
            }
            case GEMINI -> {
                for (int i = 0; i < TOKENS; i++) {
                    GeminiResponses.writeChunk(
                            out,
                            0,
                            word(i),
                            List.of(),
                            null,
                            new Usage(12, i + 1, 0),
                            "gemini-2.5-flash",
                            "AbCdEfGhIjKlMnOpQrStUv");
                }
                GeminiResponses.writeChunk(
                        out, 0, "", List.of(), "MAX_TOKENS", usage, "gemini-2.5-flash", "AbCdEfGhIjKlMnOpQrStUv");
            }
            default -> throw new IllegalArgumentException(api.flag());
        }
        List<byte[]> events = new ArrayList<>();
        for (String frame :
                out.toString(StandardCharsets.UTF_8).replace("\r\n", "\n").split("\n\n")) {
            for (String line : frame.split("\n")) {
                if (line.startsWith("data: ")) events.add(line.substring(6).getBytes(StandardCharsets.UTF_8));
            }
        }
        return events;
    }

    /** The first token is " ocean", so that the token event is the same on every API. */
    private static String word(int i) {
        return WORDS[(i + 1) % WORDS.length];
    }

    private static ResponsesEncoder.Snapshot snapshot(
            GenerationRequest req, String status, List<ResponsesEncoder.Item> output, String incomplete, Usage usage) {
        return new ResponsesEncoder.Snapshot(
                "resp_0123456789abcdef0123456789abcdef0123456789abcdef",
                1_760_000_000L,
                "gpt-4o-mini",
                req,
                null,
                status,
                incomplete,
                output,
                usage);
    }
}
