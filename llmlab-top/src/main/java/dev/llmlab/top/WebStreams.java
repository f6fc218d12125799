package dev.llmlab.top;

import dev.llmlab.http.SseStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The web view's open {@code /events} streams, and the latest snapshot each is to be sent.
 *
 * <p>A snapshot is written as JSON once, framed as one SSE event, and the same bytes go to every
 * stream. What a slow reader cannot take is skipped, never queued: each stream holds at most one
 * frame that waits (the newest; a newer one replaces it), and the connection's outbound buffer,
 * which the server bounds by its high water mark ({@link SseStream}'s back-pressure contract). So
 * a browser tab in the background, or one whose network stalled, costs at most about one frame
 * plus 64 KiB, and sees the newest snapshot once it reads again; a gone one is dropped when its
 * connection closes. Snapshots are whole states, not deltas, so a skipped one loses nothing but
 * a point on the page's charts.
 *
 * <p>Thread-safety: {@link #publish} from any thread (the view's timer); {@link #subscribe} on
 * the stream's event loop, where each stream's frames are sent.
 */
final class WebStreams {
    /** How long a browser waits before reconnecting a dropped stream: the SSE {@code retry} hint. */
    static final int RETRY_MILLIS = 2000;

    private static final byte[] RETRY = ("retry: " + RETRY_MILLIS + "\n\n").getBytes(StandardCharsets.US_ASCII);

    /**
     * One snapshot, as JSON and as its SSE event.
     *
     * @param id the event's id, one more than the previous snapshot's
     */
    record Frame(long id, byte[] json, byte[] event) {}

    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    private final LongAdder skipped = new LongAdder();
    private volatile Frame latest;
    private long nextId = 1;

    /** Makes {@code s} the latest snapshot and offers it to every stream. Called by one thread at a time. */
    synchronized Frame publish(Snapshot s) {
        ByteArrayOutputStream json = new ByteArrayOutputStream(4096);
        SnapshotJson.write(s, json, false);
        byte[] j = json.toByteArray();
        long id = nextId++;
        byte[] head = ("id: " + id + "\nevent: snapshot\ndata: ").getBytes(StandardCharsets.US_ASCII);
        byte[] event = new byte[head.length + j.length + 2];
        System.arraycopy(head, 0, event, 0, head.length);
        System.arraycopy(j, 0, event, head.length, j.length);
        event[event.length - 2] = '\n';
        event[event.length - 1] = '\n';
        Frame f = new Frame(id, j, event);
        latest = f;
        for (Subscriber sub : subscribers) sub.offer(f);
        return f;
    }

    /** The latest snapshot published; null before the first. */
    Frame latest() {
        return latest;
    }

    /**
     * Adds a stream: it is sent the retry hint and the latest snapshot at once, then every one
     * published until it closes.
     */
    void subscribe(SseStream sse, EventLoop loop) {
        Subscriber sub = new Subscriber(sse, loop);
        subscribers.add(sub);
        sse.onClose(() -> subscribers.remove(sub));
        sse.send(Unpooled.wrappedBuffer(RETRY));
        Frame f = latest;
        if (f != null) sub.offer(f);
    }

    /** Ends every stream (the view closes): a browser sees the end and starts reconnecting. */
    void endAll() {
        for (Subscriber sub : subscribers) sub.sse.end();
        subscribers.clear();
    }

    int open() {
        return subscribers.size();
    }

    /** Snapshots not sent to a stream because a newer one came before it could take them. */
    long skipped() {
        return skipped.sum();
    }

    /** One stream: the frame waiting for it, if any, and a send whenever its connection can take one. */
    private final class Subscriber {
        final SseStream sse;
        final EventLoop loop;
        /** The newest frame not yet sent; non-null exactly while a {@link #flush} is due. */
        final AtomicReference<Frame> waiting = new AtomicReference<>();
        /** On the loop only. */
        long sent;

        Subscriber(SseStream sse, EventLoop loop) {
            this.sse = sse;
            this.loop = loop;
        }

        void offer(Frame f) {
            Frame before = waiting.getAndAccumulate(f, (cur, next) -> cur == null || next.id() > cur.id() ? next : cur);
            if (before == null) loop.execute(this::flush);
            else if (before.id() < f.id()) skipped.increment();
        }

        /** On the loop: sends the waiting frame when the connection can take it, else waits for that. */
        void flush() {
            if (!sse.isOpen()) return;
            if (!sse.isWritable()) {
                sse.whenWritable(this::flush);
                return;
            }
            Frame f = waiting.getAndSet(null);
            if (f != null && f.id() > sent) {
                sent = f.id();
                sse.send(Unpooled.wrappedBuffer(f.event()));
            }
        }
    }
}
