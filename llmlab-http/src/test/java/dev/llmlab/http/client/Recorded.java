package dev.llmlab.http.client;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A listener that keeps what it was told, and counts its endings (which must be exactly one). */
class Recorded implements ResponseListener {
    final CompletableFuture<Recorded> done = new CompletableFuture<>();
    final AtomicInteger endings = new AtomicInteger();
    final List<String> events = new ArrayList<>();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final Body mode;
    volatile ResponseHead head;
    volatile ClientException failure;
    volatile TlsInfo tls;
    private SseParser sse;

    Recorded(Body mode) {
        this.mode = mode;
    }

    @Override
    public Body onHead(Call call, ResponseHead h) {
        head = h.copy();
        if (h.eventStream()) sse = new SseParser((e, d, n) -> events.add(new String(d, 0, n, StandardCharsets.UTF_8)));
        return mode;
    }

    @Override
    public void onBody(Call call, ByteBuf content, int index, int length) {
        byte[] b = new byte[length];
        content.getBytes(index, b);
        body.writeBytes(b);
        if (sse != null) sse.feed(content, index, length);
    }

    @Override
    public void onEnd(Call call, byte[] whole, int length) {
        body.write(whole, 0, length);
        tls = call.tls();
        endings.incrementAndGet();
        done.complete(this);
    }

    @Override
    public void onFailure(Call call, ClientException e) {
        failure = e;
        endings.incrementAndGet();
        done.complete(this);
    }

    Recorded await() throws Exception {
        return done.get(10, TimeUnit.SECONDS);
    }

    String text() {
        return body.toString(StandardCharsets.UTF_8);
    }
}
