package dev.llmlab.http.client;

import dev.llmlab.http.client.ClientException.Kind;

/**
 * One request in flight: its timings and a way to cancel it. Made by {@link HttpClient#send} and
 * handed back to every {@link ResponseListener} callback.
 *
 * <p>Threading: {@link #cancel()} may be called from any thread; the accessors are meant for the
 * listener's callbacks, which run on the request's event loop (elsewhere they may read stale
 * values). Once the request ends, the call holds nothing of the connection's.
 */
public final class Call {
    final RequestHead request;
    final byte[] body;
    final ResponseListener listener;
    final Loop loop;
    /** When the client began it: took a kept-alive connection, or began opening one. */
    long sentNanos;
    /** When its bytes were handed to the connection; the first-byte timeout counts from here. */
    long writtenNanos;

    long firstByteNanos = -1;
    /** The connection it is on or waits for; null before and after. */
    Connection connection;
    /** Whether the loop is starting it, inside {@link HttpClient#send} when sent from the loop's thread. */
    boolean starting;

    private boolean done;

    Call(RequestHead request, byte[] body, ResponseListener listener, Loop loop) {
        this.request = request;
        this.body = body;
        this.listener = listener;
        this.loop = loop;
    }

    public RequestHead request() {
        return request;
    }

    /**
     * When the client began the request ({@link System#nanoTime()}): the moment it took a kept-alive
     * connection or began to open one, so a connect is part of the request's latency.
     */
    public long sentNanos() {
        return sentNanos;
    }

    /** When the first byte of the response arrived ({@link System#nanoTime()}), or -1 before it. */
    public long firstByteNanos() {
        return firstByteNanos;
    }

    /** What TLS the request's connection agreed on; null for plain HTTP or before the handshake. */
    public TlsInfo tls() {
        Connection c = connection;
        return c == null ? null : c.tls;
    }

    /**
     * Abandons the request: its connection is closed at once, its buffers released, and the listener
     * told {@link ClientException.Kind#CANCELLED} (unless it had already ended). Idempotent; from any
     * thread (off the loop, the cancel is handed to it).
     */
    public void cancel() {
        if (!loop.executor.inEventLoop()) {
            loop.executor.execute(this::cancel);
            return;
        }
        if (done) return;
        Connection c = connection;
        ClientException why = new ClientException(Kind.CANCELLED, "cancelled: " + request);
        if (c != null) c.fail(this, why);
        else fail(why);
    }

    boolean done() {
        return done;
    }

    /**
     * Stops reading the answer until {@link #resume()}: the connection's socket is left unread, so
     * the server's sends fill the socket buffers and TCP's flow control slows it down. For a
     * listener that passes a stream on to a reader slower than the server (a gateway whose client
     * reads slowly), so that what it holds stays bounded. The idle timeout does not run while
     * paused; the total timeout does. Bytes already read may still reach {@link
     * ResponseListener#onBody}. Idempotent; from any thread (off the loop, handed to it).
     */
    public void pause() {
        if (!loop.executor.inEventLoop()) {
            loop.executor.execute(this::pause);
            return;
        }
        Connection c = connection;
        if (!done && c != null) c.pause(this);
    }

    /** Reads the answer again after {@link #pause()}. Idempotent; from any thread. */
    public void resume() {
        if (!loop.executor.inEventLoop()) {
            loop.executor.execute(this::resume);
            return;
        }
        Connection c = connection;
        if (!done && c != null) c.resume(this);
    }

    /**
     * Ends the request as failed, telling the listener; a no-op once it ended. On the loop. While the
     * request is starting (possibly inside {@code send}), the listener is told in a task of its own on
     * the loop, so that no callback runs inside {@code send}: a caller may hold a lock or be half way
     * through its own bookkeeping there. Only the failure path pays for the task.
     */
    void fail(ClientException failure) {
        if (done) return;
        done = true;
        if (starting) {
            connection = null;
            try {
                loop.executor.execute(() -> tell(failure));
                return;
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                // the loop is shutting down: told now rather than never
            }
        }
        tell(failure);
    }

    private void tell(ClientException failure) {
        try {
            listener.onFailure(this, failure);
        } catch (RuntimeException e) {
            HttpClient.log.warn("a response listener failed in onFailure: {}", Failures.text(e));
        } finally {
            connection = null;
        }
    }

    /** Ends the request as answered. On the loop. @return false if the listener threw */
    boolean end(byte[] whole, int length) {
        if (done) return true;
        done = true;
        try {
            listener.onEnd(this, whole, length);
            return true;
        } catch (RuntimeException e) {
            HttpClient.log.warn("a response listener failed in onEnd: {}", Failures.text(e));
            return false;
        } finally {
            connection = null;
        }
    }
}
