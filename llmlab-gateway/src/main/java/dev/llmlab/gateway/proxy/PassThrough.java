package dev.llmlab.gateway.proxy;

import dev.llmlab.api.ApiException;
import dev.llmlab.api.openai.OpenAiResponses;
import dev.llmlab.gateway.route.Route;
import dev.llmlab.gateway.route.Target;
import dev.llmlab.http.Exchange;
import dev.llmlab.http.Handler;
import dev.llmlab.http.SseStream;
import dev.llmlab.http.client.Call;
import dev.llmlab.http.client.ClientException;
import dev.llmlab.http.client.HttpClient;
import dev.llmlab.http.client.RequestHead;
import dev.llmlab.http.client.ResponseHead;
import dev.llmlab.http.client.ResponseListener;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The same API on both sides: a request to the gateway goes to the upstream as its own bytes, and
 * the answer comes back as the upstream's bytes, streamed chunk by chunk as they arrive.
 *
 * <h2>What changes on the way</h2>
 * The path moves under the upstream's base path; the upstream's key, when the gateway has one,
 * replaces every credential the client sent ({@code Authorization}, {@code api-key}, {@code
 * x-api-key}, {@code x-goog-api-key}; without one, the client's go on, as through a plain proxy in
 * front of a server that checks keys itself); hop-by-hop headers (RFC 9110, section 7.6.1) stay
 * behind on each side. A request id, the client's {@code x-request-id} when it sends a usable one,
 * goes upstream and comes back to the client.
 *
 * <h2>Streams and back-pressure</h2>
 * An event-stream answer is started downstream as soon as its head arrives, and each piece of its
 * body is passed on as it is read. When the client reads slower than the upstream writes, the
 * downstream connection's buffer fills past its high water mark: the upstream call is then paused
 * ({@link Call#pause()}), so that TCP's flow control slows the upstream down instead of the
 * gateway's heap growing, and resumed when the client has drained it. A client that goes away
 * cancels the upstream call at once.
 *
 * <h2>Failures</h2>
 * An upstream that cannot be reached, or fails before its head, is a 502 (a timeout: 504) in
 * OpenAI's error shape, with the reason. An upstream status is passed on as it is, with its body.
 * A stream that breaks after it began gets an error event in OpenAI's stream shape, and is ended:
 * nothing is retried once bytes have reached the client.
 *
 * <h2>The gateway's own time</h2>
 * {@code x-llmlab-overhead-ms} on every answer: the time from the request having been read to its
 * call being begun on an upstream connection, plus, for a stream, the time from the upstream's
 * first byte to the client's head being handed on (later chunks are not counted: the head goes
 * before them), and for a whole answer the time from the upstream's last byte to the answer
 * being handed on. A request that found no upstream counts its whole time.
 */
public final class PassThrough implements Handler {
    private static final Logger log = LoggerFactory.getLogger(PassThrough.class);

    /** The header that carries the gateway's own time on every answer. */
    public static final String OVERHEAD_HEADER = "x-llmlab-overhead-ms";

    static final String REQUEST_ID = "x-request-id";

    /** Request headers not forwarded: hop-by-hop, or the client's own for each connection. */
    private static final Set<String> NOT_FORWARDED = Set.of(
            "connection",
            "keep-alive",
            "proxy-connection",
            "proxy-authorization",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "host",
            "content-length",
            "expect",
            REQUEST_ID);

    /** Where the APIs carry a key: none of the client's goes upstream when the gateway has its own. */
    private static final Set<String> CREDENTIALS = Set.of("authorization", "api-key", "x-api-key", "x-goog-api-key");

    /** Response headers not passed back: hop-by-hop, or set by the gateway's server. */
    private static final Set<String> NOT_RETURNED = Set.of(
            "connection",
            "keep-alive",
            "proxy-connection",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "content-length",
            "content-type",
            "date",
            "server",
            "cache-control",
            REQUEST_ID);

    private final HttpClient client;
    private final Route route;
    private final String upstreamKey;
    private final String suffix;

    /**
     * @param route       the upstreams, and how one is picked per request
     * @param suffix      the path after {@code /v1}, such as {@code /chat/completions}
     * @param upstreamKey sent as {@code Authorization: Bearer}; null to pass the client's on
     */
    public PassThrough(HttpClient client, Route route, String upstreamKey, String suffix) {
        this.client = client;
        this.route = route;
        this.upstreamKey = upstreamKey;
        this.suffix = suffix;
    }

    @Override
    public void handle(Exchange ex) {
        String requestId = requestId(ex.requestHeaders().get(REQUEST_ID));
        ex.responseHeaders().set(REQUEST_ID, requestId);
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, String> h : ex.requestHeaders()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (NOT_FORWARDED.contains(name)) continue;
            if (upstreamKey != null && CREDENTIALS.contains(name)) continue;
            headers.put(name, h.getValue());
        }
        if (upstreamKey != null) headers.put("authorization", "Bearer " + upstreamKey);
        headers.put(REQUEST_ID, requestId);
        Target target = route.pick();
        Upstream upstream = target.upstream();
        RequestHead head = RequestHead.of(upstream.origin(), ex.method(), upstream.target(suffix), headers);
        byte[] body = ex.method().equals("GET") ? null : ByteBufUtil.getBytes(ex.body());
        target.begin();
        Call call = client.send(head, body, new Relay(ex, target));
        ex.onClose(call::cancel);
    }

    /** The client's id when it is short and plain, so that it can go into headers and logs; else a new one. */
    static String requestId(String given) {
        if (given != null && !given.isEmpty() && given.length() <= 128) {
            boolean plain = true;
            for (int i = 0; i < given.length() && plain; i++) {
                char c = given.charAt(i);
                plain = c > ' ' && c < 127;
            }
            if (plain) return given;
        }
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return String.format("llmlab-%016x%016x", r.nextLong(), r.nextLong());
    }

    /** One request's answer, from the upstream to the client. Its callbacks run on the call's loop. */
    private static final class Relay implements ResponseListener {
        private final Exchange ex;
        private final Target target;
        private SseStream sse;
        private int status;
        private String contentType;

        Relay(Exchange ex, Target target) {
            this.ex = ex;
            this.target = target;
        }

        @Override
        public Body onHead(Call call, ResponseHead head) {
            status = head.status();
            contentType = head.header("content-type");
            HttpHeaders out = ex.responseHeaders();
            head.forEach((name, value) -> {
                if (!NOT_RETURNED.contains(name.toLowerCase(Locale.ROOT))) out.add(name, value);
            });
            if (status != 200 || !head.eventStream()) return Body.WHOLE;
            // a stream's latency, for the strategies, is its time to the first byte
            target.sample(call.firstByteNanos() - call.sentNanos(), call.firstByteNanos());
            overhead(call);
            sse = ex.startSse();
            sse.onClose(call::cancel);
            return Body.STREAM;
        }

        @Override
        public void onBody(Call call, ByteBuf content, int index, int length) {
            if (!sse.isOpen()) return;
            sse.send(content.retainedSlice(index, length));
            if (!sse.isWritable()) {
                call.pause();
                sse.whenWritable(call::resume);
            }
        }

        @Override
        public void onEnd(Call call, byte[] body, int length) {
            target.end();
            if (sse != null) {
                sse.end();
                return;
            }
            long end = System.nanoTime();
            // a whole answer's latency, for the strategies, is the whole exchange with the upstream
            if (status < 500) target.sample(end - call.sentNanos(), end);
            ByteBuf buf = ex.alloc().buffer(length);
            buf.writeBytes(body, 0, length);
            setOverhead(before(call) + System.nanoTime() - end);
            ex.respond(status, contentType, buf);
        }

        @Override
        public void onFailure(Call call, ClientException failure) {
            target.end();
            if (failure.kind() == ClientException.Kind.CANCELLED) {
                // the client went away (or the gateway is closing): nobody is left to tell
                if (sse != null) sse.abort();
                else if (ex.isOpen()) ex.abort();
                return;
            }
            log.debug("upstream call failed: {}", failure.getMessage());
            if (sse != null) {
                // Bytes have reached the client: an error event in the stream's own shape, then the end.
                ByteBuf frame = ex.alloc().buffer(256);
                frame.writeBytes("data: ".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                OpenAiResponses.writeError(
                        new ByteBufOutputStream(frame),
                        "the upstream stream broke: " + failure.getMessage(),
                        "upstream_error",
                        null,
                        failure.kind().name().toLowerCase(Locale.ROOT));
                frame.writeBytes("\n\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                sse.send(frame);
                sse.end();
                return;
            }
            if (!ex.isOpen()) return;
            boolean timeout = switch (failure.kind()) {
                case CONNECT_TIMEOUT, FIRST_BYTE_TIMEOUT, IDLE_TIMEOUT, TOTAL_TIMEOUT -> true;
                default -> false;
            };
            ApiException e = new ApiException(
                    timeout ? 504 : 502,
                    "upstream_error",
                    null,
                    failure.kind().name().toLowerCase(Locale.ROOT),
                    "the upstream did not answer: " + failure.getMessage());
            ByteBuf buf = ex.alloc().buffer(256);
            OpenAiResponses.writeError(new ByteBufOutputStream(buf), e);
            overheadSince(ex.receivedNanos(), System.nanoTime());
            ex.respond(e.status(), "application/json", buf);
        }

        /** The gateway's own time before the upstream call: from the request read to the call begun. */
        private long before(Call call) {
            return Math.max(0, call.sentNanos() - ex.receivedNanos());
        }

        /** Before the call, and since the upstream's first byte (a stream's head is sent at once). */
        private void overhead(Call call) {
            long after = call.firstByteNanos() < 0 ? 0 : Math.max(0, System.nanoTime() - call.firstByteNanos());
            setOverhead(before(call) + after);
        }

        private void overheadSince(long from, long now) {
            setOverhead(Math.max(0, now - from));
        }

        private void setOverhead(long nanos) {
            ex.responseHeaders().set(OVERHEAD_HEADER, String.format(Locale.ROOT, "%.3f", nanos / 1e6));
        }
    }
}
